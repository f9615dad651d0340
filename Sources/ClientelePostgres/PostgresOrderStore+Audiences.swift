import ClienteleCore
import ClienteleStore
import PostgresNIO

extension PostgresOrderStore {
    /// The saved audiences in ascending name by bytes (`COLLATE "C"`).
    public func listAudiences() async throws -> [SavedAudience] {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await Self.readAudiences(connection, shopId: shopId, logger: self.logger)
            }
        }
    }

    /// Inserts or replaces the audience with the same name.
    public func saveAudience(_ audience: SavedAudience) async throws {
        try SavedAudience.validate(audience)
        let shopId = try await shopId()
        try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.execute("""
                    INSERT INTO audiences (shop_id, name, filter, built_in, created_at, updated_at)
                    VALUES (\(shopId), \(audience.name), \(audience.filter), \(audience.builtIn),
                            \(audience.createdAt.seconds), \(audience.updatedAt.seconds))
                    ON CONFLICT (shop_id, name) DO UPDATE SET filter = excluded.filter, built_in = excluded.built_in,
                        created_at = excluded.created_at, updated_at = excluded.updated_at
                    """, on: connection, logger: self.logger)
            }
        }
    }

    /// Deletes the audience called `name` (bytes); `false` when there is none.
    public func deleteAudience(name: String) async throws -> Bool {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.affectedRows("DELETE FROM audiences WHERE shop_id = \(shopId) AND name = \(name)",
                                                   on: connection, logger: self.logger) > 0
            }
        }
    }

    /// The built-in audience seed version (0: never seeded).
    public func audienceSeedVersion() async throws -> Int {
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await Self.readSeedVersion(connection, shopId: shopId, logger: self.logger)
            }
        }
    }

    /// Seeds the audiences whose names are free when the seed version is below `version`, in one transaction that
    /// holds the shop's row lock (two processes seeding at once: the second sees the first's version and seeds nothing).
    public func seedAudiences(_ audiences: [SavedAudience], version: Int) async throws -> [String] {
        for audience in audiences { try SavedAudience.validate(audience) }
        let shopId = try await shopId()
        return try await run {
            try await self.pool.withConnection { connection in
                try await PostgresSQL.transaction(connection, logger: self.logger) { connection in
                    try await PostgresSQL.execute("SELECT id FROM shops WHERE id = \(shopId) FOR UPDATE",
                                                  on: connection, logger: self.logger)
                    guard try await Self.readSeedVersion(connection, shopId: shopId, logger: self.logger) < version else {
                        return [String]()
                    }
                    var inserted: [String] = []
                    for audience in audiences {
                        let added = try await PostgresSQL.affectedRows("""
                            INSERT INTO audiences (shop_id, name, filter, built_in, created_at, updated_at)
                            VALUES (\(shopId), \(audience.name), \(audience.filter), \(audience.builtIn),
                                    \(audience.createdAt.seconds), \(audience.updatedAt.seconds))
                            ON CONFLICT (shop_id, name) DO NOTHING
                            """, on: connection, logger: self.logger)
                        if added > 0 { inserted.append(audience.name) }
                    }
                    try await PostgresSQL.execute("""
                        INSERT INTO audience_seed (shop_id, version) VALUES (\(shopId), \(Int64(version)))
                        ON CONFLICT (shop_id) DO UPDATE SET version = excluded.version
                        """, on: connection, logger: self.logger)
                    return inserted
                }
            }
        }
    }

    static func readAudiences(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws -> [SavedAudience] {
        try await PostgresSQL.rows("""
            SELECT name, filter, built_in, created_at, updated_at FROM audiences WHERE shop_id = \(shopId) ORDER BY name
            """, on: connection, logger: logger).map { row in
            let c = row.cells
            return SavedAudience(name: c[0].string ?? "", filter: c[1].string ?? "",
                                 createdAt: Instant(seconds: c[3].int64 ?? 0), updatedAt: Instant(seconds: c[4].int64 ?? 0),
                                 builtIn: c[2].bool ?? false)
        }
    }

    static func readSeedVersion(_ connection: PostgresConnection, shopId: Int64, logger: Logger) async throws -> Int {
        let rows = try await PostgresSQL.rows("SELECT version FROM audience_seed WHERE shop_id = \(shopId)",
                                              on: connection, logger: logger)
        return Int(rows.first?.cells.first?.int64 ?? 0)
    }
}
