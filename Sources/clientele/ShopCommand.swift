import ArgumentParser
import ClienteleCore
import ClienteleStore
import Foundation

/// `clientele shop`: shows or changes a shop's settings (the default subcommand), lists the shops of a database
/// and creates one (docs/shops.md).
struct ShopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop",
        abstract: "Show or change the shop's settings (name, time zone, currency, locale, retention limit); list or create the shops of a database.",
        discussion: """
        A new database needs no set-up: the time zone is UTC and the currency is taken from the first import.
        One database can hold several shops, each with its own orders and settings (docs/shops.md).
        Examples:
          clientele shop --db shop.sqlite --timezone Europe/Copenhagen --currency DKK --locale da_DK
          clientele shop create nordic-tea --db shops.sqlite --name "Nordic Tea" --timezone Europe/Oslo --currency NOK
          clientele shop list --db shops.sqlite
          clientele shop --db shops.sqlite --shop nordic-tea
        Retention: clientele shop --db shop.sqlite --retention-years 3   (off removes it; docs/privacy.md)
        """,
        subcommands: [ShopShow.self, ShopList.self, ShopCreate.self],
        defaultSubcommand: ShopShow.self
    )
}

/// The settings options `clientele shop` and `clientele shop create` share.
struct ShopSettingsOptions: ParsableArguments {
    @Option(help: "The shop's name.") var name: String?
    @Option(help: ArgumentHelp("The IANA time zone every day, month and hour is taken in.", valueName: "ZONE")) var timezone: String?
    @Option(help: ArgumentHelp("The reporting currency (ISO 4217). Set it before the first import.", valueName: "CODE")) var currency: String?
    @Option(help: ArgumentHelp("The locale money is shown in, e.g. da_DK, sv_SE, nb_NO, en_US.", valueName: "LOCALE")) var locale: String?
    @Option(name: .customLong("retention-years"), help: ArgumentHelp("Anonymise customers with no order for this many years (1–100), after every import and with clientele customer anonymise-inactive; off removes the limit (docs/privacy.md).", valueName: "N|off")) var retentionYears: String?

    /// `--retention-years` read: `.some(nil)` for off.
    var retention: Int?? {
        guard let retentionYears else { return nil }
        if retentionYears.lowercased() == "off" { return .some(nil) }
        return Int(retentionYears).map { .some($0) }
    }

    /// Whether any setting is given.
    var changing: Bool { name != nil || timezone != nil || currency != nil || locale != nil || retentionYears != nil }

    func validate() throws {
        if let timezone, ShopCalendar(identifier: timezone) == nil {
            throw ValidationError("Unknown time zone \"\(timezone)\": use an IANA name such as Europe/Copenhagen, Europe/Stockholm or UTC.")
        }
        if let currency, Currency(code: currency) == nil {
            throw ValidationError("Unknown currency \"\(currency)\": use an ISO 4217 code such as DKK, SEK, NOK or EUR.")
        }
        if let locale, locale.isEmpty || !locale.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }) {
            throw ValidationError("Locale \"\(locale)\" is not a locale identifier such as da_DK.")
        }
        if retentionYears != nil, retention.flatMap({ $0.map(ShopSettings.retentionYearsRange.contains) ?? true }) != true {
            throw ValidationError("--retention-years must be a number of years from 1 to 100, or off.")
        }
    }

    /// `settings` with the given options applied (the currency in capitals).
    func applied(to settings: ShopSettings) -> ShopSettings {
        var s = settings
        if let retention { s.retentionYears = retention }
        if let name { s.name = name }
        if let timezone { s.timeZone = timezone }
        if let locale { s.locale = locale }
        if let currency { s.currency = Currency(code: currency)!.code }
        return s
    }
}

/// `clientele shop [--shop NAME]`: shows or changes one shop's settings.
struct ShopShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show or change the shop's settings (the default: clientele shop --db PATH …)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ShopSettingsOptions

    func run() async throws {
        let (target, db) = try await store.resolve(.defaultShop)
        var settings = try await db.loadSettings()
        if options.changing {
            let changed = options.applied(to: settings)
            if let old = settings.currency, let code = changed.currency, old != code, try await db.counts().orders > 0 {
                throw CLIError("The shop already reports in \(old) and holds orders converted to it; changing the currency to \(code) would mix currencies. Create a new shop for \(code) (clientele shop create NAME --currency \(code) --db \(target.display)) or a new database.")
            }
            settings = changed
            try await db.saveSettings(settings)
        }
        print(Self.render(settings, handle: target.shop))
    }

    static func render(_ s: ShopSettings, handle: String) -> String {
        """
        Handle     \(handle)
        Shop       \(s.name)
        Time zone  \(s.timeZone)
        Currency   \(s.currency ?? "– (taken from the first import)")
        Locale     \(s.locale)
        Retention  \(s.retentionYears.map { "\($0) year\($0 == 1 ? "" : "s") (customers inactive longer are anonymised)" } ?? "off (customers are kept until forgotten)")
        """
    }
}

/// `clientele shop list`: the shops of a database.
struct ShopList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the shops of a database: handle, name, time zone, currency, orders.",
        discussion: """
        Example: clientele shop list --db shops.sqlite
        """
    )

    /// Output formats of `clientele shop list`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table (for people) or json.") var format: Format = .table

    func run() async throws {
        let path = try store.path()
        let database = try StoreOptions.openDatabase(path: path, create: false)
        var rows: [(ShopListing, ShopSettings, Int)] = []
        for listing in try await database.shops() {
            let shop = try await database.store(shop: listing.handle)
            rows.append((listing, try await shop.loadSettings(), try await shop.counts().orders))
        }
        switch format {
        case .json:
            let list = JSONValue.array(rows.map { listing, settings, orders in
                .object([("handle", .string(listing.handle)), ("name", .string(settings.name)),
                         ("timeZone", .string(settings.timeZone)), ("currency", .string(settings.currency)),
                         ("locale", .string(settings.locale)), ("orders", .int(orders))])
            })
            print(list.rendered())
        case .table:
            guard !rows.isEmpty else {
                print("The database \(StoreOptions.display(path)) holds no shop yet.")
                return
            }
            printColumns([["Handle", "Name", "Time zone", "Currency", "Orders"]] + rows.map { listing, settings, orders in
                [listing.handle, settings.name, settings.timeZone, settings.currency ?? "–", String(orders)]
            }, rightAligned: [4])
        }
    }
}

/// `clientele shop create NAME`: adds a shop to a database (creating the database file when missing).
struct ShopCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a shop in a database, with its own orders and settings.",
        discussion: """
        NAME is the shop's handle: 1 to 64 characters of a-z, 0-9, - and _. Commands name it with --shop NAME and
        the dashboard serves it under /shops/NAME/.
        Example: clientele shop create nordic-tea --db shops.sqlite --name "Nordic Tea" --timezone Europe/Oslo --currency NOK --locale nb_NO
        """
    )

    @Argument(help: ArgumentHelp("The new shop's handle (a-z, 0-9, - and _).", valueName: "NAME")) var handle: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ShopSettingsOptions

    func validate() throws {
        if let shop = store.shop, !shop.isEmpty {
            throw ValidationError("Give the new shop's handle as the argument (clientele shop create \(shop) …), not with --shop.")
        }
        do { try ShopHandle.validate(handle) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        let path = try store.path()
        let database = try StoreOptions.openDatabase(path: path, create: true)
        var settings = options.applied(to: ShopSettings())
        if options.name == nil { settings.name = handle }
        guard try await database.createShop(handle, settings: settings) else {
            throw CLIError("The database \(StoreOptions.display(path)) already holds a shop \"\(handle)\"; change its settings with clientele shop --db \(StoreOptions.display(path)) --shop \(handle) --timezone ZONE ….")
        }
        print("Created the shop \"\(handle)\" in \(StoreOptions.display(path)).")
        print(ShopShow.render(settings, handle: handle))
    }
}
