import Foundation
import Testing
import ZIPFoundation
@testable import ClienteleSheets

/// The .xlsx writer: the parts a spreadsheet program needs, numbers written as numbers (no `t` attribute),
/// money as exact decimals, text escaped, sheet names made valid.
@Suite struct WorkbookTests {
    /// The text of `path` inside the workbook `data`.
    static func part(_ data: Data, _ path: String) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        let entry = try #require(archive[path], "no \(path) in the workbook")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let book = Workbook(sheets: [
        Sheet(name: "Key figures", header: ["Figure", "This week", "Change"], rows: [
            [.text("Revenue"), .money(1_234_567, digits: 2), .percent(0.125)],
            [.text("Orders"), .integer(42), .empty],
            [.text("<b>&\"x\""), .number(1.5), .date("2026-11-16")],
        ]),
        Sheet(name: "Top/customers: [all]?", rows: [[.text("a")]]),
        Sheet(name: "Top-customers- -all--", rows: []),
    ])

    @Test func theWorkbookHasEveryPartAnOfficeProgramNeeds() throws {
        let data = try Self.book.xlsx()
        #expect(data.prefix(2) == Data([0x50, 0x4B]))  // "PK": a ZIP archive
        for path in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"] {
            _ = try Self.part(data, path)
        }
        let types = try Self.part(data, "[Content_Types].xml")
        #expect(types.contains("/xl/worksheets/sheet3.xml"))
        #expect(!types.contains("/xl/worksheets/sheet4.xml"))
        let rels = try Self.part(data, "xl/_rels/workbook.xml.rels")
        #expect(rels.contains("Id=\"rId4\"") && rels.contains("styles.xml"))
    }

    @Test func numbersAreNumbersAndTextIsEscaped() throws {
        let sheet = try Self.part(try Self.book.xlsx(), "xl/worksheets/sheet1.xml")
        // 1 234 567 øre = 12345.67 kr, as a number with the money format (style 2).
        #expect(sheet.contains("<c r=\"B2\" s=\"2\"><v>12345.67</v></c>"))
        #expect(sheet.contains("<c r=\"C2\" s=\"3\"><v>0.125</v></c>"))
        #expect(sheet.contains("<c r=\"B3\" s=\"4\"><v>42</v></c>"))
        #expect(!sheet.contains("r=\"C3\""))  // an empty cell is left out
        #expect(sheet.contains("<c r=\"B4\"><v>1.5</v></c>"))
        #expect(sheet.contains("&lt;b&gt;&amp;&quot;x&quot;"))
        #expect(sheet.contains("<c r=\"A1\" t=\"inlineStr\" s=\"1\">"))  // the header is bold
    }

    @Test func sheetNamesAreMadeValidAndUnique() throws {
        let workbook = try Self.part(try Self.book.xlsx(), "xl/workbook.xml")
        #expect(workbook.contains("name=\"Key figures\""))
        #expect(workbook.contains("name=\"Top-customers- -all--\""))
        #expect(workbook.contains("name=\"Top-customers- -all-- (2)\""))
        #expect(Workbook.uniqueNames([String(repeating: "x", count: 40)]) == [String(repeating: "x", count: 31)])
    }

    @Test(arguments: [
        (Int64(12345), 2, "123.45"), (Int64(-5), 2, "-0.05"), (Int64(500), 0, "500"), (Int64(1), 3, "0.001"),
        (Int64.min, 2, "-92233720368547758.08"), (Int64.max, 2, "92233720368547758.07"),
    ])
    func moneyIsWrittenAsAnExactDecimal(minor: Int64, digits: Int, expected: String) throws {
        let sheet = try Self.part(try Workbook(sheets: [Sheet(name: "M", rows: [[.money(minor, digits: digits)]])]).xlsx(), "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<c r=\"A1\" s=\"2\"><v>\(expected)</v></c>"))
    }

    @Test(arguments: [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")])
    func columnsAreNamedLikeASpreadsheet(index: Int, name: String) {
        #expect(Workbook.columnName(index) == name)
    }
}
