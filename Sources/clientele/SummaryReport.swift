import ArgumentParser
import ClienteleCore
import ClienteleSheets
import Foundation

/// `clientele report summary`: the weekly numbers sheet (docs/summary.md).
struct SummaryReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "The weekly numbers sheet: a week's key figures beside the week before and the same week last year, top customers and products.",
        discussion: """
        The week runs Monday to Sunday in the shop's time zone; the default is the last full week.
        Examples:
          clientele report summary --db shop.sqlite
          clientele report summary --db shop.sqlite --week 2026-W47 --format html --output week-47.html
          clientele report summary --db shop.sqlite --format xlsx --output week.xlsx
          clientele report summary --db shop.sqlite --format json
        """
    )

    /// The sheet's renderings.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, html, xlsx
    }

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The ISO week, e.g. 2026-W47. Default: the last full week before today.", valueName: "YYYY-Www"))
    var week: String?
    @Option(help: "Output: table, json, html (e-mail-ready page) or xlsx (a workbook; needs --output).") var format: Format = .table
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "PATH")) var output: String?

    func validate() throws {
        if let week, WeeklySummary.Week(iso: week) == nil {
            throw ValidationError("--week \"\(week)\" is not an ISO week: write it as YYYY-Www, e.g. 2026-W47 (weeks 1–52, or 53 in a long year).")
        }
        if format == .xlsx && output == nil {
            throw ValidationError("--format xlsx writes a binary workbook: name the file with --output PATH, e.g. --output week.xlsx.")
        }
    }

    func run() async throws {
        let shop = try await LoadedShop.open(store)
        let today = shop.calendar.date(of: Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))))
        let w = week.flatMap(WeeklySummary.Week.init(iso:)) ?? WeeklySummary.Week.lastComplete(before: today)
        let summary = WeeklySummary.compute(snapshot: shop.snapshot, week: w, thresholds: shop.settings.thresholds,
                                            currency: shop.currency, timeZone: shop.settings.timeZone)
        let bytes: Data
        switch format {
        case .json: bytes = Data(summary.json().utf8)
        case .html: bytes = Data(summary.emailHTML(shopName: shop.settings.name).utf8)
        case .xlsx: bytes = try summary.workbook().xlsx()
        case .table: bytes = Data(summary.table(shopName: shop.settings.name).utf8)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: bytes) else {
                throw CLIError("Cannot write \(output): check that its folder exists and is writable.")
            }
            print("Wrote the sheet of week \(w) to \(output).")
        } else {
            FileHandle.standardOutput.write(bytes)
        }
    }
}
