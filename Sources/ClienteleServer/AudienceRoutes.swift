import ClienteleCore
import ClienteleStore
import Foundation

/// Saved audiences for the API and the pages: the list with counts, and one audience's members.
enum AudienceRoutes {
    /// One saved audience with its customer count as of the request's date (nil when it cannot be counted:
    /// a filter that no longer parses or that needs the predictive model).
    struct Listed: Sendable {
        /// The saved audience.
        var audience: SavedAudience
        /// Its customers now, or nil.
        var customers: Int?
        /// The built-in's summary sentence.
        var summary: String?

        /// The JSON object `clientele audience list --format json` prints for it.
        var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("name", .string(audience.name)), ("filter", .string(audience.filter)), ("builtIn", .bool(audience.builtIn)),
                ("createdAt", .string(audience.createdAt.description)), ("updatedAt", .string(audience.updatedAt.description)),
            ]
            if let summary { members.append(("summary", .string(summary))) }
            if let customers { members.append(("customers", .int(customers))) }
            return .object(members)
        }
    }

    /// Saves the built-in audiences the store has not had yet (as `clientele audience` does on first use).
    static func seedBuiltIns(_ store: any OrderStore, now: Instant) async throws {
        let version = try await store.audienceSeedVersion()
        guard version < BuiltInAudience.currentVersion else { return }
        let fresh = BuiltInAudience.all.filter { $0.version > version }.map {
            SavedAudience(name: $0.name, filter: $0.filter, createdAt: now, updatedAt: now, builtIn: true)
        }
        _ = try await store.seedAudiences(fresh, version: BuiltInAudience.currentVersion)
    }

    /// Every saved audience with its count as of `asOf` (default today).
    static func list(_ r: ShopReports, store: any OrderStore) async throws -> [Listed] {
        let audiences = try await store.listAudiences()
        var ctx = r.audienceContext(asOf: try r.asOf())
        let filters = audiences.map { try? AudienceFilter($0.filter) }
        // Predicted fields are counted when the server's fit can be made (one computation for all of them).
        if let first = filters.first(where: { $0?.usesPredictions == true }) ?? nil {
            ctx = (try? await r.withPredictions(ctx, for: first)) ?? ctx
        }
        let summaries = Dictionary(BuiltInAudience.all.map { ($0.name, $0.summary) }, uniquingKeysWith: { a, _ in a })
        return zip(audiences, filters).map { a, filter in
            var count: Int?
            if let filter, !filter.usesPredictions || ctx.predictions != nil {
                count = filter.customers(in: ctx).lazy.filter { $0 }.count
            }
            return Listed(audience: a, customers: count, summary: a.builtIn ? summaries[a.name] : nil)
        }
    }

    /// The saved audience `name`, the context as of the request's date and its members (404 for an unknown name).
    static func members(_ name: String, _ r: ShopReports, store: any OrderStore) async throws
        -> (audience: SavedAudience, context: AudienceContext, mask: [Bool]) {
        let all = try await store.listAudiences()
        guard let saved = all.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) else {
            throw APIError.notFound("There is no audience \"\(name)\". Saved audiences: \(all.map(\.name).joined(separator: ", ")).")
        }
        let filter: AudienceFilter
        do {
            filter = try AudienceFilter(saved.filter)
        } catch {
            throw APIError.unprocessable("The saved filter of audience \"\(saved.name)\" cannot be read; fix it with clientele audience edit \(saved.name) --filter \"…\".\n\(error)")
        }
        let ctx = try await r.withPredictions(r.audienceContext(asOf: try r.asOf()), for: filter)
        return (saved, ctx, try r.audienceMembers(filter, context: ctx))
    }
}
