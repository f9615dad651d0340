import ClienteleCore
import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's forms that change the shop (docs/dashboard.md): the import upload and creating, editing
/// and deleting audiences, with their GET pages, and the upload route of the API. Every POST is checked to
/// come from the dashboard itself (a page of another web site cannot make the browser send it).
struct FormRoutes: Sendable {
    /// The shop served.
    let service: ShopService

    /// The largest form body (audience forms): 1 MiB.
    static let maximumFormBytes = 1024 * 1024

    /// Adds the form pages and the upload API route to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        ImportPage.add(to: router, forms: self)
        AudiencePage.add(to: router, forms: self)
    }

    /// A route answering with a page: an `APIError` thrown by `handle` becomes the error in the layout with
    /// its status (the import and audience pages render their own 422 forms).
    func page<Context: RequestContext>(_ router: Router<Context>, _ method: HTTPRequest.Method, _ path: RouterPath,
                                       _ handle: @escaping @Sendable (Request, Context) async throws -> Response) {
        router.on(path, method: method) { request, context -> Response in
            do {
                if method == .post { try Self.checkSameOrigin(request) }
                return try await handle(request, context)
            } catch let error as APIError {
                let settings = try? await service.store.loadSettings()
                let language = request.query.language ?? Language.of(locale: settings?.locale ?? "")
                let back = Page.keepingLanguage(request.uri.path, request.query.language?.rawValue)
                let body = "<p class=\"error\" role=\"alert\">\(language.untranslated(error.description))</p><p><a href=\"\(html(back))\">\(html(language.t("Start again")))</a></p>"
                return .html(Page(title: language.t("Cannot do this"), shopName: settings?.name ?? "Clientele", path: request.uri.path, body: body,
                                  language: language, query: request.query).rendered, status: error.status)
            }
        }
    }

    /// The language of a form page: the request's `lang` (a 400 for one that is not a dashboard language),
    /// else the shop's locale's. A form keeps it in its action's address, so the POST and its redirect do too.
    static func language(_ request: Request, settings: ShopSettings?) throws -> Language {
        try request.query.choice("lang", Language.self) ?? Language.of(locale: settings?.locale ?? "")
    }

    /// `path` with the request's `lang` when it was given (a form's action, a redirect after a form).
    static func keepingLanguage(_ path: String, _ request: Request) -> String {
        Page.keepingLanguage(path, request.query.language?.rawValue)
    }

    /// The shop's reports for `request` (the shop must have orders: 503 otherwise, as every report page).
    func reports(_ request: Request, query: QueryParameters? = nil) async throws -> ShopReports {
        let state = try await service.current()
        return ShopReports(state: state, query: query ?? request.query, today: service.today(state.calendar))
    }

    /// Refuses (403) a POST that a browser sent from a page of another site (`Sec-Fetch-Site: cross-site`, or an
    /// `Origin` whose host differs from the request's): the dashboard has no sign-in, so this is what keeps
    /// another web page from importing or deleting through a visitor's browser. Clients that send neither
    /// header (curl, scripts) are served.
    static func checkSameOrigin(_ request: Request) throws {
        let refused = APIError(.forbidden, "This form was sent from another web site, so it was refused. Open the dashboard itself and send the form from there.")
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased(), site == "cross-site" || site == "same-site" {
            throw refused
        }
        guard let origin = request.headers[.origin] else { return }
        let host = (request.head.authority ?? "").lowercased()
        guard let url = URLComponents(string: origin), let originHost = url.host?.lowercased() else { throw refused }
        let originAuthority = originHost.contains(":") && !originHost.hasPrefix("[") ? "[\(originHost)]" : originHost
        let withPort = url.port.map { "\(originAuthority):\($0)" } ?? originAuthority
        guard host == withPort || host == originAuthority && url.port == nil else { throw refused }
    }

    /// The request body, at most `limit` bytes: 413 with a sentence saying the limit otherwise (checked on the
    /// `Content-Length` first, so a too-large upload is refused before it is read).
    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        let tooLarge = APIError(.contentTooLarge, "The request is larger than \(limit / (1024 * 1024)) MiB, the most the dashboard accepts. Import a larger file with clientele import FILE --db PATH.")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    /// An HTML form's fields: `application/x-www-form-urlencoded` (what the dashboard's forms send), or the
    /// text fields of `multipart/form-data`.
    static func form(_ request: Request) async throws -> QueryParameters {
        let bytes = try await body(request, limit: maximumFormBytes)
        if let boundary = MultipartForm.boundary(contentType: request.headers[.contentType] ?? "") {
            let form = try MultipartForm(body: bytes, boundary: boundary)
            var query = ""
            for part in form.parts where part.filename == nil {
                query += (query.isEmpty ? "" : "&") + QueryParameters.encode(part.name) + "=" + QueryParameters.encode(part.text)
            }
            return QueryParameters(query: query)
        }
        return QueryParameters(query: String(decoding: bytes, as: UTF8.self))
    }

    /// 303 See Other to `location` (after a form was saved).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
