import ArgumentParser
import ClienteleCore
import ClientelePrediction
import Foundation

/// `--audience NAME` and `--filter "EXPR"`: restrict a report to a saved audience (built-ins included) or an
/// unsaved filter (docs/audiences.md).
struct ReportAudienceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only the customers of this saved audience, built-ins included (clientele audience list).", valueName: "NAME"))
    var audience: String?
    @Option(help: ArgumentHelp("Only the customers matching this filter, e.g. \"group = vip and country = DK\" (an unsaved audience; docs/audiences.md).", valueName: "EXPR"))
    var filter: String?

    func validate() throws {
        if audience != nil && filter != nil { throw ValidationError("Give --audience NAME or --filter \"…\", not both.") }
    }

    /// The audience's customers as of `asOf`, or nil when neither option is given. An unknown name is an
    /// error listing the saved audiences; a filter that cannot be read shows where.
    func resolve(shop: LoadedShop, store: StoreOptions, asOf: ShopDate) async throws -> SelectedAudience? {
        let name: String?, text: String, parsed: AudienceFilter
        if let filter {
            (name, text, parsed) = (nil, filter, try AudienceSupport.parse(filter))
        } else if let audience {
            let db = try await AudienceSupport.open(store)
            let saved = try await AudienceSupport.find(audience, in: db)
            do {
                parsed = try AudienceFilter(saved.filter)
            } catch {
                throw CLIError("The saved filter of audience \"\(saved.name)\" cannot be read; fix it with clientele audience edit \(saved.name) --filter \"…\".\n\(error.description)")
            }
            (name, text) = (saved.name, saved.filter)
        } else {
            return nil
        }
        let ctx = try AudienceSupport.context(shop: shop, asOf: asOf, for: parsed)
        let mask = parsed.customers(in: ctx)
        return SelectedAudience(name: name, filter: text, mask: mask, customers: mask.lazy.filter { $0 }.count)
    }
}

/// An audience a report is restricted to: its name (nil for an unsaved filter), filter and customer mask.
struct SelectedAudience {
    /// The saved audience's name; nil for `--filter`.
    var name: String?
    /// The filter text.
    var filter: String
    /// The customers, by dense id.
    var mask: [Bool]
    /// How many customers the mask holds.
    var customers: Int

    /// How the report names the audience, e.g. `audience "lost-vips" (group = vip and stage = lost), 42 customers`.
    var description: String {
        let count = customers == 1 ? "1 customer" : "\(customers) customers"
        if let name { return "audience \"\(name)\" (\(filter)), \(count)" }
        return "customers matching \(filter), \(count)"
    }

    /// `description` with control characters (which could move a terminal's cursor) shown as U+FFFD.
    var printableDescription: String {
        String(String.UnicodeScalarView(description.unicodeScalars.map {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "\u{FFFD}" : $0
        }))
    }

    /// The audience as a JSON object: name (null for a filter), filter and customers.
    var json: JSONValue {
        .object([("name", .string(name)), ("filter", .string(filter)), ("customers", .int(customers))])
    }
}

/// Whether `clientele fit` saved a fit for the shop's current orders.
enum SavedFitState {
    /// No fit saved beside the database.
    case none
    /// A fit of older data (the orders changed since it was made).
    case stale(SavedFit)
    /// A fit of the current orders.
    case current(SavedFit)
}

extension AudienceSupport {
    /// The context to evaluate `filter` in as of `asOf`: the shop's calendar and, when the filter uses a
    /// predicted field, the predictions of the fit saved at `PATH.model.json` (`ShopTarget.modelPath`; an error
    /// that says to run `clientele fit` when there is no fit of the current orders).
    static func context(shop: LoadedShop, asOf: ShopDate, for filter: AudienceFilter?) throws -> AudienceContext {
        var ctx = AudienceContext(snapshot: shop.snapshot, asOf: asOf, thresholds: shop.settings.thresholds, currency: shop.currency)
        ctx.calendar = shop.calendar
        if let filter, filter.usesPredictions {
            let fields = filter.fieldNames.filter(AudienceField.predictionFields.contains)
            let what = "The field\(fields.count == 1 ? "" : "s") \(fields.joined(separator: ", ")) \(fields.count == 1 ? "needs" : "need") the predictive model"
            let saved: SavedFit
            switch try fitState(shop: shop) {
            case .none:
                throw CLIError("\(what), and there is no fit for this shop yet. Run clientele fit \(shop.target.arguments) first.")
            case .stale:
                throw CLIError("\(what), and the saved fit \(shop.target.modelPath) is of older data (the orders have changed since). Run clientele fit \(shop.target.arguments) first.")
            case .current(let s):
                saved = s
            }
            if fields.contains("predicted_clv") && saved.spend == nil {
                throw CLIError("predicted_clv needs the spend model, which the saved fit does not have (Gamma-Gamma could not be fitted; see clientele fit \(shop.target.arguments)).")
            }
            ctx.predictions = try predictedValues(shop: shop, fit: saved, asOf: asOf)
        }
        return ctx
    }

    /// The state of the fit saved for the shop (`ShopTarget.modelPath`).
    static func fitState(shop: LoadedShop) throws -> SavedFitState {
        guard let saved = try SavedFit.read(path: shop.target.modelPath) else { return .none }
        guard let version = saved.sourceVersion, version == shop.snapshot.sourceVersion else { return .stale(saved) }
        return .current(saved)
    }

    /// Every customer's predicted values as of `asOf` from a saved fit, with `clientele predict`'s defaults:
    /// expected purchases in the next 90 days, CLV over 12 months at 1 % a month, no margin.
    static func predictedValues(shop: LoadedShop, fit saved: SavedFit, asOf: ShopDate) throws -> PredictedValues {
        do {
            return try PredictedValues.compute(snapshot: shop.snapshot, asOf: asOf, fit: saved.fit, spend: saved.spend, currency: shop.currency)
        } catch {
            throw CLIError("\(error) (predicted values as of \(asOf))")
        }
    }
}
