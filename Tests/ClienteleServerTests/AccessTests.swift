import ClienteleCore
@testable import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// Secrets: token format, SHA-256, the password KDF and constant-time comparison.
@Suite struct CredentialsTests {
    @Test func sha256MatchesTheStandardTestVector() {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        #expect(Credentials.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func tokensAreRandomPrefixedAndStoredOnlyAsTheirHash() {
        let a = Credentials.newToken(), b = Credentials.newToken()
        #expect(a.secret.hasPrefix("clt_") && a.secret.count == 4 + 43)
        #expect(a.secret != b.secret && a.id != b.id)
        #expect(a.hash == Credentials.sha256Hex(a.secret))
        #expect(!a.hash.contains(a.secret) && !a.id.isEmpty)
    }

    @Test func passwordsVerifyOnlyWithTheRightPassword() throws {
        let hash = try Credentials.hashPassword("correct horse battery")
        #expect(hash.hasPrefix("scrypt$15$8$1$"))
        #expect(!hash.contains("correct"))
        #expect(Credentials.verifyPassword("correct horse battery", hash: hash))
        #expect(!Credentials.verifyPassword("correct horse batterY", hash: hash))
        #expect(!Credentials.verifyPassword("", hash: hash))
        // Salted: the same password twice gives two different hashes, both valid.
        let again = try Credentials.hashPassword("correct horse battery")
        #expect(again != hash && Credentials.verifyPassword("correct horse battery", hash: again))
        // Malformed or out-of-range stored hashes never verify.
        for bad in ["", "scrypt", "scrypt$15$8$1$$", "bcrypt$15$8$1$AAAA$AAAA", "scrypt$40$8$1$AAAA$AAAA",
                    hash.replacingOccurrences(of: "scrypt$15", with: "scrypt$14")] {
            #expect(!Credentials.verifyPassword("correct horse battery", hash: bad), "\(bad)")
        }
    }

    @Test func constantTimeEqualityIsEquality() {
        #expect(Credentials.constantTimeEqual("abc", "abc"))
        #expect(!Credentials.constantTimeEqual("abc", "abd"))
        #expect(!Credentials.constantTimeEqual("abc", "abcd"))
        #expect(!Credentials.constantTimeEqual("", "a"))
        #expect(Credentials.constantTimeEqual("", ""))
    }
}

/// An access store whose tokens belong to another shop of the same database: `findToken` answers `.otherShop`
/// for `foreignHash` (the two-shop database cases are in the store contract and the many-shops tests).
struct ForeignTokenStore: AccessStore {
    let inner: InMemoryOrderStore
    let foreignHash: String
    func createToken(_ token: AccessToken) async throws { try await inner.createToken(token) }
    func listTokens() async throws -> [AccessToken] { await inner.listTokens() }
    func revokeToken(id: String) async throws -> Bool { await inner.revokeToken(id: id) }
    func findToken(hash: String) async throws -> TokenMatch {
        hash == foreignHash ? .otherShop : await inner.findToken(hash: hash)
    }
    func saveUser(_ user: AccessUser) async throws { try await inner.saveUser(user) }
    func listUsers() async throws -> [AccessUser] { await inner.listUsers() }
    func user(name: String) async throws -> AccessUser? { await inner.user(name: name) }
    func deleteUser(name: String) async throws -> Bool { await inner.deleteUser(name: name) }
    func createSession(_ session: AccessSession) async throws { await inner.createSession(session) }
    func findSession(hash: String, now: Instant) async throws -> AccessSession? { await inner.findSession(hash: hash, now: now) }
    func deleteSession(hash: String, now: Instant) async throws { await inner.deleteSession(hash: hash, now: now) }
    func hasCredentials() async throws -> Bool { await inner.hasCredentials() }
}

/// Access control over the router's whole route table: a route added without the check fails here.
@Suite struct AccessTests {
    /// The fixture shop with a viewer and an admin token, a viewer and an admin user, and a token of "another
    /// shop"; returns the service, the tokens' secrets and the store.
    static func lockedShop() async throws -> (ShopService, viewer: String, admin: String, foreign: String, InMemoryOrderStore) {
        let store = InMemoryOrderStore(settings: ShopSettings(name: "Test & Co", timeZone: "UTC", currency: "DKK"))
        _ = try await store.replaceOrders(ServerFixture.orders)
        try await AudienceRoutes.seedBuiltIns(store, now: ServerFixture.now)
        let viewer = Credentials.newToken(), admin = Credentials.newToken(), foreign = Credentials.newToken()
        try await store.createToken(AccessToken(id: viewer.id, name: "v", role: .viewer, hash: viewer.hash, createdAt: ServerFixture.now))
        try await store.createToken(AccessToken(id: admin.id, name: "a", role: .admin, hash: admin.hash, createdAt: ServerFixture.now))
        try await store.saveUser(AccessUser(name: "anna", role: .admin, passwordHash: try Credentials.hashPassword("anna's password", logN: 10),
                                            createdAt: ServerFixture.now))
        try await store.saveUser(AccessUser(name: "bo", role: .viewer, passwordHash: try Credentials.hashPassword("bo's password!", logN: 10),
                                            createdAt: ServerFixture.now))
        let now = ServerFixture.now
        let gate = AccessGate(store: ForeignTokenStore(inner: store, foreignHash: foreign.hash), now: { now })
        let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 0, access: gate, now: { now })
        return (service, viewer.secret, admin.secret, foreign.secret, store)
    }

    /// Every route of the router with its path parameters filled with real values.
    static func routes(_ router: Router<ServerRequestContext>) -> [(method: HTTPRequest.Method, path: String)] {
        router.routes.map { route in
            (route.method, RouteWalkTests.paths(route.path.description) { $0.contains("name") ? ["lost-vips"] : ["c1"] }[0])
        }
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func everyRouteRefusesRequestsWithoutValidCredentials() async throws {
        let (service, viewer, admin, foreign, _) = try await Self.lockedShop()
        let router = ClienteleServer.router(service: service)
        let routes = Self.routes(router)
        #expect(routes.count >= 30)
        let app = Application(router: router)
        try await app.test(.router) { client in
            var checked = 0, adminOnly = 0
            for route in routes where route.path != "/login" {
                // No credentials: 401, with a sign-in form for pages and a JSON error with a challenge for the API.
                try await client.execute(uri: route.path, method: route.method) { response in
                    #expect(response.status == .unauthorized, "\(route.method) \(route.path): \(response.status)")
                    let body = String(buffer: response.body)
                    #expect(!body.contains("ann@example.dk") && !body.contains("Test &amp; Co"), "\(route.path) leaks data")
                    if route.path.hasPrefix("/api/") {
                        #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"clientele\"")
                    } else {
                        #expect(body.contains("name=\"password\""), "\(route.path): no sign-in form")
                    }
                }
                // A wrong token: 401.
                try await client.execute(uri: route.path, method: route.method, headers: Self.bearer(viewer + "x")) { response in
                    #expect(response.status == .unauthorized, "\(route.method) \(route.path) with a wrong token: \(response.status)")
                }
                // Another shop's token: 404, no data.
                try await client.execute(uri: route.path, method: route.method, headers: Self.bearer(foreign)) { response in
                    #expect(response.status == .notFound, "\(route.method) \(route.path) with another shop's token: \(response.status)")
                    let body = String(buffer: response.body)
                    #expect(!body.contains("ann@example.dk") && !body.contains("lost-vips"), "\(route.path) leaks data")
                }
                // A viewer reads but changes nothing.
                try await client.execute(uri: route.path, method: route.method, headers: Self.bearer(viewer)) { response in
                    if route.method == .get && !AccessMiddleware<ServerRequestContext>.isAdminOnly(route.path) {
                        #expect(![401, 403, 404].contains(response.status.code) || route.path.hasSuffix("no/such/route"),
                                "viewer GET \(route.path): \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "viewer \(route.method) \(route.path): \(response.status)")
                        if route.method == .get { adminOnly += 1 }
                    }
                }
                checked += 1
            }
            // An admin is let through (the route itself may still refuse an empty form: 400/422). Last, as an
            // admin's DELETE really deletes.
            for route in routes where route.path != "/login" {
                try await client.execute(uri: route.path, method: route.method, headers: Self.bearer(admin)) { response in
                    #expect(![401, 403].contains(response.status.code), "admin \(route.method) \(route.path): \(response.status)")
                }
            }
            #expect(checked == routes.count - routes.filter { $0.path == "/login" }.count)
            #expect(adminOnly == 2, "a customer's export and forget form are for admins only")
        }
    }

    @Test func theAPIAnswersATokenWithTheSameFiguresAsWithoutSignIn() async throws {
        let (service, viewer, _, _, _) = try await Self.lockedShop()
        let state = try await service.current()
        let reports = ShopReports(state: state, query: QueryParameters(query: nil), today: service.today(state.calendar))
        let expected = try reports.customers().json()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/customers", method: .get, headers: Self.bearer(viewer)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == expected)
            }
        }
    }

    /// Signs in as `name` and returns the session cookie (name=value), or nil with the status.
    static func signIn(_ client: any TestClientProtocol, _ name: String, _ password: String, next: String = "/analytics",
                       headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, cookie: String?, setCookie: String?, location: String?) {
        var h: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        h.append(contentsOf: headers)
        let form = "name=\(QueryParameters.encode(name))&password=\(QueryParameters.encode(password))&next=\(QueryParameters.encode(next))"
        return try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: form)) { response in
            let set = response.headers[.setCookie]
            return (response.status, set.map { String($0.prefix { $0 != ";" }) }, set, response.headers[.location])
        }
    }

    @Test func theDashboardSignInSetsASafeCookieAndFormsNeedTheSessionsToken() async throws {
        let (service, _, _, _, store) = try await Self.lockedShop()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            // Wrong password, unknown user: 401 with the form again, no cookie.
            for (name, password) in [("anna", "wrong password"), ("nobody", "anna's password")] {
                let (status, cookie, _, _) = try await Self.signIn(client, name, password)
                #expect(status == .unauthorized && cookie == nil)
            }
            // Right password: 303 to `next`, an HttpOnly, SameSite=Strict session cookie (Secure behind TLS only).
            let (status, cookie, setCookie, location) = try await Self.signIn(client, "anna", "anna's password")
            #expect(status == .seeOther && location == "/analytics")
            let attributes = try #require(setCookie)
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && !attributes.contains("Secure"))
            let tls = try await Self.signIn(client, "anna", "anna's password", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(tls.setCookie?.contains("; Secure") == true)
            // A `next` on another site is not followed.
            let offsite = try await Self.signIn(client, "anna", "anna's password", next: "//evil.example/x")
            #expect(offsite.location == "/")
            let session = try #require(cookie)

            // Pages open with the cookie; every POST form carries the session's token.
            let page = try await client.execute(uri: "/audiences/new", method: .get, headers: [.cookie: session]) { response in
                (response.status, String(buffer: response.body))
            }
            #expect(page.0 == .ok)
            let forms = page.1.components(separatedBy: "<form").count - 1
            let tokens = page.1.components(separatedBy: "name=\"_csrf\"").count - 1
            #expect(forms >= 2 && tokens == page.1.components(separatedBy: "method=\"post\"").count - 1)
            let csrf = try #require(page.1.range(of: "name=\"_csrf\" value=\"").map { r in
                String(page.1[r.upperBound...].prefix { $0 != "\"" })
            })
            let sessions = await store.access.sessions.values
            #expect(sessions.contains { $0.csrf == csrf && $0.user == "anna" })

            // A form without the token, or with another, is refused; with it, it goes through.
            let form: HTTPFields = [.cookie: session, .contentType: "application/x-www-form-urlencoded"]
            for body in ["name=vip&filter=orders+%3E%3D+2", "name=vip&filter=orders+%3E%3D+2&_csrf=forged"] {
                try await client.execute(uri: "/audiences/new", method: .post, headers: form, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .forbidden)
                }
            }
            try await client.execute(uri: "/audiences/new", method: .post, headers: form,
                                     body: ByteBuffer(string: "name=vip&filter=orders+%3E%3D+2&_csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
            }
            let saved = await store.listAudiences().map(\.name)
            #expect(saved.contains("vip"))

            // Signing out ends the session: the cookie no longer opens pages.
            try await client.execute(uri: "/logout", method: .post, headers: form, body: ByteBuffer(string: "_csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: session]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aViewerSessionReadsButCannotChangeAnything() async throws {
        let (service, _, _, _, store) = try await Self.lockedShop()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            let session = try #require(try await Self.signIn(client, "bo", "bo's password!").cookie)
            try await client.execute(uri: "/", method: .get, headers: [.cookie: session]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Sign out bo"))
            }
            let csrf = try #require(await store.access.sessions.values.first { $0.user == "bo" }?.csrf)
            try await client.execute(uri: "/audiences/new", method: .post,
                                     headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=vip&filter=orders+%3E%3D+2&_csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
            }
            let saved = await store.listAudiences().map(\.name)
            #expect(!saved.contains("vip"))
        }
    }

    @Test func aShopWithoutCredentialsStaysOpenOnThisComputerAndLocksWhenATokenIsCreated() async throws {
        let (service, _) = try await ResponseCacheTests.serviceAndStore()
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in
            #expect(try await ServerFixture.get(client, "/api/v1/customers").0 == .ok)
            let store = try #require(service.store as? InMemoryOrderStore)
            let token = Credentials.newToken()
            try await store.createToken(AccessToken(id: token.id, name: "", role: .viewer, hash: token.hash, createdAt: ServerFixture.now))
            // The gate asks the database again after its check interval (the fixture's clock stands still, so a
            // fresh gate is what a later request sees; `AccessGate` re-checks every 2 s).
            #expect(try await AccessGate(store: store).isRequired())
        }
        // A remote address is refused unless sign-in is always required.
        #expect(throws: APIError.self) { _ = try ClienteleServer.application(service: service, host: "0.0.0.0", port: 8080) }
        let locked = ShopService(store: service.store, cachePath: nil, access: AccessGate(store: nil, alwaysRequired: true))
        _ = try ClienteleServer.application(service: locked, host: "0.0.0.0", port: 8080)
    }
}
