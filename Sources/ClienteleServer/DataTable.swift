import ClienteleCore
import ClienteleSheets
import Foundation

/// One cell of a dashboard table: a typed value, so the CSV and the workbook get numbers where the page shows
/// numbers, and how the page dresses it (a link, a note, a class, a badge).
struct TableCell: Sendable {
    /// The value and its kind.
    enum Value: Sendable {
        /// Text as it is.
        case text(String)
        /// A whole number ("–" for nil).
        case integer(Int64?)
        /// A number with a fixed number of decimals on the page ("–" for nil).
        case decimal(Double?, digits: Int)
        /// A number written as short as it is exact (a setting such as 0.3).
        case number(Double?)
        /// Money from its exact minor units ("–" for nil).
        case money(Money?)
        /// A fraction shown as a percentage (0.125 → 12.5 %).
        case percent(Double?)
        /// A signed relative change shown as a percentage (+12.5 %).
        case change(Double?)
        /// A shop date.
        case date(ShopDate?)
        /// An instant as ISO 8601 text with the shop's offset (`2025-06-10T12:00:00+02:00`): shown as it is in
        /// English, else as the language's date and `HH:MM` (or the date alone, `dateOnly`); downloaded as it is.
        case timestamp(String, dateOnly: Bool)
    }

    /// The value.
    var value: Value
    /// A note shown small after a text in parentheses (a product's id); part of the text in the downloads.
    var note: String? = nil
    /// The page links the value here.
    var href: String? = nil
    /// Extra classes of the `<td>` (besides `num` for numbers).
    var cssClass: String? = nil
    /// A `style` attribute (the cohort triangle's shading).
    var style: String? = nil
    /// A `title` attribute (a tooltip).
    var title: String? = nil
    /// Shown bold.
    var strong = false
    /// Shown as code (a filter).
    var code = false
    /// The language of a text that is not in the page's language (`en` for an importer's message).
    var lang: String? = nil
    /// The currency of a number that is an amount but not exact money (a model's predicted CLV): written
    /// after the number on the page, in the header of the downloads.
    var currencyCode: String? = nil
    /// HTML after the value on the page only, not in the downloads: a colour badge (`<span class="badge …">`)
    /// or a remark (`<small class="mark">`).
    var badgeHTML: String = ""

    /// A cell of `value`.
    init(_ value: Value) { self.value = value }

    /// Text.
    static func text(_ s: String) -> TableCell { TableCell(.text(s)) }
    /// A whole number.
    static func int(_ n: Int?) -> TableCell { TableCell(.integer(n.map(Int64.init))) }
    /// A whole number.
    static func int64(_ n: Int64?) -> TableCell { TableCell(.integer(n)) }
    /// A number with `digits` decimals.
    static func decimal(_ v: Double?, _ digits: Int = 1) -> TableCell { TableCell(.decimal(v, digits: digits)) }
    /// Money.
    static func money(_ m: Money?) -> TableCell { TableCell(.money(m)) }
    /// A percentage of a fraction.
    static func percent(_ v: Double?) -> TableCell { TableCell(.percent(v)) }
    /// A relative change.
    static func change(_ v: Double?) -> TableCell { TableCell(.change(v)) }
    /// A shop date.
    static func date(_ d: ShopDate?) -> TableCell { TableCell(.date(d)) }
    /// An instant's ISO 8601 text (`dateOnly`: the date is enough outside English).
    static func timestamp(_ text: String, dateOnly: Bool = false) -> TableCell { TableCell(.timestamp(text, dateOnly: dateOnly)) }
    /// Nothing (a cell to the right of a shorter row).
    static var empty: TableCell { TableCell(.text("")) }

    /// This cell with a note in parentheses.
    func noted(_ note: String?) -> TableCell { var c = self; c.note = note; return c }
    /// This cell as a link to `href`.
    func linked(_ href: String?) -> TableCell { var c = self; c.href = href; return c }
    /// This cell with extra classes.
    func classed(_ cssClass: String?) -> TableCell { var c = self; c.cssClass = cssClass; return c }
    /// This cell in bold.
    func bold() -> TableCell { var c = self; c.strong = true; return c }
    /// This number as an amount in `code` (not exact money: a model's figure).
    func withUnit(_ code: String) -> TableCell { var c = self; c.currencyCode = code; return c }

    /// Whether the value is a number (right-aligned, a number in the workbook).
    var isNumeric: Bool {
        if case .text = value { return false }
        if case .date = value { return false }
        if case .timestamp = value { return false }
        return true
    }

    /// The value as the page writes it in `format`.
    func display(_ f: LocaleFormat) -> String {
        let main: String
        switch value {
        case .text(let s): main = s
        case .integer(let n): main = n.map { f.int(Int($0)) } ?? "–"
        case .decimal(let v, let digits): main = f.decimal(v, digits: digits)
        case .number(let v): main = v.map { Self.plain($0).replacingOccurrences(of: ".", with: f.decimalSeparator) } ?? "–"
        case .money(let m): main = f.money(m)
        case .percent(let v): main = f.percent(v)
        case .change(let v): main = f.change(v)
        case .date(let d): main = d.map(f.date) ?? "–"
        case .timestamp(let text, let dateOnly):
            main = f.language == .en || !dateOnly ? CustomerPage.timestamp(text, f) : f.dateOfTimestamp(text)
        }
        guard let currencyCode, main != "–" else { return main }
        return main + f.unitSpace + (f.localCurrency.flatMap { $0.code == currencyCode ? $0.symbol : nil } ?? currencyCode)
    }

    /// The `<td>` (or `<th scope="row">`) of the cell.
    func rendered(_ f: LocaleFormat, header: Bool) -> String {
        var classes: [String] = []
        if isNumeric { classes.append("num") }
        if let cssClass { classes.append(cssClass) }
        var attributes = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
        if let style { attributes += " style=\"\(html(style))\"" }
        if let title { attributes += " title=\"\(html(title))\"" }
        if let lang { attributes += " lang=\"\(html(lang))\"" }
        var inner = html(display(f))
        if let href { inner = "<a href=\"\(html(href))\">\(inner)</a>" }
        if strong { inner = "<strong>\(inner)</strong>" }
        if code { inner = "<code>\(inner)</code>" }
        if let note { inner += " <small>(\(html(note)))</small>" }
        inner += badgeHTML
        return header ? "<th scope=\"row\"\(attributes)>\(inner)</th>" : "<td\(attributes)>\(inner)</td>"
    }

    /// The cell in a CSV file: numbers plain (a dot for decimals, no grouping), money in major units, a
    /// percentage as its fraction, dates `YYYY-MM-DD`, times ISO 8601, nothing for no value; a text with its note.
    var csv: String {
        switch value {
        case .text(let s): return note.map { "\(s) (\($0))" } ?? s
        case .integer(let n): return n.map(String.init) ?? ""
        case .decimal(let v, _), .number(let v), .percent(let v), .change(let v):
            return v.flatMap { $0.isFinite ? Self.plain($0) : nil } ?? ""
        case .money(let m): return m?.decimalString ?? ""
        case .date(let d): return d?.description ?? ""
        case .timestamp(let text, _): return text
        }
    }

    /// The cell in a workbook: numbers as numbers (money in major units with two decimals shown, a
    /// percentage as a fraction with a percent format), dates as `YYYY-MM-DD` text.
    var sheetCell: SheetCell {
        switch value {
        case .text: return csv.isEmpty ? .empty : .text(csv)
        case .integer(let n): return n.map(SheetCell.integer) ?? .empty
        case .decimal(let v, _), .number(let v): return v.map(SheetCell.number) ?? .empty
        case .money(let m): return m.map { .money($0.minorUnits, digits: $0.currency.minorDigits) } ?? .empty
        case .percent(let v), .change(let v): return v.map(SheetCell.percent) ?? .empty
        case .date(let d): return d.map { .date($0.description) } ?? .empty
        case .timestamp(let text, _): return text.isEmpty ? .empty : .date(text)
        }
    }

    /// `v` with at most 10 decimals and no trailing zeros: `0.3`, `47.25`, `2`.
    static func plain(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var text = String(format: "%.10f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

/// A column of a dashboard table.
struct TableColumn: Sendable {
    /// The heading as the page shows it (in the page's language).
    var header: String
    /// Right-aligned (a column of numbers).
    var numeric: Bool
    /// The heading's HTML when it is more than its text (the audience's sort links); the downloads use `header`.
    var headerHTML: String? = nil
    /// Extra attributes of the `<th>` (`aria-sort`), already escaped.
    var attributes: String = ""

    /// A text column.
    static func text(_ header: String) -> TableColumn { TableColumn(header: header, numeric: false) }
    /// A column of numbers.
    static func number(_ header: String) -> TableColumn { TableColumn(header: header, numeric: true) }
}

/// A row of a dashboard table.
struct TableRow: Sendable {
    /// The cells, one per column.
    var cells: [TableCell]
    /// The `<tr>`'s class.
    var cssClass: String? = nil

    /// A row of `cells`.
    init(_ cells: [TableCell], cssClass: String? = nil) {
        self.cells = cells
        self.cssClass = cssClass
    }
}

/// A table on a dashboard page: one model that renders as the page's HTML table, as CSV and as a workbook
/// sheet, so every table can be downloaded with exactly the rows the page shows (docs/dashboard.md,
/// "Downloads").
struct DataTable: Sendable {
    /// The table's id on its page: the `table` parameter of its downloads and the id of its heading.
    var id: String
    /// Its title (the heading, the caption, the sheet's name).
    var title: String
    /// The columns.
    var columns: [TableColumn]
    /// The rows.
    var rows: [TableRow]
    /// Shown as the table's `<caption>` (else the table is labelled by the heading with its id).
    var caption = false
    /// The `<table>`'s class.
    var cssClass: String? = nil
    /// The first cell of each row is the row's header (`<th scope="row">`).
    var rowHeaders = false
    /// The sentence shown in place of the rows when there are none (page only).
    var emptyText: String? = nil

    /// The table as HTML in `format`.
    func rendered(_ f: LocaleFormat) -> String {
        var out = "<div class=\"table-wrap\"><table"
        if let cssClass { out += " class=\"\(cssClass)\"" }
        out += caption ? ">" : " aria-labelledby=\"\(id)\">"
        if caption { out += "<caption>\(html(title))</caption>" }
        if !columns.isEmpty && columns.contains(where: { !$0.header.isEmpty || $0.headerHTML != nil }) {
            out += "<thead><tr>"
            for c in columns {
                out += "<th scope=\"col\"\(c.numeric ? " class=\"num\"" : "")\(c.attributes)>\(c.headerHTML ?? html(c.header))</th>"
            }
            out += "</tr></thead>"
        }
        out += "<tbody>"
        for row in rows {
            out += row.cssClass.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            for (i, cell) in row.cells.enumerated() { out += cell.rendered(f, header: rowHeaders && i == 0) }
            out += "</tr>"
        }
        if rows.isEmpty, let emptyText {
            out += "<tr><td colspan=\"\(max(1, columns.count))\">\(html(emptyText))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// The headers of the downloads: a money column's header names its currency ("Revenue (DKK)") when every
    /// amount in it is in one currency.
    var downloadHeaders: [String] {
        columns.indices.map { i in
            let header = columns[i].header
            var currencies = Set<String>(), other = false
            for row in rows where i < row.cells.count {
                let cell = row.cells[i]
                switch cell.value {
                case .money(let m?): currencies.insert(m.currency.code)
                case .money(nil), .text(""): break
                case .decimal(let v, _) where cell.currencyCode != nil:
                    if v != nil { currencies.insert(cell.currencyCode!) }
                default: other = true
                }
            }
            guard !other, currencies.count == 1, let code = currencies.first else { return header }
            return "\(header) (\(code))"
        }
    }

    /// The table as CSV (RFC 4180, CRLF, UTF-8): the header row, then one line per row of the page.
    func csv() -> String {
        var out = downloadHeaders.map(Self.csvField).joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.cells.map { Self.csvField($0.csv) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The table as a workbook sheet: the header row (bold), then the rows with numbers as numbers.
    func sheet() -> Sheet {
        Sheet(name: title, header: downloadHeaders, rows: rows.map { $0.cells.map(\.sheetCell) })
    }

    /// A CSV field quoted when it holds a comma, a quote, CR or LF (quotes doubled); a text a spreadsheet
    /// would take for a formula (`=`, `+`, `-`, `@` first) is left as it is, because the CSV is data.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The tables of one page as it is rendered: each `add` returns the table's HTML with its two download
/// links and keeps the table, so the page's download routes serve exactly the tables the page shows.
struct PageTables: Sendable {
    /// The page's download path without extension (`/analytics` → `/analytics.csv`, `/analytics.xlsx`).
    let downloadPath: String
    /// The request's query (kept in the download links, so they download what the page shows).
    let query: QueryParameters
    /// The page's language.
    let language: Language
    /// The tables so far, in page order.
    private(set) var all: [DataTable] = []

    /// The tables of a page rendered for `r`, downloadable at `downloadPath`.
    init(_ r: ShopReports, downloadPath: String) {
        self.init(downloadPath: downloadPath, query: r.query, language: r.language)
    }

    /// The tables of a page with `query` in `language`.
    init(downloadPath: String, query: QueryParameters, language: Language) {
        self.downloadPath = downloadPath
        self.query = query
        self.language = language
    }

    /// The download link of `table` as `format` (`csv` or `xlsx`).
    func link(_ table: DataTable, _ format: String) -> String {
        downloadPath + "." + format + "?" + query.with(["table": table.id])
    }

    /// Keeps `table` and returns its HTML followed by its CSV and Excel links.
    mutating func add(_ table: DataTable) -> String {
        all.append(table)
        return table.rendered(language.format) + links(table, csv: link(table, "csv"), xlsx: link(table, "xlsx"), filename: nil)
    }

    /// `table`'s HTML followed by its CSV and Excel links with the files themselves in the links (`data:`
    /// addresses named `filename.csv` and `filename.xlsx`): for a table that has no address of its own to be
    /// downloaded from again (an upload's outcome) or that is the same for every shop (the filter fields).
    func addInline(_ table: DataTable, filename: String) -> String {
        let csv = "data:text/csv;charset=utf-8," + (table.csv().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let workbook = (try? Workbook(sheets: [table.sheet()]).xlsx()).map { "data:\(ClienteleSheets.mediaType);base64," + $0.base64EncodedString() }
        return table.rendered(language.format) + links(table, csv: csv, xlsx: workbook, filename: filename)
    }

    /// The `<p class="download">` with the CSV and (when there is one) the Excel link of `table`.
    func links(_ table: DataTable, csv: String, xlsx: String?, filename: String?) -> String {
        let csvLabel = language.t("Download {table} as CSV", ["table": table.title])
        let xlsxLabel = language.t("Download {table} as an Excel workbook", ["table": table.title])
        let name = { (ext: String) in filename.map { "download=\"\(html($0)).\(ext)\"" } ?? "download" }
        var out = "<p class=\"download table-download\"><a href=\"\(html(csv))\" \(name("csv")) aria-label=\"\(html(csvLabel))\">CSV</a>"
        if let xlsx { out += " · <a href=\"\(html(xlsx))\" \(name("xlsx")) aria-label=\"\(html(xlsxLabel))\">Excel</a>" }
        return out + "</p>"
    }
}

/// A rendered page: its HTML and the tables on it (for the page's downloads).
struct RenderedPage: Sendable {
    /// The whole HTML document.
    var html: String
    /// The tables, in page order.
    var tables: [DataTable]
}
