import ClienteleCore
import Foundation

/// The engine's snapshot of a store, persisted beside it (STYLE.md, "The engine"): built from the store
/// on first use after a change, written as a versioned, checksummed file, and read back by later processes
/// instead of re-reading every row. The store stays the source of truth: a missing, stale or corrupt file
/// is rebuilt from the store, never trusted.
public enum SnapshotCache {
    /// What a cached snapshot must match to be used: the store's revision and the settings the calendar
    /// columns and amounts depend on.
    public static func sourceVersion(revision: String, calendar: ShopCalendar, currency: Currency) -> String {
        "\(revision)|\(calendar.identifier)|\(currency.code)"
    }

    /// The shop's snapshot: from the file at `cachePath` when it is current, else built from `store` (and
    /// written to `cachePath`, when given, for the next process; a file that cannot be written is skipped).
    public static func snapshot(of store: any OrderStore, calendar: ShopCalendar, currency: Currency,
                                cachePath: String?) async throws -> ShopSnapshot {
        let version = sourceVersion(revision: try await store.revision(), calendar: calendar, currency: currency)
        if let cachePath, let cached = read(cachePath, expecting: version) {
            return cached
        }
        var builder = ShopSnapshot.Builder(calendar: calendar, currency: currency)
        let counts = try await store.counts()
        builder.reserveCapacity(orders: counts.orders, lines: counts.lines)
        try await store.scanOrders { builder.add($0) }
        let snapshot = builder.build(sourceVersion: version)
        if let cachePath { write(snapshot, to: cachePath) }
        return snapshot
    }

    /// The snapshot in the file at `path` if it exists, is intact and was built from `version`.
    static func read(_ path: String, expecting version: String) -> ShopSnapshot? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
        return data.withUnsafeBytes { raw -> ShopSnapshot? in
            guard (try? ShopSnapshot.sourceVersion(ofSerialized: raw)) == version else { return nil }
            return try? ShopSnapshot(serialized: raw)
        }
    }

    /// Writes the snapshot atomically (a temporary file renamed over the old one), readable by its owner only
    /// (it holds customer keys and e-mails: `PrivateFile`); failures are ignored, since the cache is only an
    /// optimisation.
    static func write(_ snapshot: ShopSnapshot, to path: String) {
        try? PrivateFile.write(snapshot.serialized(), to: path)
    }
}
