@testable import ClienteleImport
import Testing
import Foundation

/// Scans `text` and returns each record's line and fields (and the first problem), for checking by eye. Every
/// text is scanned twice, rewriting quoted fields in place and with a spare region (`CSVScanner.spare`), which
/// must give the same records and leave the text's bytes untouched.
private func scan(_ text: String) -> (separator: UInt8, records: [(line: Int, fields: [String], problem: CSVProblem?)]) {
    let inPlace = scanOnce(text, spare: false)
    let spared = scanOnce(text, spare: true)
    #expect(spared.separator == inPlace.separator)
    #expect(spared.records.map(\.line) == inPlace.records.map(\.line))
    #expect(spared.records.map(\.fields) == inPlace.records.map(\.fields))
    #expect(spared.records.map(\.problem) == inPlace.records.map(\.problem))
    return inPlace
}

private func scanOnce(_ text: String, spare: Bool) -> (separator: UInt8, records: [(line: Int, fields: [String], problem: CSVProblem?)]) {
    let original = Array(text.utf8)
    let n = original.count
    // With a spare region: the text, then as many bytes again (filled with 0xAA, which must not show up).
    var bytes = original + (spare ? [UInt8](repeating: 0xAA, count: max(1, n)) : [])
    var out: [(Int, [String], CSVProblem?)] = []
    var separator: UInt8 = 0
    bytes.withUnsafeMutableBufferPointer { buf in
        var start = 0
        if n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { start = 3 }
        separator = CSVScanner.detectSeparator(buf.baseAddress!, count: n, start: start)
        var s = CSVScanner(base: buf.baseAddress!, count: n, start: start, separator: separator,
                           spare: spare ? buf.baseAddress! + n : nil)
        while s.nextRecord() {
            out.append((s.recordLine, (0..<s.fieldCount).map { s.field($0).string }, s.problem))
        }
    }
    if spare { #expect(Array(bytes[0..<n]) == original) }
    return (separator, out.map { (line: $0.0, fields: $0.1, problem: $0.2) })
}

@Suite("CSV reader")
struct CSVScannerTests {
    @Test("Quoted fields hold separators, doubled quotes and line breaks; records carry their first line")
    func quoting() {
        let r = scan("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n")
        #expect(r.separator == UInt8(ascii: ","))
        #expect(r.records.map(\.line) == [1, 2, 3, 5])
        #expect(r.records[1].fields == ["1", "x, y", "say \"hi\""])
        #expect(r.records[2].fields == ["2", "two\nlines", "z"])
        #expect(r.records[3].fields == ["3", "", ""])
        #expect(r.records.allSatisfy { $0.problem == nil })
    }

    @Test("With a spare region the buffer is only read, and un-doubled fields are packed there one after another")
    func spareRegion() {
        let text = Array("a,b\n\"x \"\"1\"\"\",\"plain\"\n\"\"\"\",\"é\"\"\"\n".utf8)
        let n = text.count
        var bytes = text + [UInt8](repeating: 0, count: n)
        bytes.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            var s = CSVScanner(base: base, count: n, start: 0, separator: UInt8(ascii: ","), spare: base + n)
            var more = s.nextRecord()
            #expect(more && s.fieldCount == 2)
            more = s.nextRecord()
            #expect(more)
            // `x "1"` (5 bytes) goes first into the spare region; `plain` has no doubled quote and stays put.
            #expect(s.field(0).string == "x \"1\"" && s.field(0).baseAddress == UnsafePointer(base + n))
            #expect(s.field(1).string == "plain" && s.field(1).baseAddress! < UnsafePointer(base + n))
            more = s.nextRecord()
            #expect(more)
            // `"` (1 byte) right after it, then `é"` (3 bytes).
            #expect(s.field(0).string == "\"" && s.field(0).baseAddress == UnsafePointer(base + n + 5))
            #expect(s.field(1).string == "é\"" && s.field(1).baseAddress == UnsafePointer(base + n + 6))
            more = s.nextRecord()
            #expect(!more)
        }
        #expect(Array(bytes[0..<n]) == text)
    }

    @Test("CRLF and a BOM are handled; the last line may lack a line break")
    func crlfAndBOM() {
        let r = scan("\u{FEFF}a;b\r\n1;\"x\r\ny\"\r\n2;3")
        #expect(r.separator == UInt8(ascii: ";"))
        #expect(r.records.map(\.fields) == [["a", "b"], ["1", "x\r\ny"], ["2", "3"]])
        #expect(r.records.map(\.line) == [1, 2, 4])
    }

    @Test("The separator is whichever occurs outside quotes in the header", arguments: [
        ("a,b,c", UInt8(ascii: ",")), ("a;b;c", UInt8(ascii: ";")), ("a\tb\tc", UInt8(ascii: "\t")),
        ("\"x;y\",b,c", UInt8(ascii: ",")), ("\"x,y\";b", UInt8(ascii: ";")), ("single", UInt8(ascii: ",")),
    ])
    func separator(header: String, expected: UInt8) {
        #expect(scan(header + "\n").separator == expected)
    }

    @Test("A trailing separator makes an empty last field")
    func trailingSeparator() {
        #expect(scan("a,b\n1,").records[1].fields == ["1", ""])
    }

    @Test("An unterminated quote names the line where the field started")
    func unterminated() {
        let r = scan("a,b\n1,2\n3,\"open\nmore\nlines\n")
        #expect(r.records.last?.problem == .unterminatedQuote(line: 3))
    }

    @Test("Invalid UTF-8 and overlong or surrogate encodings are problems; valid multi-byte text is not")
    func utf8() {
        #expect(scan("a\nblåbær 😀\n").records.allSatisfy { $0.problem == nil })
        for bad: [UInt8] in [[0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE6, 0x41]] {
            var bytes = Array("a\nx".utf8) + bad + Array("\n".utf8)
            var problem: CSVProblem?
            bytes.withUnsafeMutableBufferPointer { buf in
                var s = CSVScanner(base: buf.baseAddress!, count: buf.count, start: 0, separator: 0x2C)
                while s.nextRecord() { if let p = s.problem { problem = p } }
            }
            #expect(problem == .invalidUTF8(line: 2, byte: bad[0]))
        }
    }

    @Test("Windows-1252 bytes are transcoded: 0x80–0x9F by the table, 0xA0–0xFF to U+00A0–U+00FF")
    func windows1252() {
        // 0x80 € , 0x96 – , 0x9F Ÿ , 0xE6 æ , 0xF8 ø , 0xA0 no-break space; ASCII unchanged.
        let out = Windows1252.transcode([0x41, 0x80, 0x96, 0x9F, 0xE6, 0xF8, 0xA0])
        #expect(String(decoding: out, as: UTF8.self) == "A€–Ÿæø\u{00A0}")
        #expect(Windows1252.transcode([0x81]) == [0xC2, 0x81])
    }
}

@Suite("Field parsers")
struct FieldParserTests {
    private func ts(_ s: String) -> TimestampResult {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { FieldParsers.timestamp($0) }
    }

    // Expected seconds: 2024-03-05 is day 19787 after 1970-01-01 (54 years incl. 13 leap days = 19723 days to
    // 2024-01-01, + 31 + 29 + 4 = 64); 19787 × 86400 = 1709596800; 18:22:10 = 66130 s; minus one hour offset.
    static let timestampCases: [(String, Int64, Int32)] = [
        ("2024-03-05T18:22:10+01:00", (1_709_596_800 + 66_130 - 3600), 3600),
        ("2024-03-05T17:22:10Z", (1_709_596_800 + 62_530), 0),
        ("2024-03-05T18:22:10+0100", (1_709_596_800 + 66_130 - 3600), 3600),
        ("2024-03-05T18:22:10.987654+01:00", (1_709_596_800 + 66_130 - 3600), 3600),
        ("2024-03-05 12:22:10 -0500", (1_709_596_800 + 44_530 + 18_000), -18_000),
        ("2024-03-05T17:22:10.5z", (1_709_596_800 + 62_530), 0),
        ("1969-12-31T23:59:59Z", -1, 0),
    ]

    @Test("ISO 8601 timestamps with offsets", arguments: timestampCases)
    func timestamps(text: String, seconds: Int64, offset: Int32) {
        #expect(ts(text) == .ok(seconds: seconds, offset: offset))
    }

    @Test("Timestamps that are not accepted", arguments: [
        ("2024-03-05T18:22:10", TimestampResult.noOffset),
        ("2024-03-05", .malformed), ("05/03/2024 18:22", .malformed), ("2024-03-05T18:22:10+1", .malformed),
        ("2024-03-05T18:22:10+01:00x", .malformed), ("2024-03-05T18:22:10.+01:00", .malformed),
        ("2023-02-29T10:00:00Z", .invalid), ("2024-02-30T10:00:00Z", .invalid), ("2024-13-01T10:00:00Z", .invalid),
        ("2024-03-05T24:00:00Z", .invalid), ("2024-03-05T23:60:00Z", .invalid), ("2024-03-05T23:59:60Z", .invalid),
        ("2024-00-05T10:00:00Z", .invalid), ("2024-03-00T10:00:00Z", .invalid), ("2024-03-05T10:00:00+19:00", .invalid),
    ])
    func rejectedTimestamps(text: String, expected: TimestampResult) {
        #expect(ts(text) == expected)
    }

    @Test("2024-02-29 exists (leap year)")
    func leapDay() {
        #expect(ts("2024-02-29T00:00:00Z") == .ok(seconds: Int64(19_782) * 86_400, offset: 0))
    }

    @Test("Decimals: minor units with the currency's digits; comma only when allowed", arguments: [
        ("1249.50", 2, false, DecimalResult.ok(124_950)), ("1249,50", 2, true, .ok(124_950)),
        ("1249.50", 2, true, .ok(124_950)), ("1249,50", 2, false, .malformed), ("0.5", 2, false, .ok(50)),
        ("-3", 2, false, .ok(-300)), ("+3", 2, false, .ok(300)), ("100.000", 2, false, .ok(10_000)),
        ("100.001", 2, false, .tooManyDecimals), ("1.5", 0, false, .tooManyDecimals), ("1.0", 0, false, .ok(1)),
        ("1.234", 3, false, .ok(1234)), ("1.2345", 3, false, .tooManyDecimals), ("1,249.50", 2, false, .malformed),
        ("1.249,50", 2, true, .malformed), ("", 2, false, .malformed), ("-", 2, false, .malformed), ("abc", 2, false, .malformed),
        ("92233720368547758.07", 2, false, .ok(Int64.max)), ("92233720368547758.08", 2, false, .tooLarge),
        ("99999999999999999999", 0, false, .tooLarge),
    ])
    func decimals(text: String, digits: Int, comma: Bool, expected: DecimalResult) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { FieldParsers.decimal($0, digits: digits, decimalComma: comma) } == expected)
    }

    @Test("Integers", arguments: [
        ("2", IntegerResult.ok(2)), ("-2", .ok(-2)), ("2.0", .ok(2)), ("1.5", .fractional), ("two", .malformed),
        ("", .malformed), ("1e3", .malformed), ("9223372036854775807", .ok(Int64.max)), ("9223372036854775808", .tooLarge),
    ])
    func integers(text: String, expected: IntegerResult) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { FieldParsers.integer($0, decimalComma: false) } == expected)
    }
}

/// `FileReader` maps a regular file with a spare region after it for the scanner; other input has none.
@Suite("Import: reading files")
struct FileReaderTests {
    @Test("a regular file comes with a spare region after its bytes; an empty file is read without one")
    func spareRegion() throws {
        let dir = try TempDirectory()
        let text = "order_id,product_name\n1,\"Plaid \"\"Hygge\"\"\"\n"
        let path = try dir.write("orders.csv", text)
        let seen: (bytes: [UInt8], distance: Int?, spareZero: Bool) = try FileReader.withContents(path) { bytes, spare in
            guard let spare else { return (Array(bytes), nil, false) }
            // Untouched anonymous memory reads as zero, and it is writable.
            let zero = (0..<bytes.count).allSatisfy { spare[$0] == 0 }
            spare[bytes.count - 1] = 1
            return (Array(bytes), bytes.baseAddress!.distance(to: spare), zero)
        }
        #expect(seen.bytes == Array(text.utf8))
        #expect(seen.distance.map { $0 >= text.utf8.count } == true)
        #expect(seen.spareZero)
        // A whole parse with the spare region un-doubles into it: the file on disk is as written.
        let parsed = try FileReader.withContents(path) { bytes, spare in
            var parser = OrderFileParser(options: ImportOptions())
            _ = parser.parse(name: path, buffer: bytes, spare: spare)
            return Array(bytes)
        }
        #expect(parsed == Array(text.utf8))
        let empty = try dir.write("empty.csv", "")
        let hasSpare = try FileReader.withContents(empty) { _, spare in spare != nil }
        #expect(!hasSpare)
    }
}
