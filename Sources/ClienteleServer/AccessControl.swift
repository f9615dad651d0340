import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Whether the shop's server asks for credentials (docs/access.md): always when told so (`serve --host` on a
/// non-loopback address, or `--require-sign-in`), else as soon as the database holds any API token or dashboard
/// user. The database is asked at most every `checkSeconds`, so a token created while the server runs locks it
/// within seconds.
public actor AccessGate {
    /// The shop's credentials, or nil for a store without them (then nothing is ever required).
    public nonisolated let store: (any AccessStore)?
    /// Sign-in required whatever the database holds.
    public nonisolated let alwaysRequired: Bool
    /// How often the database is asked whether it holds credentials.
    public nonisolated let checkSeconds: Int64
    private let now: @Sendable () -> Instant
    private var known: Bool?
    private var checkedAt: Int64 = .min

    /// A gate over `store`'s credentials.
    public init(store: (any AccessStore)?, alwaysRequired: Bool = false, checkSeconds: Int64 = 2,
                now: @escaping @Sendable () -> Instant = ShopService.systemNow) {
        self.store = store
        self.alwaysRequired = alwaysRequired
        self.checkSeconds = checkSeconds
        self.now = now
    }

    /// Whether requests must carry a token or a session now.
    public func isRequired() async throws -> Bool {
        if alwaysRequired { return true }
        guard let store else { return false }
        let t = now().seconds
        if let known, known || t - checkedAt < checkSeconds { return known }   // once on, it stays on
        let fresh = try await store.hasCredentials()
        known = fresh
        checkedAt = t
        return fresh
    }
}

/// Who made a request.
struct Principal: Sendable {
    /// What they may do.
    let role: AccessRole
    /// The dashboard session (nil for an API token): forms must send back its `csrf`.
    let session: AccessSession?
}

/// Checks every request of a shop's router (docs/access.md):
/// - without credentials: 401 (the API with `WWW-Authenticate: Bearer`, pages with the sign-in form);
/// - an API token of another shop of the database: 404, as for a shop that does not exist (no data, no hint);
/// - a viewer sending anything but GET/HEAD, or asking for a customer's export or forget form: 403;
/// - a signed-in browser sending a form: the session's CSRF token must come back (`_csrf` field or
///   `X-CSRF-Token` header), else 403; its pages get the token in every POST form.
/// Only the sign-in page itself is open.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The shop served.
    let service: ShopService

    /// The session cookie's name.
    static var cookieName: String { "clientele_session" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let gate = service.access
        guard try await gate.isRequired() else { return try await next(request, context) }
        if request.uri.path == "/login" { return try await next(request, context) }
        let isAPI = request.uri.path.hasPrefix("/api/")
        guard let store = gate.store else { return Self.unauthorized(request, isAPI: isAPI, hadCredentials: false) }
        guard let principal = try await Self.principal(of: request, store: store, now: service.now()) else {
            return Self.unauthorized(request, isAPI: isAPI, hadCredentials: request.headers[.authorization] != nil)
        }
        let reads = request.method == .get || request.method == .head
        if (!reads || Self.isAdminOnly(request.uri.path)) && !principal.role.allows(.admin) {
            throw APIError(.forbidden, "This \(principal.session == nil ? "token" : "account") may only read: importing and changing settings, audiences or customers needs the admin role.")
        }
        var request = request
        if !reads, let session = principal.session {
            request = try await Self.checkCSRF(request, session: session)
        }
        let response = try await next(request, context)
        guard let session = principal.session, !isAPI,
              response.headers[.contentType]?.hasPrefix("text/html") == true else { return response }
        return try await Self.withFormTokens(response, session: session)
    }

    /// Whether reading `path` needs the admin role too: a customer's export (everything stored about one person)
    /// and the form that forgets them.
    static func isAdminOnly(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/customers/") && path.hasSuffix("/export") || path.hasPrefix("/customers/") && path.hasSuffix("/forget")
    }

    /// The request's principal: its bearer token, else its session cookie; nil when neither is valid. A token
    /// of another shop ends the request with 404.
    static func principal(of request: Request, store: any AccessStore, now: Instant) async throws -> Principal? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            switch try await store.findToken(hash: Credentials.sha256Hex(String(parts[1]).trimmingCharacters(in: .whitespaces))) {
            case .thisShop(let role, _): return Principal(role: role, session: nil)
            case .otherShop: throw APIError.notFound("There is no such shop.")
            case .none: return nil
            }
        }
        guard let secret = cookie(cookieName, in: request), !secret.isEmpty, secret.count <= 100,
              let session = try await store.findSession(hash: Credentials.sha256Hex(secret), now: now) else { return nil }
        return Principal(role: session.role, session: session)
    }

    /// The value of cookie `name` in the request's `Cookie` headers.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name {
                    return kv[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// 401: JSON with `WWW-Authenticate` for the API, the sign-in form for pages.
    static func unauthorized(_ request: Request, isAPI: Bool, hadCredentials: Bool) -> Response {
        let message = hadCredentials ? "The token is not valid (revoked, mistyped or from another database)."
            : "Sign in first: send an API token as Authorization: Bearer TOKEN (clientele token create), or sign in to the dashboard."
        if isAPI || request.headers[.authorization] != nil {
            return .text(JSONValue.object([("error", .string(message))]).rendered(), status: .unauthorized,
                         contentType: "application/json; charset=utf-8",
                         extraHeaders: [.wwwAuthenticate: "Bearer realm=\"clientele\""])
        }
        let next = request.method == .get ? request.uri.description : "/"
        return .html(LoginPage.render(next: next, error: nil), status: .unauthorized)
    }

    /// The request with its body read, after checking the session's CSRF token in the `X-CSRF-Token` header or
    /// the form's `_csrf` field (URL-encoded or multipart).
    static func checkCSRF(_ request: Request, session: AccessSession) async throws -> Request {
        let refused = APIError(.forbidden, "This form was not sent from a page of this dashboard session (its form token is missing or old). Open the page again and send the form from there.")
        if let header = request.headers[HTTPField.Name("X-CSRF-Token")!] {
            guard Credentials.constantTimeEqual(header, session.csrf) else { throw refused }
            return request
        }
        var request = request
        let buffer = ByteBuffer(bytes: try await FormRoutes.body(request, limit: ClienteleServer.maxBodyBytes))
        request.body = .init(buffer: buffer)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let sent: String?
        if type.hasPrefix("multipart/form-data") {
            sent = multipartField("_csrf", in: buffer)
        } else {
            sent = QueryParameters(query: String(buffer: buffer)).values["_csrf"]
        }
        guard let sent, Credentials.constantTimeEqual(sent, session.csrf) else { throw refused }
        return request
    }

    /// The value of the multipart part named `name` (a short text field), found without parsing the files.
    static func multipartField(_ name: String, in buffer: ByteBuffer) -> String? {
        let bytes = buffer.readableBytesView
        let marker = Array("name=\"\(name)\"".utf8)
        guard let start = bytes.firstRange(of: marker)?.upperBound else { return nil }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let valueStart = bytes[start...].firstRange(of: separator)?.upperBound else { return nil }
        let end = bytes[valueStart...].firstRange(of: [13, 10])?.lowerBound ?? bytes.endIndex
        guard end - valueStart <= 200 else { return nil }
        return String(decoding: bytes[valueStart..<end], as: UTF8.self)
    }

    /// The page with the session's form token in every POST form and a sign-out button in its footer.
    static func withFormTokens(_ response: Response, session: AccessSession) async throws -> Response {
        var response = response
        var page = String(buffer: try await response.collectBody())
        let field = "<input type=\"hidden\" name=\"_csrf\" value=\"\(html(session.csrf))\">"
        var out = ""
        out.reserveCapacity(page.utf8.count + 256)
        var rest = page[...]
        while let open = rest.range(of: "<form") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[open.lowerBound...close]
            out += tag
            if tag.lowercased().contains("method=\"post\"") { out += field }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        page = out
        let signOut = "<form method=\"post\" action=\"/logout\" class=\"signout\">\(field)<button type=\"submit\">Sign out \(html(session.user))</button></form>"
        if let footer = page.range(of: "</footer>") { page.insert(contentsOf: signOut, at: footer.lowerBound) }
        response.replaceBody(ByteBuffer(string: page))
        return response
    }
}

/// The sign-in page and sign-out (docs/access.md).
enum LoginPage {
    /// How long a dashboard session lasts: 12 hours.
    static let sessionSeconds: Int64 = 12 * 3600

    /// The sign-in form; `next` is where a successful sign-in goes (a path of this dashboard).
    static func render(next: String, error: String?) -> String {
        var body = "<h1>Sign in</h1>"
        if let error { body += "<p class=\"error\" role=\"alert\">\(html(error))</p>" }
        body += """
            <form method="post" action="/login" class="login">
            <input type="hidden" name="next" value="\(html(safeNext(next)))">
            <p><label for="login-name">Name</label> <input id="login-name" name="name" autocomplete="username" required></p>
            <p><label for="login-password">Password</label> <input id="login-password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            """
        return Page(title: "Sign in", shopName: "Clientele", path: "/login", body: body).rendered
    }

    /// `next` when it is a path of this site (starts with one `/`), else `/`: no redirect to another site.
    static func safeNext(_ next: String) -> String {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.hasPrefix("/\\") ? next : "/"
    }

    /// Adds GET/POST /login and POST /logout to `router`.
    static func add<Context: RequestContext>(to router: Router<Context>, service: ShopService) {
        router.get("/login") { request, _ -> Response in
            .html(render(next: request.uri.queryParameters.get("next") ?? "/", error: nil))
        }
        router.post("/login") { request, _ -> Response in
            try FormRoutes.checkSameOrigin(request)
            guard let store = service.access.store else { throw APIError.notFound("This server has no sign-in.") }
            let form = QueryParameters(query: String(decoding: try await FormRoutes.body(request, limit: FormRoutes.maximumFormBytes), as: UTF8.self)).values
            let name = form["name"] ?? "", password = form["password"] ?? "", next = safeNext(form["next"] ?? "/")
            let user = name.isEmpty ? nil : try await store.user(name: name)
            // A missing user costs the same KDF work as a wrong password: the answer's timing tells nothing.
            let valid = Credentials.verifyPassword(password, hash: user?.passwordHash ?? dummyHash) && user != nil
            guard let user, valid else {
                return .html(render(next: next, error: "The name or the password is wrong."), status: .unauthorized)
            }
            let secret = Credentials.randomSecret()
            let now = service.now()
            try await store.createSession(AccessSession(hash: Credentials.sha256Hex(secret), user: user.name, role: user.role,
                                                        csrf: Credentials.randomSecret(),
                                                        expiresAt: Instant(seconds: now.seconds + sessionSeconds)))
            var cookie = "\(AccessMiddleware<Context>.cookieName)=\(secret); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(sessionSeconds)"
            if isSecure(request) { cookie += "; Secure" }
            return Response(status: .seeOther, headers: [.location: next, .setCookie: cookie, .cacheControl: "no-store"])
        }
        router.post("/logout") { request, _ -> Response in
            if let store = service.access.store, let secret = AccessMiddleware<Context>.cookie(AccessMiddleware<Context>.cookieName, in: request) {
                try await store.deleteSession(hash: Credentials.sha256Hex(secret), now: service.now())
            }
            var cookie = "\(AccessMiddleware<Context>.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            if isSecure(request) { cookie += "; Secure" }
            return Response(status: .seeOther, headers: [.location: "/login", .setCookie: cookie, .cacheControl: "no-store"])
        }
    }

    /// Whether the browser reached the server over TLS (a TLS-terminating proxy in front says so with
    /// `X-Forwarded-Proto: https`): then cookies are marked Secure.
    static func isSecure(_ request: Request) -> Bool {
        request.head.scheme == "https"
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A valid hash of a random password, checked when the user does not exist.
    static let dummyHash: String = (try? Credentials.hashPassword(Credentials.randomSecret())) ?? ""
}
