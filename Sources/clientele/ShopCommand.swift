import ArgumentParser
import ClienteleCore
import ClienteleStore
import Foundation

/// `clientele shop`: shows or changes the shop's settings.
struct ShopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop",
        abstract: "Show or change the shop's settings (name, time zone, currency, locale, retention limit).",
        discussion: """
        A new database needs no set-up: the time zone is UTC and the currency is taken from the first import.
        Example: clientele shop --db shop.sqlite --timezone Europe/Copenhagen --currency DKK --locale da_DK
        Retention: clientele shop --db shop.sqlite --retention-years 3   (off removes it; docs/privacy.md)
        """
    )

    @OptionGroup var store: StoreOptions
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

    func run() async throws {
        let db = try store.open(create: true)
        var settings = try await db.loadSettings()
        let changing = name != nil || timezone != nil || currency != nil || locale != nil || retentionYears != nil
        if changing {
            if let retention { settings.retentionYears = retention }
            if let name { settings.name = name }
            if let timezone { settings.timeZone = timezone }
            if let locale { settings.locale = locale }
            if let currency {
                let code = Currency(code: currency)!.code
                if let old = settings.currency, old != code, try await db.counts().orders > 0 {
                    throw CLIError("The shop already reports in \(old) and holds orders converted to it; changing the currency to \(code) would mix currencies. Create a new database for a \(code) shop.")
                }
                settings.currency = code
            }
            try await db.saveSettings(settings)
        }
        print(Self.render(settings))
    }

    static func render(_ s: ShopSettings) -> String {
        """
        Shop       \(s.name)
        Time zone  \(s.timeZone)
        Currency   \(s.currency ?? "– (taken from the first import)")
        Locale     \(s.locale)
        Retention  \(s.retentionYears.map { "\($0) year\($0 == 1 ? "" : "s") (customers inactive longer are anonymised)" } ?? "off (customers are kept until forgotten)")
        """
    }
}
