import ClienteleCore
import ClienteleStore
import ClientelePostgres
import Testing

/// The credentials part of the store contract (tokens, users, sessions), run for each factory in
/// `StoreFactory.all`. Hashes here are made-up 64-hex-digit strings: the store only keeps and compares them.
@Suite("Store contract: access")
struct AccessContractTests {
    static func hex(_ c: Character) -> String { String(repeating: c, count: 64) }
    static func token(_ id: String, _ c: Character, _ role: AccessRole, at t: Int64) -> AccessToken {
        AccessToken(id: id, name: "label \(id)", role: role, hash: hex(c), createdAt: Instant(seconds: t))
    }

    @Test("tokens: create, find, list, revoke", arguments: StoreFactory.all)
    func tokens(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let access = try #require(store as? any AccessStore)
            #expect(try await access.hasCredentials() == false)
            #expect(try await access.findToken(hash: Self.hex("a")) == .none)
            let viewer = Self.token("tok_v", "a", .viewer, at: 2_000), admin = Self.token("tok_a", "b", .admin, at: 1_000)
            try await access.createToken(viewer)
            try await access.createToken(admin)
            #expect(try await access.hasCredentials())
            #expect(try await access.listTokens() == [admin, viewer], "oldest first")
            #expect(try await access.findToken(hash: Self.hex("a")) == .thisShop(role: .viewer, id: "tok_v"))
            #expect(try await access.findToken(hash: Self.hex("b")) == .thisShop(role: .admin, id: "tok_a"))
            #expect(try await access.findToken(hash: Self.hex("c")) == .none)
            // The same id or the same hash twice is refused; a malformed hash too.
            await #expect(throws: StoreError.self) { try await access.createToken(Self.token("tok_v", "d", .viewer, at: 3_000)) }
            await #expect(throws: StoreError.self) { try await access.createToken(Self.token("tok_x", "a", .viewer, at: 3_000)) }
            await #expect(throws: StoreError.self) {
                try await access.createToken(AccessToken(id: "tok_y", name: "", role: .viewer, hash: "not hex", createdAt: Instant(seconds: 1)))
            }
            #expect(try await access.revokeToken(id: "tok_v"))
            #expect(try await access.revokeToken(id: "tok_v") == false)
            #expect(try await access.findToken(hash: Self.hex("a")) == .none, "a revoked token stops working")
            #expect(try await access.listTokens() == [admin])
        }
    }

    @Test("users and sessions: replace ends sessions, expiry, delete", arguments: StoreFactory.all)
    func usersAndSessions(factory: StoreFactory) async throws {
        try await withStore(factory) { store in
            let access = try #require(store as? any AccessStore)
            let anna = AccessUser(name: "anna", role: .admin, passwordHash: "scrypt$h1", createdAt: Instant(seconds: 100))
            let bo = AccessUser(name: "Bo Ø", role: .viewer, passwordHash: "scrypt$h2", createdAt: Instant(seconds: 200))
            try await access.saveUser(bo)
            try await access.saveUser(anna)
            #expect(try await access.hasCredentials())
            #expect(try await access.listUsers() == [bo, anna], "by name in bytes: \"B\" (0x42) before \"a\" (0x61)")
            #expect(try await access.user(name: "anna") == anna)
            #expect(try await access.user(name: "Anna") == nil, "names compare by bytes")
            await #expect(throws: StoreError.self) {
                try await access.saveUser(AccessUser(name: "", role: .viewer, passwordHash: "x", createdAt: Instant(seconds: 1)))
            }

            let s1 = AccessSession(hash: Self.hex("1"), user: "anna", role: .admin, csrf: "c1", expiresAt: Instant(seconds: 1_000))
            let s2 = AccessSession(hash: Self.hex("2"), user: "Bo Ø", role: .viewer, csrf: "c2", expiresAt: Instant(seconds: 500))
            try await access.createSession(s1)
            try await access.createSession(s2)
            #expect(try await access.findSession(hash: Self.hex("1"), now: Instant(seconds: 999)) == s1)
            #expect(try await access.findSession(hash: Self.hex("1"), now: Instant(seconds: 1_000)) == nil, "expired at its end")
            #expect(try await access.findSession(hash: Self.hex("3"), now: Instant(seconds: 0)) == nil)
            // Ending s1 at t = 600 also drops s2 (expired at 500).
            try await access.deleteSession(hash: Self.hex("1"), now: Instant(seconds: 600))
            #expect(try await access.findSession(hash: Self.hex("1"), now: Instant(seconds: 0)) == nil)
            #expect(try await access.findSession(hash: Self.hex("2"), now: Instant(seconds: 0)) == nil)

            // A new password ends the user's sessions; the creation time stays.
            let s3 = AccessSession(hash: Self.hex("3"), user: "anna", role: .admin, csrf: "c3", expiresAt: Instant(seconds: 9_000))
            try await access.createSession(s3)
            var changed = anna
            changed.passwordHash = "scrypt$h3"
            changed.role = .viewer
            changed.createdAt = Instant(seconds: 999)
            try await access.saveUser(changed)
            #expect(try await access.findSession(hash: Self.hex("3"), now: Instant(seconds: 0)) == nil)
            changed.createdAt = anna.createdAt
            #expect(try await access.user(name: "anna") == changed)

            // Deleting a user ends their sessions.
            let s4 = AccessSession(hash: Self.hex("4"), user: "Bo Ø", role: .viewer, csrf: "c4", expiresAt: Instant(seconds: 9_000))
            try await access.createSession(s4)
            #expect(try await access.deleteUser(name: "Bo Ø"))
            #expect(try await access.deleteUser(name: "Bo Ø") == false)
            #expect(try await access.findSession(hash: Self.hex("4"), now: Instant(seconds: 0)) == nil)
            #expect(try await access.listUsers() == [changed])
        }
    }

    /// Two shops in one PostgreSQL database: a token of one is `.otherShop` to the other, and neither lists,
    /// revokes or signs in with the other's credentials.
    @Test("PostgreSQL: another shop's credentials are told apart and out of reach")
    func otherShopOnPostgres() async throws {
        guard PostgresTestServer.isConfigured else { return }
        let scratch = try TestScratch()
        let url = try PostgresTestServer.url(schema: scratch.uniqueName)
        let a = try await PostgresOrderStore.open(url: url, shop: "shop-a")
        let b = try await PostgresOrderStore.open(url: url, shop: "shop-b")
        do {
            try await a.createToken(Self.token("tok_a", "a", .admin, at: 1))
            try await a.saveUser(AccessUser(name: "anna", role: .admin, passwordHash: "scrypt$x", createdAt: Instant(seconds: 1)))
            try await a.createSession(AccessSession(hash: Self.hex("5"), user: "anna", role: .admin, csrf: "c", expiresAt: Instant(seconds: 99)))
            #expect(try await b.findToken(hash: Self.hex("a")) == .otherShop)
            #expect(try await a.findToken(hash: Self.hex("a")) == .thisShop(role: .admin, id: "tok_a"))
            #expect(try await b.listTokens().isEmpty)
            #expect(try await b.revokeToken(id: "tok_a") == false)
            #expect(try await b.user(name: "anna") == nil)
            #expect(try await b.findSession(hash: Self.hex("5"), now: Instant(seconds: 0)) == nil)
            #expect(try await a.findSession(hash: Self.hex("5"), now: Instant(seconds: 0)) != nil)
        } catch {
            try? await a.dropSchema()
            await a.close(); await b.close()
            throw error
        }
        try? await a.dropSchema()
        await a.close(); await b.close()
    }
}
