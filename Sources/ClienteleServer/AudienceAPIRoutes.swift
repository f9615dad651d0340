import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird

/// Saved audiences through the JSON API (docs/api.md, "Audiences"): create (`POST /api/v1/audiences`),
/// change the filter (`PUT /api/v1/audiences/{name}`), delete (`DELETE /api/v1/audiences/{name}`) and count a
/// filter without saving it (`GET /api/v1/audiences/count`), by the same rules as the dashboard's forms and
/// `clientele audience create|edit|delete`. Like the forms, a request a browser sends from another web site
/// is refused (403).
struct AudienceAPIRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// The members a request body may have.
    static let bodyMembers: Set<String> = ["name", "filter", "description"]

    /// Adds the routes to the `/api/v1` group.
    func add<Context: RequestContext>(to api: RouterGroup<Context>) {
        let service = self.service
        api.get("audiences/count") { request, _ -> Response in
            let state = try await service.current()
            let r = ShopReports(state: state, query: request.query, today: service.today(state.calendar))
            let asOf = try r.asOf()
            guard let text = r.query["filter"] else {
                throw APIError.badRequest("filter is missing: give the filter to count, e.g. filter=orders%20%3E%3D%202.")
            }
            let filter: AudienceFilter
            switch AudiencePage.parse(text) {
            case .success(let parsed): filter = parsed
            case .failure(let error): return Self.filterError(error)
            }
            return try await RequestDeadline.run(seconds: service.requestSeconds) {
                let ctx = try await r.withPredictions(r.audienceContext(asOf: asOf), for: filter)
                let customers = try r.audienceMembers(filter, context: ctx).lazy.filter { $0 }.count
                var all = 0
                for c in 0..<ctx.snapshot.customerCount where ctx.isCustomer(c) { all += 1 }
                return .json(JSONValue.object([("filter", .string(text)), ("asOf", .string(asOf.description)),
                                               ("customers", .int(customers)), ("of", .int(all))]).rendered())
            }
        }
        api.post("audiences") { request, _ -> Response in
            try FormRoutes.checkSameOrigin(request)
            let body = try await Self.body(request)
            guard let name = body["name"] else {
                throw APIError.badRequest("The body has no name: send {\"name\": \"…\", \"filter\": \"…\"}.")
            }
            guard let filter = body["filter"] else {
                throw APIError.badRequest("The body has no filter: send {\"name\": \"…\", \"filter\": \"…\"}.")
            }
            do {
                let saved = try await AudiencePage.create(name: name, filter: filter, store: service.store, now: service.now())
                var response = Response.json(try await Self.json(saved, service: service))
                response.status = .created
                response.headers[.location] = "/api/v1/audiences/" + QueryParameters.encode(saved.name)
                return response
            } catch let problem as AudiencePage.AudienceProblem {
                return Self.response(problem)
            }
        }
        api.put("audiences/{name}") { request, context -> Response in
            try FormRoutes.checkSameOrigin(request)
            let saved = try await AudiencePage.find(AudiencePage.name(context), store: service.store)
            let body = try await Self.body(request)
            if let name = body["name"], !name.utf8.elementsEqual(saved.name.utf8) {
                throw APIError.unprocessable("An audience cannot be renamed: the body's name \"\(name)\" differs from \"\(saved.name)\" in the address. Create a new audience and delete this one.")
            }
            guard let filter = body["filter"] else {
                throw APIError.badRequest("The body has no filter: send {\"filter\": \"…\"}.")
            }
            do {
                let changed = try await AudiencePage.update(saved, filter: filter, store: service.store, now: service.now())
                return .json(try await Self.json(changed, service: service))
            } catch let problem as AudiencePage.AudienceProblem {
                return Self.response(problem)
            }
        }
        api.delete("audiences/{name}") { request, context -> Response in
            try FormRoutes.checkSameOrigin(request)
            let saved = try await AudiencePage.find(AudiencePage.name(context), store: service.store)
            _ = try await service.store.deleteAudience(name: saved.name)
            return .json(JSONValue.object([("deleted", .string(saved.name)), ("builtIn", .bool(saved.builtIn))]).rendered())
        }
    }

    /// The request's JSON body as its string members: a 400 for a body that is not a JSON object of strings
    /// (at most 1 MiB), or that has members other than `name`, `filter` and `description`; a 422 for a
    /// `description`, which audiences cannot hold yet.
    static func body(_ request: Request) async throws -> [String: String] {
        let bytes = try await FormRoutes.body(request, limit: FormRoutes.maximumFormBytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw APIError.badRequest("The body is not JSON: send an object such as {\"name\": \"big-spenders\", \"filter\": \"orders >= 2\"} with Content-Type: application/json.")
        }
        guard let members = object as? [String: Any] else {
            throw APIError.badRequest("The body must be a JSON object such as {\"name\": \"big-spenders\", \"filter\": \"orders >= 2\"}.")
        }
        var out: [String: String] = [:]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            guard bodyMembers.contains(key) else {
                throw APIError.badRequest("The body has an unknown member \"\(key)\": an audience has name and filter.")
            }
            if value is NSNull { continue }
            guard let text = value as? String else {
                throw APIError.badRequest("\(key) must be a string.")
            }
            out[key] = text
        }
        if let description = out["description"], !description.isEmpty {
            throw APIError.unprocessable("Audiences cannot hold a description yet: leave description out (the filter and the name say what the audience is).")
        }
        return out
    }

    /// The saved audience as `GET /api/v1/audiences` lists it, with its customer count today when the shop
    /// has orders and the filter can be counted.
    static func json(_ audience: SavedAudience, service: ShopService) async throws -> String {
        var customers: Int?
        if let state = try? await service.current(), let filter = try? AudienceFilter(audience.filter) {
            let r = ShopReports(state: state, query: QueryParameters(query: nil), today: service.today(state.calendar))
            if let ctx = try? await r.withPredictions(r.audienceContext(asOf: r.today), for: filter),
               let mask = try? r.audienceMembers(filter, context: ctx) {
                customers = mask.lazy.filter { $0 }.count
            }
        }
        let summary = audience.builtIn ? BuiltInAudience.all.first(where: { $0.name == audience.name })?.summary : nil
        return AudienceRoutes.Listed(audience: audience, customers: customers, summary: summary).json.rendered()
    }

    /// The answer to a refused audience: 409 for a name that is taken, 422 otherwise; a filter error with
    /// its `message`, `line`, `column` and `code` beside the `error` sentence.
    static func response(_ problem: AudiencePage.AudienceProblem) -> Response {
        switch problem {
        case .filter(let error): return filterError(error)
        case .exists: return APIError(.conflict, problem.description).jsonResponse
        case .name, .store: return APIError.unprocessable(problem.description).jsonResponse
        }
    }

    /// A filter the parser refused, as 422: `error` (`filter:1:11: …` with the caret lines), and the
    /// `message`, `line`, `column` and `code` on their own.
    static func filterError(_ error: AudienceFilterError) -> Response {
        let body = JSONValue.object([
            ("error", .string(error.description)), ("message", .string(error.message)), ("line", .int(error.line)),
            ("column", .int(error.column)), ("code", .string(error.code.description)),
        ])
        return .text(body.rendered(), status: .unprocessableContent, contentType: "application/json; charset=utf-8")
    }
}

extension APIError {
    /// The error as a JSON response, for a handler that answers with it rather than throwing it.
    var jsonResponse: Response { .text(json, status: status, contentType: "application/json; charset=utf-8") }
}
