import ClienteleCore
import ClientelePrediction

/// The options of one fit, as `clientele fit` takes them (docs/predictive.md): the model, the time unit, the
/// calibration end (default: the last order date) and the holdout end (default: the last order date when it
/// is after the calibration end).
public struct FitRequest: Hashable, Sendable {
    /// The repeat-purchase model (default BG/NBD).
    public var model: RepeatPurchaseModel
    /// The time unit of recency, T and α (default days).
    public var unit: TimeUnit
    /// The last day of the calibration period; nil for the last order date.
    public var calibrationEnd: ShopDate?
    /// The last day of the holdout period; nil for `clientele fit`'s default.
    public var holdoutEnd: ShopDate?

    /// A request with `clientele fit`'s defaults unless given.
    public init(model: RepeatPurchaseModel = .bgnbd, unit: TimeUnit = .days, calibrationEnd: ShopDate? = nil,
                holdoutEnd: ShopDate? = nil) {
        self.model = model
        self.unit = unit
        self.calibrationEnd = calibrationEnd
        self.holdoutEnd = holdoutEnd
    }

    /// Whether this is `clientele fit` without options (the fit predictions and the customer page use).
    public var isDefault: Bool { self == FitRequest() }
}

/// The server's fits (METRICS.md, "Predictive models"): the default fit of the current orders is computed once
/// per store revision and kept (one entry: an import makes it stale, and the next request fits again);
/// a fit with other options is computed for its request and not kept. Concurrent requests for the default
/// fit of one revision wait for the same computation.
public actor FitCache {
    private var cached: (revision: String, result: Result<FitReport, FitError>)?
    private var running: (revision: String, task: Task<Result<FitReport, FitError>, Never>)?

    /// An empty cache.
    public init() {}

    /// The fit `request` of `state`'s orders: kept per revision for the default request, fitted now otherwise.
    /// `today` is the fit's date.
    public func fit(_ request: FitRequest, state: ShopState, today: ShopDate) async -> Result<FitReport, FitError> {
        guard request.isDefault else { return await Self.compute(request, state: state, today: today) }
        if let cached, cached.revision == state.revision { return cached.result }
        if let running, running.revision == state.revision { return await running.task.value }
        let task = Task { await Self.compute(request, state: state, today: today) }
        running = (state.revision, task)
        let result = await task.value
        if running?.revision == state.revision { running = nil }
        cached = (state.revision, result)
        return result
    }

    /// What `clientele fit --db PATH` computes for `request` (FitCommand): the purchase summaries of the
    /// snapshot up to the calibration end, the model and Gamma-Gamma fits and the holdout validation. The
    /// source is the shop's name.
    @concurrent
    public static func compute(_ request: FitRequest, state: ShopState, today: ShopDate) async -> Result<FitReport, FitError> {
        let s = state.snapshot
        var lastDay = Int32.min
        for i in 0..<s.identifiedOrderCount { lastDay = max(lastDay, s.orderDay[i]) }
        guard lastDay > Int32.min else {
            return .failure(FitError(.tooFewCustomers, "The shop has no orders from identified customers; there is nothing to fit."))
        }
        let last = ShopDate(dayNumber: Int(lastDay))
        let calibrationEnd = request.calibrationEnd ?? last
        let holdoutEnd = request.holdoutEnd ?? (last > calibrationEnd ? last : nil)
        do {
            let summaries = try PurchaseSummaries.compute(snapshot: s, calibrationEnd: calibrationEnd, holdoutEnd: holdoutEnd,
                                                          unit: request.unit, minorUnitsPerMajor: state.currency.minorUnitsPerMajor)
            return .success(try FitReport.compute(summaries: summaries, model: request.model, source: state.settings.name,
                                                  fittedOn: today, currencyCode: state.currency.code, sourceVersion: s.sourceVersion))
        } catch {
            return .failure(error)
        }
    }
}
