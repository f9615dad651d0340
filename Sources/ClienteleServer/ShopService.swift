import ClienteleCore
import ClienteleStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A shop ready for reports: its settings, calendar, reporting currency and the engine's snapshot, as of one
/// revision of the store.
public struct ShopState: Sendable {
    /// The shop's settings.
    public let settings: ShopSettings
    /// The shop's calendar (its time zone).
    public let calendar: ShopCalendar
    /// The reporting currency.
    public let currency: Currency
    /// The engine's snapshot of the orders.
    public let snapshot: ShopSnapshot
    /// The store revision the snapshot was built from.
    public let revision: String
    /// The shop's fits (`ShopService.fits`), for the predicted fields of audience filters; nil outside a service.
    public var fits: FitCache?
}

/// Serves one shop to the dashboard and the API: opens the store, loads the settings and the snapshot once
/// (through `SnapshotCache`, so a current `PATH.snapshot` file is memory-mapped instead of rebuilt), and
/// reloads when the store's revision changes (an import in another process). Concurrent requests during a
/// reload wait for the same load; requests never build a snapshot of their own.
public actor ShopService {
    /// The store (the source of truth).
    public nonisolated let store: any OrderStore
    /// Where the snapshot is cached on disk (`PATH.snapshot`), or nil.
    public nonisolated let cachePath: String?
    /// The clock ("today" for reports without an as-of date, and the revision-check throttle).
    public nonisolated let now: @Sendable () -> Instant
    /// How often (seconds) the store's revision is checked; 0 checks on every request.
    public nonisolated let revisionCheckSeconds: Int64
    /// The time limit on answering one request (`RequestDeadline`), in seconds.
    public nonisolated let requestSeconds: Double
    /// The predictive model fitted by the server, kept per store revision (`FitCache`).
    public nonisolated let fits = FitCache()
    /// The answers of GET requests per revision, date and query (`ResponseCache`).
    public nonisolated let responses = ResponseCache()
    /// Who must sign in (`AccessGate`): by default, everyone once the database holds a token or a user.
    public nonisolated let access: AccessGate

    private var state: ShopState?
    private var checkedAt: Int64 = .min
    private var loading: Task<ShopState, any Error>?

    /// A service over `store`, caching the snapshot at `cachePath`.
    public init(store: any OrderStore, cachePath: String?, revisionCheckSeconds: Int64 = 1,
                requestSeconds: Double = RequestDeadline.defaultSeconds, access: AccessGate? = nil,
                now: @escaping @Sendable () -> Instant = ShopService.systemNow) {
        self.requestSeconds = requestSeconds
        self.access = access ?? AccessGate(store: store as? any AccessStore, now: now)
        self.store = store
        self.cachePath = cachePath
        self.now = now
        self.revisionCheckSeconds = revisionCheckSeconds
    }

    /// The system clock, to the second.
    public static let systemNow: @Sendable () -> Instant = {
        Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// The current state: the loaded one while the store's revision is unchanged, else freshly loaded.
    public func current() async throws -> ShopState {
        let t = now().seconds
        if let state, t - checkedAt < revisionCheckSeconds { return state }
        let revision = try await store.revision()
        checkedAt = t
        if let state, state.revision == revision { return state }
        if let loading { return try await loading.value }
        let task = Task { [store, cachePath] in try await Self.load(store: store, cachePath: cachePath, revision: revision) }
        loading = task
        defer { loading = nil }
        var fresh = try await task.value
        fresh.fits = fits
        state = fresh
        ProcessMemory.returnFreed()
        return fresh
    }

    /// Checks the store's revision now (after this process changed the store, e.g. an upload): the next
    /// `current()` loads the new orders instead of waiting for the revision-check throttle.
    public func expireRevisionCheck() { checkedAt = now().seconds - max(revisionCheckSeconds, 0) }

    /// Today in the shop's calendar.
    public nonisolated func today(_ calendar: ShopCalendar) -> ShopDate { calendar.date(of: now()) }

    /// Loads settings and the snapshot of `store`.
    static func load(store: any OrderStore, cachePath: String?, revision: String) async throws -> ShopState {
        let settings = try await store.loadSettings()
        guard let calendar = settings.calendar else {
            throw APIError(.serviceUnavailable, "The shop's time zone \"\(settings.timeZone)\" is unknown on this system; set another with clientele shop --timezone ZONE.")
        }
        guard let currency = settings.reportingCurrency else {
            throw APIError(.serviceUnavailable, "The shop has no orders yet (and no currency). Import orders first with clientele import FILE --db PATH.")
        }
        let snapshot = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: currency, cachePath: cachePath)
        return ShopState(settings: settings, calendar: calendar, currency: currency, snapshot: snapshot, revision: revision)
    }
}
