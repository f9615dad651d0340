import ArgumentParser
import ClienteleCore
import ClientelePrediction
import ClienteleStore
import Foundation

extension RepeatPurchaseModel: ExpressibleByArgument {}
extension TimeUnit: ExpressibleByArgument {}

/// `clientele fit`: fits BG/NBD (or MBG/NBD) and Gamma-Gamma, shows how well they predict a holdout period and
/// stores the fit beside the database for `clientele predict` (docs/predictive.md).
struct FitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit the predictive models (BG/NBD or MBG/NBD, Gamma-Gamma) and check them on a holdout period.",
        discussion: """
        With --db the fit is saved to PATH.model.json, which clientele predict uses.
        Dates are inclusive: orders on the calibration end are in the calibration period; the holdout
        is the days after it up to the holdout end (default: the last order date).

        Examples:
          clientele fit --db shop.sqlite
          clientele fit --db shop.sqlite --calibration-end 2025-03-31 --holdout-end 2025-09-30
          clientele fit --transactions cdnow.csv --calibration-end 1997-09-30 --unit weeks --format json

        See docs/predictive.md for what each number means and when not to trust it.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("A CSV of plain transactions (customer_id,date,amount; more columns ignored) instead of a shop database.", valueName: "FILE"))
    var transactions: String?
    @Option(help: "The repeat-purchase model: bgnbd (BG/NBD) or mbgnbd (MBG/NBD, where a one-time buyer can already have left).")
    var model: RepeatPurchaseModel = .bgnbd
    @Option(name: .customLong("calibration-end"), help: ArgumentHelp("Last day of the calibration period. Default: the last order date (no holdout).", valueName: "YYYY-MM-DD"))
    var calibrationEnd: String?
    @Option(name: .customLong("holdout-end"), help: ArgumentHelp("Last day of the holdout period. Default: the last order date when it is after --calibration-end.", valueName: "YYYY-MM-DD"))
    var holdoutEnd: String?
    @Option(help: "The time unit of recency, T and α: days or weeks.") var unit: TimeUnit = .days
    @Option(help: "Output: table (for people) or json.") var format: FitFormat = .table

    enum FitFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func validate() throws {
        for (flag, value) in [("--calibration-end", calibrationEnd), ("--holdout-end", holdoutEnd)] {
            if let value, ShopDate(iso: value) == nil {
                throw ValidationError("\(flag) \"\(value)\" is not a date: write it as YYYY-MM-DD, e.g. 1997-09-30.")
            }
        }
        if let c = calibrationEnd.flatMap(ShopDate.init(iso:)), let h = holdoutEnd.flatMap(ShopDate.init(iso:)), h <= c {
            throw ValidationError("--holdout-end \(h) must be after --calibration-end \(c).")
        }
        if holdoutEnd != nil && calibrationEnd == nil {
            throw ValidationError("--holdout-end needs --calibration-end (the holdout starts the day after it).")
        }
    }

    func run() async throws {
        let today = ShopDate(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
        let report: FitReport
        var savePath: String?
        var predictArguments = "--db PATH"
        do {
            if let file = transactions {
                let list = try TransactionsFile.read(path: file)
                let last = list.map(\.date).max()!
                let (cal, hold) = dates(lastOrder: last)
                let summaries = try PurchaseSummaries.compute(transactions: list, calibrationEnd: cal, holdoutEnd: hold,
                                                              unit: unit, minorUnitsPerMajor: TransactionsFile.minorUnitsPerMajor)
                report = try FitReport.compute(summaries: summaries, model: model, source: file, fittedOn: today)
            } else {
                let shop = try await LoadedShop.open(store)
                let s = shop.snapshot
                var lastDay = Int32.min
                for i in 0..<s.identifiedOrderCount { lastDay = max(lastDay, s.orderDay[i]) }
                guard lastDay > Int32.min else { throw CLIError("The shop has no orders from identified customers; there is nothing to fit.") }
                let (cal, hold) = dates(lastOrder: ShopDate(dayNumber: Int(lastDay)))
                let summaries = try PurchaseSummaries.compute(snapshot: s, calibrationEnd: cal, holdoutEnd: hold, unit: unit,
                                                              minorUnitsPerMajor: shop.currency.minorUnitsPerMajor)
                report = try FitReport.compute(summaries: summaries, model: model, source: shop.target.display, fittedOn: today,
                                               currencyCode: shop.currency.code, sourceVersion: s.sourceVersion)
                savePath = shop.target.modelPath
                predictArguments = shop.target.arguments
            }
        } catch let error as FitError {
            throw CLIError(error.description)
        }
        if let savePath {
            do {
                try PrivateFile.write(Array(report.json().utf8), to: savePath)
            } catch {
                throw CLIError("Could not save the fit: \(error.description)")
            }
        }
        switch format {
        case .json: print(report.json(), terminator: "")
        case .table:
            print(report.table(), terminator: "")
            if let savePath { print("\nSaved the fit to \(savePath); clientele predict \(predictArguments) uses it.") }
        }
    }

    /// The calibration end and holdout end from the flags and the last order date.
    func dates(lastOrder: ShopDate) -> (ShopDate, ShopDate?) {
        let cal = calibrationEnd.flatMap(ShopDate.init(iso:)) ?? lastOrder
        if let h = holdoutEnd.flatMap(ShopDate.init(iso:)) { return (cal, h) }
        return (cal, lastOrder > cal ? lastOrder : nil)
    }
}

/// Reads a plain transactions CSV: `customer_id,date,amount` (a header naming those columns, in any order,
/// or no header and those three first); `date` is `YYYY-MM-DD` or an ISO 8601 instant whose date part is taken
/// as written; `amount` a decimal with a point and up to four decimals; more columns are ignored.
enum TransactionsFile {
    /// Amounts are read in ten-thousandths.
    static let minorUnitsPerMajor: Int64 = 10_000

    static func read(path: String) throws -> [Transaction] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("There is no file at \(path).")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else { throw CLIError("\(path) is empty; it needs rows of customer_id,date,amount.") }
        var columns = (customer: 0, date: 1, amount: 2)
        var firstRow = 0
        let header = fields(lines[0]).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if header.contains("customer_id") || header.contains("date") || header.contains("amount") {
            guard let c = header.firstIndex(of: "customer_id"), let d = header.firstIndex(of: "date"), let a = header.firstIndex(of: "amount") else {
                throw CLIError("\(path):1: the header needs the columns customer_id, date and amount (found \(header.joined(separator: ", "))).")
            }
            columns = (c, d, a)
            firstRow = 1
        }
        var out: [Transaction] = []
        out.reserveCapacity(lines.count)
        let needed = max(columns.customer, columns.date, columns.amount) + 1
        for n in firstRow..<lines.count {
            let line = lines[n]
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let f = fields(line)
            let where_ = "\(path):\(n + 1)"
            guard f.count >= needed else {
                throw CLIError("\(where_): expected at least \(needed) columns (customer_id,date,amount), found \(f.count).")
            }
            let customer = f[columns.customer].trimmingCharacters(in: .whitespaces)
            guard !customer.isEmpty else { throw CLIError("\(where_): the customer_id is empty.") }
            let dateText = f[columns.date].trimmingCharacters(in: .whitespaces)
            guard dateText.count >= 10, let date = ShopDate(iso: String(dateText.prefix(10))),
                  dateText.count == 10 || dateText.dropFirst(10).first == "T" || dateText.dropFirst(10).first == " " else {
                throw CLIError("\(where_): date \"\(dateText)\" is not a date: write it as YYYY-MM-DD or an ISO 8601 instant.")
            }
            let amountText = f[columns.amount].trimmingCharacters(in: .whitespaces)
            guard let amount = Money.parseMinorUnits(Substring(amountText), digits: 4) else {
                throw CLIError("\(where_): amount \"\(amountText)\" is not a number like 29.33.")
            }
            out.append(Transaction(customer: customer, date: date, amountMinorUnits: amount))
        }
        guard !out.isEmpty else { throw CLIError("\(path) has no transactions.") }
        return out
    }

    /// The fields of one CSV line (double quotes around a field, "" inside one).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if quoted {
                if ch == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else {
                    field.append(ch)
                }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                out.append(field)
                field = ""
            } else {
                field.append(ch)
            }
            i = line.index(after: i)
        }
        out.append(field)
        return out
    }
}
