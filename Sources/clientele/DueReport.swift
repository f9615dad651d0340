import ArgumentParser
import ClienteleCore
import Foundation

/// `clientele report due`: the customers due for a purchase-cycle reminder (METRICS.md, "Purchase cycles").
struct DueReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Customers due for a reminder: last purchase of a product with a cycle + the reminder offset falls in the next days.",
        discussion: """
        A customer is listed for a product when the reminder date (their last order with it + max(cycle − 7 days,
        cycle ÷ 2), as a shop date) lies in [as-of, as-of + within). Run it every N days with --within Nd.
        Examples:
          clientele report due --db shop.sqlite
          clientele report due --db shop.sqlite --as-of 2025-09-14 --within 14d --format csv > reminders.csv
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The first day of the window; orders up to and including it count. Default: today in the shop's time zone.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("The window's length: days (7d or 7) or weeks (2w).", valueName: "DURATION"))
    var within: String = "7d"
    @Option(name: .customLong("min-gaps"), help: ArgumentHelp("Only products with a cycle from at least N gaps.", valueName: "N"))
    var minGaps: Int = 4
    @Option(help: "Output: table (for people), json (every figure), csv (the list for an e-mail tool).") var format: OutputFormat = .table

    /// `7d`, `7` or `2w` as days; `nil` when unreadable or not positive.
    static func days(_ text: String) -> Int? {
        var t = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var unit = 1
        if t.hasSuffix("d") { t = t.dropLast() } else if t.hasSuffix("w") { t = t.dropLast(); unit = 7 }
        guard let n = Int(t), n > 0, n <= 3660 else { return nil }
        return n * unit
    }

    func validate() throws {
        try validateAsOf(asOf)
        if Self.days(within) == nil {
            throw ValidationError("--within \"\(within)\" is not a duration: write days as 7d (or 7) or weeks as 2w.")
        }
        if minGaps < 1 { throw ValidationError("--min-gaps must be 1 or more.") }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let due = DueReminders.compute(snapshot: shop.snapshot, asOf: asOfOrToday(asOf, shop.calendar),
                                       withinDays: Self.days(within) ?? 7, calendar: shop.calendar, minGaps: minGaps)
        switch format {
        case .json: print(due.json(), terminator: "")
        case .csv: print(due.csv(), terminator: "")
        case .table: print(due.table(shopName: shop.settings.name, locale: shop.settings.locale), terminator: "")
        }
    }
}
