import ClienteleCore
import ClienteleStore
internal import GRDB

extension SQLiteOrderStore {
    /// The saved audiences in ascending name by bytes (SQLite's BINARY collation).
    public func listAudiences() async throws -> [SavedAudience] {
        try await run { [shopId] in
            try self.pool.read { db in try SQLiteOrderStore.readAudiences(db, shopId: shopId) }
        }
    }

    /// Inserts or replaces the audience with the same name.
    public func saveAudience(_ audience: SavedAudience) async throws {
        try SavedAudience.validate(audience)
        try await run { [shopId] in
            try await self.pool.write { db in try SQLiteOrderStore.upsert(audience, db, shopId: shopId) }
        }
    }

    /// Deletes the audience called `name`; `false` when there is none.
    public func deleteAudience(name: String) async throws -> Bool {
        try await run { [shopId] in
            try await self.pool.write { db in
                try db.execute(sql: "DELETE FROM audiences WHERE shop_id = ? AND name = ?", arguments: [shopId, name])
                return db.changesCount > 0
            }
        }
    }

    /// The built-in audience seed version (0: never seeded).
    public func audienceSeedVersion() async throws -> Int {
        try await run { [shopId] in
            try self.pool.read { db in try SQLiteOrderStore.readSeedVersion(db, shopId: shopId) }
        }
    }

    /// Seeds the audiences whose names are free when the seed version is below `version`, in one transaction.
    public func seedAudiences(_ audiences: [SavedAudience], version: Int) async throws -> [String] {
        for audience in audiences { try SavedAudience.validate(audience) }
        return try await run { [shopId] in
            try await self.pool.write { db in
                guard try SQLiteOrderStore.readSeedVersion(db, shopId: shopId) < version else { return [] }
                var inserted: [String] = []
                for audience in audiences {
                    try db.execute(sql: """
                        INSERT INTO audiences (shop_id, name, filter, built_in, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, name) DO NOTHING
                        """, arguments: [shopId, audience.name, audience.filter, audience.builtIn ? 1 : 0,
                                         audience.createdAt.seconds, audience.updatedAt.seconds])
                    if db.changesCount > 0 { inserted.append(audience.name) }
                }
                try db.execute(sql: """
                    INSERT INTO audience_seed (shop_id, version) VALUES (?, ?)
                    ON CONFLICT (shop_id) DO UPDATE SET version = excluded.version
                    """, arguments: [shopId, version])
                return inserted
            }
        }
    }

    static func upsert(_ audience: SavedAudience, _ db: Database, shopId: Int64) throws {
        try db.execute(sql: """
            INSERT INTO audiences (shop_id, name, filter, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (shop_id, name) DO UPDATE SET filter = excluded.filter, built_in = excluded.built_in,
                created_at = excluded.created_at, updated_at = excluded.updated_at
            """, arguments: [shopId, audience.name, audience.filter, audience.builtIn ? 1 : 0,
                             audience.createdAt.seconds, audience.updatedAt.seconds])
    }

    static func readAudiences(_ db: Database, shopId: Int64) throws -> [SavedAudience] {
        try Row.fetchAll(db, sql: """
            SELECT name, filter, built_in, created_at, updated_at FROM audiences WHERE shop_id = ? ORDER BY name
            """, arguments: [shopId]).map { row in
            SavedAudience(name: row["name"], filter: row["filter"], createdAt: Instant(seconds: row["created_at"]),
                          updatedAt: Instant(seconds: row["updated_at"]), builtIn: (row["built_in"] as Int64) != 0)
        }
    }

    static func readSeedVersion(_ db: Database, shopId: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT version FROM audience_seed WHERE shop_id = ?", arguments: [shopId]) ?? 0
    }
}
