import ClienteleCore
import ClienteleStore
import PostgresNIO

extension PostgresOrderStore: AccessStore {
    /// Stores a new token of this shop.
    public func createToken(_ token: AccessToken) async throws {
        try Self.validateToken(token)
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                let added = try await PostgresSQL.affectedRows("""
                    INSERT INTO api_tokens (id, shop_id, name, role, hash, created_at)
                    VALUES (\(token.id), \(shopId), \(token.name), \(token.role.rawValue), \(token.hash), \(token.createdAt.seconds))
                    ON CONFLICT DO NOTHING
                    """, on: connection, logger: self.logger)
                guard added == 1 else { throw StoreError(.invalidCredential, "a token with the id \(token.id) exists already") }
            }
        }
    }

    /// The shop's tokens, oldest first.
    public func listTokens() async throws -> [AccessToken] {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.rows("""
                    SELECT id, name, role, hash, created_at FROM api_tokens WHERE shop_id = \(shopId) ORDER BY created_at, id
                    """, on: connection, logger: self.logger).map { row in
                    let c = row.cells
                    return AccessToken(id: c[0].string ?? "", name: c[1].string ?? "", role: AccessRole(rawValue: c[2].string ?? "") ?? .viewer,
                                       hash: c[3].string ?? "", createdAt: Instant(seconds: c[4].int64 ?? 0))
                }
            }
        }
    }

    /// Deletes the token `id` of this shop.
    public func revokeToken(id: String) async throws -> Bool {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.affectedRows("DELETE FROM api_tokens WHERE shop_id = \(shopId) AND id = \(id)",
                                                   on: connection, logger: self.logger) > 0
            }
        }
    }

    /// Whose the token with SHA-256 `hash` is, across every shop of the database.
    public func findToken(hash: String) async throws -> TokenMatch {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                let rows = try await PostgresSQL.rows("SELECT id, shop_id, role FROM api_tokens WHERE hash = \(hash)",
                                                      on: connection, logger: self.logger)
                guard let c = rows.first?.cells else { return .none }
                guard c[1].int64 == shopId, let role = AccessRole(rawValue: c[2].string ?? "") else { return .otherShop }
                return .thisShop(role: role, id: c[0].string ?? "")
            }
        }
    }

    /// Inserts or replaces the user; replacing ends their sessions.
    public func saveUser(_ user: AccessUser) async throws {
        try Self.validateUserName(user.name)
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    try await PostgresSQL.execute("DELETE FROM sessions WHERE shop_id = \(shopId) AND user_name = \(user.name)",
                                                  on: connection, logger: self.logger)
                    try await PostgresSQL.execute("""
                        INSERT INTO users (shop_id, name, role, password_hash, created_at)
                        VALUES (\(shopId), \(user.name), \(user.role.rawValue), \(user.passwordHash), \(user.createdAt.seconds))
                        ON CONFLICT (shop_id, name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                        """, on: connection, logger: self.logger)
                }
            }
        }
    }

    /// The shop's users by name.
    public func listUsers() async throws -> [AccessUser] {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.rows("""
                    SELECT name, role, password_hash, created_at FROM users WHERE shop_id = \(shopId) ORDER BY name
                    """, on: connection, logger: self.logger).map(Self.user)
            }
        }
    }

    /// The user called `name`, or nil.
    public func user(name: String) async throws -> AccessUser? {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.rows("""
                    SELECT name, role, password_hash, created_at FROM users WHERE shop_id = \(shopId) AND name = \(name)
                    """, on: connection, logger: self.logger).first.map(Self.user)
            }
        }
    }

    /// Deletes the user and their sessions.
    public func deleteUser(name: String) async throws -> Bool {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    try await PostgresSQL.execute("DELETE FROM sessions WHERE shop_id = \(shopId) AND user_name = \(name)",
                                                  on: connection, logger: self.logger)
                    return try await PostgresSQL.affectedRows("DELETE FROM users WHERE shop_id = \(shopId) AND name = \(name)",
                                                              on: connection, logger: self.logger) > 0
                }
            }
        }
    }

    /// Stores a new session.
    public func createSession(_ session: AccessSession) async throws {
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.execute("""
                    INSERT INTO sessions (hash, shop_id, user_name, role, csrf, expires_at)
                    VALUES (\(session.hash), \(shopId), \(session.user), \(session.role.rawValue), \(session.csrf), \(session.expiresAt.seconds))
                    """, on: connection, logger: self.logger)
            }
        }
    }

    /// The unexpired session of this shop with cookie hash `hash`.
    public func findSession(hash: String, now: Instant) async throws -> AccessSession? {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.rows("""
                    SELECT hash, user_name, role, csrf, expires_at FROM sessions
                    WHERE hash = \(hash) AND shop_id = \(shopId) AND expires_at > \(now.seconds)
                    """, on: connection, logger: self.logger).first.map { row in
                    let c = row.cells
                    return AccessSession(hash: c[0].string ?? "", user: c[1].string ?? "", role: AccessRole(rawValue: c[2].string ?? "") ?? .viewer,
                                         csrf: c[3].string ?? "", expiresAt: Instant(seconds: c[4].int64 ?? 0))
                }
            }
        }
    }

    /// Ends the session and deletes the expired ones.
    public func deleteSession(hash: String, now: Instant) async throws {
        _ = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.execute("DELETE FROM sessions WHERE hash = \(hash) OR expires_at <= \(now.seconds)",
                                              on: connection, logger: self.logger)
            }
        }
    }

    /// Whether the database holds any token or user.
    public func hasCredentials() async throws -> Bool {
        _ = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                let rows = try await PostgresSQL.rows("SELECT EXISTS (SELECT 1 FROM api_tokens) OR EXISTS (SELECT 1 FROM users)",
                                                      on: connection, logger: self.logger)
                return rows.first?.cells.first?.bool ?? false
            }
        }
    }

    static func user(_ row: PostgresRow) -> AccessUser {
        let c = row.cells
        return AccessUser(name: c[0].string ?? "", role: AccessRole(rawValue: c[1].string ?? "") ?? .viewer,
                          passwordHash: c[2].string ?? "", createdAt: Instant(seconds: c[3].int64 ?? 0))
    }
}
