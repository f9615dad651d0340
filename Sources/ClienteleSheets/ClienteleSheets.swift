import ClienteleCore
import Foundation
import ZIPFoundation

/// Spreadsheet downloads: report tables as .xlsx workbooks.
public enum ClienteleSheets {
    /// The media type of an .xlsx workbook.
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

/// One cell of a sheet: numbers are written as numbers (so a spreadsheet sums them), text as text.
public enum SheetCell: Sendable, Equatable {
    /// Nothing (an average over nothing, a missing comparison).
    case empty
    /// Text.
    case text(String)
    /// A whole number.
    case integer(Int64)
    /// A number (a rate as a fraction, a ratio).
    case number(Double)
    /// An amount in minor units with its currency's digits, written as the decimal number (12345, 2 → 123.45).
    case money(Int64, digits: Int)
    /// A fraction shown as a percentage (0.25 → 25 %).
    case percent(Double)
    /// A date, written as text `YYYY-MM-DD` (unambiguous in every locale).
    case date(String)
}

/// One sheet: a name (at most 31 characters; `[]:*?/\` are replaced) and rows of cells, the first row a header.
public struct Sheet: Sendable {
    /// The sheet's tab name.
    public var name: String
    /// Its rows.
    public var rows: [[SheetCell]]

    /// A sheet.
    public init(name: String, rows: [[SheetCell]]) {
        self.name = name
        self.rows = rows
    }

    /// A sheet whose first row is `header` (text) followed by `rows`.
    public init(name: String, header: [String], rows: [[SheetCell]]) {
        self.init(name: name, rows: [header.map(SheetCell.text)] + rows)
    }
}

/// An .xlsx workbook (Office Open XML): each table a sheet; written without shared strings (inline strings)
/// and with two number formats (money with two decimals, percent), which every spreadsheet program reads.
public struct Workbook: Sendable {
    /// The sheets, in tab order.
    public var sheets: [Sheet]

    /// A workbook of `sheets`.
    public init(sheets: [Sheet]) { self.sheets = sheets }

    /// The workbook as the bytes of an .xlsx file.
    public func xlsx() throws -> Data {
        let archive = try Archive(accessMode: .create)
        let names = Self.uniqueNames(sheets.map(\.name))
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_577_836_800),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("[Content_Types].xml", contentTypes)
        try add("_rels/.rels", rootRelationships)
        try add("xl/workbook.xml", workbookXML(names))
        try add("xl/_rels/workbook.xml.rels", workbookRelationships)
        try add("xl/styles.xml", Self.styles)
        for (i, sheet) in sheets.enumerated() {
            try add("xl/worksheets/sheet\(i + 1).xml", Self.sheetXML(sheet))
        }
        guard let data = archive.data else { throw SheetError("the workbook could not be written") }
        return data
    }

    var contentTypes: String {
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return Self.declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        \(overrides)</Types>
        """
    }

    var rootRelationships: String {
        Self.declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    }

    func workbookXML(_ names: [String]) -> String {
        let list = names.enumerated().map { i, name -> String in
            "<sheet name=\"\(Self.escape(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        return Self.declaration + """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(list)</sheets></workbook>
        """
    }

    var workbookRelationships: String {
        var rels = sheets.indices.map { i -> String in
            "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        rels.append("<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>")
        return Self.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(rels.joined())</Relationships>"
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// Styles: 0 plain, 1 bold (the header), 2 money `#,##0.00`, 3 percent `0.0%`, 4 whole number `#,##0`.
    static let styles = declaration + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>\
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """

    /// The worksheet XML of `sheet`; the first row bold.
    static func sheetXML(_ sheet: Sheet) -> String {
        var out = declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            out += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                let bold = r == 0 ? " s=\"1\"" : ""
                switch cell {
                case .empty: continue
                case .text(let t), .date(let t):
                    out += "<c r=\"\(ref)\" t=\"inlineStr\"\(bold)><is><t xml:space=\"preserve\">\(escape(t))</t></is></c>"
                case .integer(let v): out += "<c r=\"\(ref)\" s=\"4\"><v>\(v)</v></c>"
                case .number(let v) where v.isFinite: out += "<c r=\"\(ref)\"><v>\(v)</v></c>"
                case .percent(let v) where v.isFinite: out += "<c r=\"\(ref)\" s=\"3\"><v>\(v)</v></c>"
                case .number, .percent: continue
                case .money(let minor, let digits): out += "<c r=\"\(ref)\" s=\"2\"><v>\(Money.decimalString(minor, digits: digits))</v></c>"
                }
            }
            out += "</row>"
        }
        return out + "</sheetData></worksheet>"
    }

    /// `A`, `B`, …, `Z`, `AA`, … for the zero-based column `index`.
    static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Text escaped for XML, with the characters XML 1.0 cannot hold (control characters) left out.
    static func escape(_ text: String) -> String {
        let allowed = text.unicodeScalars.filter { u in
            u == "\t" || u == "\n" || u == "\r" || (u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF)
        }
        return Markup.escaped(String(String.UnicodeScalarView(allowed)))
    }

    /// Sheet names a spreadsheet accepts: at most 31 characters, none of `[]:*?/\`, not empty, unique.
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for name in names {
            var clean = String(name.map { "[]:*?/\\".contains($0) ? "-" : $0 }).trimmingCharacters(in: .whitespaces)
            if clean.isEmpty { clean = "Sheet" }
            clean = String(clean.prefix(31))
            var candidate = clean, n = 2
            while seen.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = String(clean.prefix(31 - suffix.count)) + suffix
                n += 1
            }
            seen.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }
}

/// A workbook that cannot be written.
public struct SheetError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
