import ClienteleCore
import ClienteleSQLite
import ClienteleStore

/// A shop ready for reports: which shop of which database it is, its settings, calendar, reporting currency and
/// the engine's snapshot.
struct LoadedShop {
    let target: ShopTarget
    let settings: ShopSettings
    let calendar: ShopCalendar
    let currency: Currency
    let snapshot: ShopSnapshot

    /// Opens the shop named by the options (`--db`, `--shop`) and loads its snapshot.
    static func open(_ options: StoreOptions) async throws -> LoadedShop {
        let (target, store) = try await options.resolve(.nothing)
        return try await open(target, store: store)
    }

    /// Loads the settings and the snapshot of `target` from `store` (cached at `target.snapshotPath`).
    static func open(_ target: ShopTarget, store: any OrderStore) async throws -> LoadedShop {
        let settings = try await store.loadSettings()
        guard let calendar = settings.calendar else {
            throw CLIError("The shop's time zone \"\(settings.timeZone)\" is unknown on this system; set another with clientele shop \(target.arguments) --timezone ZONE.")
        }
        guard let currency = settings.reportingCurrency else {
            throw CLIError("The shop has no orders yet (and no currency). Import orders first: clientele import FILE \(target.arguments).")
        }
        let snapshot = try await SnapshotCache.snapshot(of: store, calendar: calendar, currency: currency,
                                                        cachePath: target.snapshotPath)
        return LoadedShop(target: target, settings: settings, calendar: calendar, currency: currency, snapshot: snapshot)
    }
}
