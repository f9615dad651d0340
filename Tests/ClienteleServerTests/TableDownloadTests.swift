import ClienteleCore
import ClienteleSheets
import ClienteleStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation
@testable import ClienteleServer

/// Every table on the dashboard downloads as CSV and as .xlsx with exactly the rows the page shows
/// (docs/dashboard.md, "Downloads"). The test reads the tables out of the page's HTML itself, follows each
/// table's two links, and compares: the CSV parses and each of its cells is the page's cell (a number as the
/// page rounds it, "–" as empty, a date in ISO form); the workbook opens as a ZIP, and its sheet holds the CSV's
/// cells, numbers as numeric cells (`<v>` without a text type).
@Suite struct TableDownloadTests {
    /// One table as the page shows it: the header texts, whether each column is numeric, the rows' cell texts,
    /// and its two download links.
    struct PageTable: CustomStringConvertible {
        var headers: [String]
        var numeric: [Bool]
        var rows: [[String]]
        var csvLink: String
        var xlsxLink: String
        var description: String { csvLink }
    }

    /// `html` with tags removed and the five entities decoded.
    static func text(_ html: String) -> String {
        var t = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            t = t.replacingOccurrences(of: entity, with: character)
        }
        return t.trimmingCharacters(in: .whitespaces)
    }

    /// All matches of the regular expression `pattern` in `s`, each as its capture groups.
    static func matches(_ pattern: String, in s: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { m in
            (1..<m.numberOfRanges).map { i in Range(m.range(at: i), in: s).map { String(s[$0]) } ?? "" }
        }
    }

    /// The tables of `page` that have download links (the table followed by `<p class="download table-download">`).
    static func tables(_ page: String) -> [PageTable] {
        let found = matches(#"<div class="table-wrap"><table[^>]*>(.*?)</table></div><p class="download table-download"><a href="([^"]*)"[^>]*>CSV</a>(?: · <a href="([^"]*)")?"#, in: page)
        return found.map { m in
            let body = m[0]
            let headers = matches(#"<thead><tr>(.*?)</tr></thead>"#, in: body).first.map { head in
                matches(#"<th scope="col"([^>]*)>(.*?)</th>"#, in: head[0])
            } ?? []
            var rows: [[String]] = []
            for row in matches(#"<tr[^>]*>(.*?)</tr>"#, in: matches(#"<tbody>(.*)</tbody>"#, in: body).first?[0] ?? "") {
                if row[0].contains("colspan=") { continue }   // "nothing to show" is not a row of the table
                let cells = matches(#"<t[hd][^>]*>(.*?)</t[hd]>"#, in: row[0]).map { cell -> String in
                    var inner = cell[0]
                    for pageOnly in [#"<span class="badge[^"]*">.*?</span>"#, #"<small class="mark">.*?</small>"#, "<br>"] {
                        inner = inner.replacingOccurrences(of: pageOnly, with: "", options: .regularExpression)
                    }
                    return text(inner)
                }
                rows.append(cells)
            }
            func decode(_ href: String) -> String { href.replacingOccurrences(of: "&amp;", with: "&") }
            // The current sort column's arrow is the page's, not the column's name.
            return PageTable(headers: headers.map { text($0[1]).replacingOccurrences(of: " ▼", with: "") }, numeric: headers.map { $0[0].contains("class=\"num\"") },
                             rows: rows, csvLink: decode(m[1]), xlsxLink: decode(m[2]))
        }
    }

    /// RFC 4180: fields separated by commas, quoted when they hold a comma, quote or line break, lines by CRLF.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" && chars.first == "\n" {
                chars.removeFirst(); row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Whether the CSV value `csv` is what the page shows as `shown` in `language`: equal text, "–" for an
    /// empty value, a date in the language's form for an ISO date, or a number the page shows rounded (a
    /// percentage from its fraction, money or an amount with its unit).
    static func same(_ shown: String, _ csv: String, _ language: Language) -> Bool {
        if shown == csv { return true }
        if shown == "–" { return csv.isEmpty }
        if let d = ShopDate(iso: csv), language.format.date(d) == shown { return true }
        if csv.count > 10, csv.dropFirst(10).first == "T",
           CustomerPage.timestamp(csv, language.format) == shown || language.format.dateOfTimestamp(csv) == shown {
            return true   // a time: ISO 8601 in the CSV, the date (and time) in the page's language
        }
        var number = shown, percent = false
        for unit in ["\u{A0}%", " %"] where number.hasSuffix(unit) { number.removeLast(unit.count); percent = true }
        for unit in [" DKK", "\u{A0}DKK", "\u{A0}kr.", "\u{A0}kr", " SEK", " NOK", " EUR"] where number.hasSuffix(unit) { number.removeLast(unit.count) }
        let group = language == .en ? "," : language == .da ? "." : "\u{A0}"
        number = number.replacingOccurrences(of: group, with: "").replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "+", with: "")
        if language != .en { number = number.replacingOccurrences(of: ",", with: ".") }
        guard let value = Double(number), var exact = Double(csv) else { return false }
        if percent { exact *= 100 }
        let decimals = number.split(separator: ".").dropFirst().first?.count ?? 0
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return abs((exact * scale).rounded() - value * scale) < 0.5 + 1e-6 * abs(value * scale)
    }

    /// The spreadsheet column name of the zero-based column `index` (`A`, …, `Z`, `AA`).
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            name = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// A part the workbook should have and has not.
    struct MissingPart: Error { var path: String }

    /// One worksheet's cells by reference (`B2`): a number (`<v>` without a text type) or an inline string.
    enum SheetValue: Equatable { case number(Double), text(String) }

    /// The cells of sheet `n` of the .xlsx `data`, unzipped with ZIPFoundation.
    static func sheet(_ data: Data, _ n: Int = 1) throws -> (names: [String], cells: [String: SheetValue], sheets: Int) {
        let archive = try Archive(data: data, accessMode: .read)
        func read(_ path: String) throws -> String {
            guard let entry = archive[path] else { throw MissingPart(path: path) }
            var out = Data()
            _ = try archive.extract(entry) { out.append($0) }
            return String(decoding: out, as: UTF8.self)
        }
        let workbook = try read("xl/workbook.xml")
        let names = matches(#"<sheet name="([^"]*)""#, in: workbook).map { text($0[0]) }
        let xml = try read("xl/worksheets/sheet\(n).xml")
        var cells: [String: SheetValue] = [:]
        for c in matches(#"<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>"#, in: xml) {
            if c[1].contains("t=\"inlineStr\"") {
                cells[c[0]] = .text(text(matches(#"<t[^>]*>(.*?)</t>"#, in: c[2]).first?[0] ?? ""))
            } else if !c[1].contains("t=\"") || c[1].contains("t=\"n\""), let v = matches(#"<v>(.*?)</v>"#, in: c[2]).first.flatMap({ Double($0[0]) }) {
                cells[c[0]] = .number(v)
            } else {
                Issue.record("cell \(c[0]) is neither a number nor an inline string: \(c)")
            }
        }
        return (names, cells, names.count)
    }

    /// Checks every table of `path` in `language`: the CSV and the workbook against the page. Returns how many
    /// tables were checked.
    @discardableResult
    static func check(_ client: any TestClientProtocol, _ path: String, _ language: Language) async throws -> Int {
        let uri = Page.keepingLanguage(path, language.rawValue)
        let (status, _, page) = try await ServerFixture.get(client, uri)
        #expect(status == .ok, "\(uri)")
        let tables = Self.tables(page)
        #expect(!tables.isEmpty, "\(uri) has tables with downloads")
        for table in tables {
            // The CSV: the page's header (money columns name their currency) and the page's rows.
            let (csvStatus, csvType, csvText) = try await ServerFixture.get(client, table.csvLink)
            #expect(csvStatus == .ok, "\(table.csvLink): \(csvText.prefix(200))")
            #expect(csvType.hasPrefix("text/csv"))
            let csv = parseCSV(csvText)
            #expect(csv.count == table.rows.count + 1, "\(table): \(csv.count - 1) CSV rows, \(table.rows.count) on the page")
            guard let header = csv.first else { continue }
            #expect(header.count == table.headers.count, "\(table)")
            for (h, shown) in zip(header, table.headers) {
                #expect(h == shown || h.hasPrefix(shown + " ("), "\(table): header \(h) for \(shown)")
            }
            for (row, shownRow) in zip(csv.dropFirst(), table.rows) {
                #expect(row.count == shownRow.count, "\(table): \(row) \(shownRow)")
                for (value, shown) in zip(row, shownRow) where !same(shown, value, language) {
                    Issue.record("\(table): the page shows \"\(shown)\", the CSV has \"\(value)\"")
                }
            }
            // The workbook: one sheet with the CSV's cells, numbers as numbers.
            try await client.execute(uri: table.xlsxLink, method: .get) { response in
                #expect(response.status == .ok, "\(table.xlsxLink)")
                #expect(response.headers[.contentType] == ClienteleSheets.mediaType)
                #expect(response.headers[.contentDisposition]?.hasSuffix(".xlsx\"") == true)
                let (names, cells, sheets) = try sheet(Data(buffer: response.body))
                #expect(sheets == 1 && !names[0].isEmpty)
                for (r, row) in csv.enumerated() {
                    for (c, value) in row.enumerated() {
                        let ref = Self.column(c) + String(r + 1)
                        if value.isEmpty {
                            #expect(cells[ref] == nil, "\(table): \(ref) should be empty")
                        } else if r > 0 && c < table.numeric.count && table.numeric[c] {
                            guard case .number(let v)? = cells[ref], let expected = Double(value) else {
                                Issue.record("\(table): \(ref) \"\(value)\" is not a number in the workbook: \(String(describing: cells[ref]))")
                                continue
                            }
                            #expect(abs(v - expected) <= 1e-9 * max(1, abs(expected)), "\(table): \(ref) \(v) ≠ \(value)")
                        } else if case .number(let v)? = cells[ref] {
                            #expect(Double(value).map { abs($0 - v) <= 1e-9 * max(1, abs(v)) } == true, "\(table): \(ref)")
                        } else {
                            #expect(cells[ref] == .text(value), "\(table): \(ref) \(String(describing: cells[ref])) ≠ \(value)")
                        }
                    }
                }
            }
        }
        // Without `table`, the workbook holds every table of the page, one sheet each.
        if let first = tables.first {
            let all = first.xlsxLink.replacingOccurrences(of: #"table=[^&]*&?"#, with: "", options: .regularExpression)
            try await client.execute(uri: all, method: .get) { response in
                #expect(response.status == .ok)
                let sheets = try sheet(Data(buffer: response.body)).sheets
                #expect(sheets == tables.count, "\(all)")
            }
        }
        return tables.count
    }

    /// Every report page of ServerFixture's shop, with the parameters that fill every table (an audience with
    /// members, pairs with a minimum of one order, every CLV input).
    static let pages: [(path: String, tables: Int)] = [
        ("/?asOf=2025-12-31&compare=previous", 3), ("/customers/c1?asOf=2025-12-31", 1), ("/analytics?asOf=2025-12-31", 3),
        ("/audiences?asOf=2025-12-31", 1), ("/audiences/two?asOf=2025-12-31", 3),
        ("/retention?asOf=2025-12-31&orderValue=300&ordersPerYear=2&lifespanYears=3&margin=0.5&cac=100", 5),
        ("/behaviour?asOf=2025-12-31&minSupportCount=1&within=365d&minGaps=1", 6), ("/settings", 1),
    ]

    @Test(arguments: [Language.en, .da, .sv])
    func everyTableOfEveryReportPageDownloadsAsCSVAndXLSX(language: Language) async throws {
        try await AudienceFixture.withClient { client, store, _ in
            try await store.saveAudience(SavedAudience(name: "two", filter: "orders >= 2", createdAt: ServerFixture.now, updatedAt: ServerFixture.now))
            for (path, count) in Self.pages {
                let checked = try await Self.check(client, path, language)
                #expect(checked == count, "\(path): \(checked) tables")
            }
        }
    }

    @Test func thePredictionsPagesTablesDownloadToo() async throws {
        try await PredictionFixture.withClient { client, _, _ in
            // With a holdout: the parameters, the buckets, the tracking weeks and the customers.
            let english = try await Self.check(client, "/predictions?calibrationEnd=2024-12-31&top=10", .en)
            #expect(english == 4)
            let norwegian = try await Self.check(client, "/predictions?calibrationEnd=2024-12-31&top=10", .nb)
            #expect(norwegian == 4)
        }
    }

    /// Hand-computed from ServerFixture as of 2025-12-31: c1's orders newest first (o3 300.00, o2 200.00,
    /// o1 100.00 DKK), and the settings' thresholds as numbers.
    @Test func theDownloadsHoldTheFiguresAsNumbers() async throws {
        try await ServerFixture.withClient { client, _ in
            let (_, type, csv) = try await ServerFixture.get(client, "/customers/c1.csv?asOf=2025-12-31&table=orders")
            #expect(type.hasPrefix("text/csv"))
            let rows = Self.parseCSV(csv)
            #expect(rows[0] == ["Placed", "Order", "Total (DKK)", "Refunded (DKK)", "Products"])
            #expect(rows.dropFirst().map { $0[1] } == ["o3", "o2", "o1"])
            #expect(rows.dropFirst().map { $0[2] } == ["300.00", "200.00", "100.00"])
            #expect(rows[1][4] == "1 × Product P1")
            // Danish headers, the same plain numbers.
            let (_, _, danish) = try await ServerFixture.get(client, "/customers/c1.csv?asOf=2025-12-31&table=orders&lang=da")
            #expect(Self.parseCSV(danish)[0] == ["Afgivet", "Ordre", "I alt (DKK)", "Refunderet (DKK)", "Produkter"])
            #expect(Self.parseCSV(danish)[1][2] == "300.00")
            // The workbook: 300.00 as the number 300 with the money format, the header bold.
            try await client.execute(uri: "/customers/c1.xlsx?asOf=2025-12-31&table=orders", method: .get) { response in
                let (names, cells, _) = try Self.sheet(Data(buffer: response.body))
                #expect(names == ["Orders"])
                #expect(cells["C2"] == .number(300) && cells["B2"] == .text("o3") && cells["C1"] == .text("Total (DKK)"))
            }
            // Settings: topCustomers 20 is a number.
            let settings = Self.parseCSV(try await ServerFixture.get(client, "/settings.csv?table=settings").2)
            #expect(settings.contains(["topCustomers", "20"]))
        }
    }

    @Test func aMissingOrUnknownTableIsA400ThatNamesThePagesTables() async throws {
        try await ServerFixture.withClient { client, _ in
            let (missing, _, body) = try await ServerFixture.get(client, "/analytics.csv?asOf=2025-12-31")
            #expect(missing == .badRequest)
            #expect(body.contains("choose one of: groups, active, growth."))
            let (unknown, _, other) = try await ServerFixture.get(client, "/analytics.xlsx?table=nope")
            #expect(unknown == .badRequest)
            #expect(other.contains("table \\\"nope\\\" is not one of: groups, active, growth."))
            let (bad, _, _) = try await ServerFixture.get(client, "/behaviour.csv?table=years&from=2025-13-01")
            #expect(bad == .badRequest)
            let (nobody, _, _) = try await ServerFixture.get(client, "/customers/nobody.csv?table=orders")
            #expect(nobody == .notFound)
        }
    }

    /// The Import page's tables carry their files in their links (an upload's outcome has no address to be
    /// downloaded from again): the CSV link's `data:` address holds the summary's rows.
    @Test func theImportSummaryDownloadsFromItsLinks() async throws {
        try await ImportFixture.withShop { client, _, _ in
            let (status, _, page) = try await ImportFixture.upload(client, ImportFixture.good)
            #expect(status == .ok)
            let links = Self.matches(#"<a href="data:text/csv;charset=utf-8,([^"]*)" download="import-summary.csv""#, in: page)
            #expect(links.count == 1)
            let csv = Self.parseCSV(links.first?[0].removingPercentEncoding ?? "")
            #expect(csv.first == ["Figure", "Value"])
            #expect(csv.contains(["Orders", "2"]))   // the file's two orders (ImportFixture.good)
            let workbook = Self.matches(#"<a href="data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,([^"]*)" download="import-summary.xlsx""#, in: page)
            let data = try #require(Data(base64Encoded: workbook.first?[0] ?? ""))
            let cells = try Self.sheet(data).cells
            #expect(cells["B3"] == .number(2))
        }
    }
}
