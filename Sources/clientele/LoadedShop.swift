import ClienteleCore
import ClienteleSQLite
import ClienteleStore

/// A shop ready for reports: its settings, calendar, reporting currency and the engine's snapshot.
struct LoadedShop {
    let settings: ShopSettings
    let calendar: ShopCalendar
    let currency: Currency
    let snapshot: ShopSnapshot

    /// Opens the store named by the options and loads its snapshot.
    static func open(_ options: StoreOptions) async throws -> LoadedShop {
        try await open(path: options.path())
    }

    /// Opens the database at `path` (a SQLite file or a PostgreSQL URL) and loads its snapshot (cached at
    /// `StoreOptions.snapshotPath(for:)`).
    static func open(path: String) async throws -> LoadedShop {
        let store = try StoreOptions.open(path: path, create: false)
        let settings = try await store.loadSettings()
        guard let calendar = settings.calendar else {
            throw CLIError("The shop's time zone \"\(settings.timeZone)\" is unknown on this system; set another with clientele shop --timezone ZONE.")
        }
        guard let currency = settings.reportingCurrency else {
            throw CLIError("The shop has no orders yet (and no currency). Import orders first: clientele import FILE --db \(StoreOptions.display(path)).")
        }
        let snapshot = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: currency,
                                                        cachePath: StoreOptions.snapshotPath(for: path))
        return LoadedShop(settings: settings, calendar: calendar, currency: currency, snapshot: snapshot)
    }
}
