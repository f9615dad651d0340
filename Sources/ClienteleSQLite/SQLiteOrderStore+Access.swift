import ClienteleCore
import ClienteleStore
internal import GRDB

extension SQLiteOrderStore: AccessStore {
    /// Stores a new token of this shop.
    public func createToken(_ token: AccessToken) async throws {
        try Self.validateToken(token)
        try await run { [shopId] in
            try await self.pool.write { db in
                guard try Int64.fetchOne(db, sql: "SELECT count(*) FROM api_tokens WHERE id = ? OR hash = ?",
                                         arguments: [token.id, token.hash]) == 0 else {
                    throw StoreError(.invalidCredential, "a token with the id \(token.id) exists already")
                }
                try db.execute(sql: """
                    INSERT INTO api_tokens (id, shop_id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [token.id, shopId, token.name, token.role.rawValue, token.hash, token.createdAt.seconds])
            }
        }
    }

    /// The shop's tokens, oldest first.
    public func listTokens() async throws -> [AccessToken] {
        try await run { [shopId] in
            try self.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, name, role, hash, created_at FROM api_tokens WHERE shop_id = ? ORDER BY created_at, id
                    """, arguments: [shopId]).map { row in
                    AccessToken(id: row["id"], name: row["name"], role: AccessRole(rawValue: row["role"]) ?? .viewer,
                                hash: row["hash"], createdAt: Instant(seconds: row["created_at"]))
                }
            }
        }
    }

    /// Deletes the token `id` of this shop.
    public func revokeToken(id: String) async throws -> Bool {
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: "DELETE FROM api_tokens WHERE shop_id = ? AND id = ?", arguments: [shopId, id])
                return db.changesCount > 0
            }
        }
    }

    /// Whose the token with SHA-256 `hash` is, across every shop of the file.
    public func findToken(hash: String) async throws -> TokenMatch {
        try await run { [shopId] in
            try self.pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT id, shop_id, role FROM api_tokens WHERE hash = ?",
                                                 arguments: [hash]) else { return .none }
                guard (row["shop_id"] as Int64) == shopId, let role = AccessRole(rawValue: row["role"]) else { return .otherShop }
                return .thisShop(role: role, id: row["id"])
            }
        }
    }

    /// Inserts or replaces the user; replacing ends their sessions.
    public func saveUser(_ user: AccessUser) async throws {
        try Self.validateUserName(user.name)
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE shop_id = ? AND user_name = ?", arguments: [shopId, user.name])
                try db.execute(sql: """
                    INSERT INTO users (shop_id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (shop_id, name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                    """, arguments: [shopId, user.name, user.role.rawValue, user.passwordHash, user.createdAt.seconds])
            }
        }
    }

    /// The shop's users by name.
    public func listUsers() async throws -> [AccessUser] {
        try await run { [shopId] in
            try self.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT name, role, password_hash, created_at FROM users WHERE shop_id = ? ORDER BY name",
                                 arguments: [shopId]).map(Self.user)
            }
        }
    }

    /// The user called `name`, or nil.
    public func user(name: String) async throws -> AccessUser? {
        try await run { [shopId] in
            try self.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT name, role, password_hash, created_at FROM users WHERE shop_id = ? AND name = ?",
                                 arguments: [shopId, name]).map(Self.user)
            }
        }
    }

    /// Deletes the user and their sessions.
    public func deleteUser(name: String) async throws -> Bool {
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE shop_id = ? AND user_name = ?", arguments: [shopId, name])
                try db.execute(sql: "DELETE FROM users WHERE shop_id = ? AND name = ?", arguments: [shopId, name])
                return db.changesCount > 0
            }
        }
    }

    /// Stores a new session.
    public func createSession(_ session: AccessSession) async throws {
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO sessions (hash, shop_id, user_name, role, csrf, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [session.hash, shopId, session.user, session.role.rawValue, session.csrf, session.expiresAt.seconds])
            }
        }
    }

    /// The unexpired session of this shop with cookie hash `hash`.
    public func findSession(hash: String, now: Instant) async throws -> AccessSession? {
        try await run { [shopId] in
            try self.pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT hash, user_name, role, csrf, expires_at FROM sessions
                    WHERE hash = ? AND shop_id = ? AND expires_at > ?
                    """, arguments: [hash, shopId, now.seconds]).map { row in
                    AccessSession(hash: row["hash"], user: row["user_name"], role: AccessRole(rawValue: row["role"]) ?? .viewer,
                                  csrf: row["csrf"], expiresAt: Instant(seconds: row["expires_at"]))
                }
            }
        }
    }

    /// Ends the session and deletes the expired ones.
    public func deleteSession(hash: String, now: Instant) async throws {
        try await run {
            try await self.pool.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE hash = ? OR expires_at <= ?", arguments: [hash, now.seconds])
            }
        }
    }

    /// Whether the file holds any token or user.
    public func hasCredentials() async throws -> Bool {
        try await run {
            try self.pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens) OR EXISTS (SELECT 1 FROM users)") ?? false
            }
        }
    }

    static func user(_ row: Row) -> AccessUser {
        AccessUser(name: row["name"], role: AccessRole(rawValue: row["role"]) ?? .viewer,
                   passwordHash: row["password_hash"], createdAt: Instant(seconds: row["created_at"]))
    }
}
