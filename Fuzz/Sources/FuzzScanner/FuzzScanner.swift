import ClienteleImport
import FuzzSupport

/// Fuzzes the CSV scanner against a naive reference reader written from the rules alone (RFC 4180 quoting;
/// CRLF, LF or CR line ends; the separator most frequent outside quotes on the first line; every field valid
/// UTF-8 without a byte order mark; records no longer than `CSVRecord.maxBytes`). Both must split the input
/// into the same records starting on the same lines, agree on which records have a problem, and give the
/// same fields for every clean record.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let records = CSVRecord.read(bytes)
    var reference = ReferenceReader(bytes)
    let expected = reference.records()
    require(records.count == expected.count, "\(records.count) records, the reference reads \(expected.count)")
    for (r, e) in zip(records, expected) {
        require(r.line == e.line, "a record on line \(r.line), the reference's on line \(e.line)")
        require((r.problem == nil) == e.clean,
                "line \(r.line): problem \(r.problem.map(String.init(describing:)) ?? "none"), reference clean: \(e.clean)")
        if let problem = r.problem {
            require(problem.description.hasPrefix("input.csv:\(problem.line ?? 0): "), "problem text \(problem)")
        } else {
            require(r.fields == e.fields.map { String(decoding: $0, as: UTF8.self) },
                    "line \(r.line): fields \(r.fields), the reference's \(e.fields.map { String(decoding: $0, as: UTF8.self) })")
        }
    }
    return 0
}

/// The rules, byte by byte, without the scanner's in-place rewriting or its offsets.
struct ReferenceReader {
    struct Record {
        var line: Int
        var fields: [[UInt8]]
        var clean: Bool
    }

    let bytes: [UInt8]
    var i: Int
    var line = 1
    let separator: UInt8

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // Count separators outside quotes on the first line (within the first maxBytes + 1 bytes).
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false
        for b in bytes[i..<min(bytes.count, i + CSVRecord.maxBytes + 1)] {
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        let comma = counts[0x2C]!, semicolon = counts[0x3B]!, tab = counts[0x09]!
        separator = semicolon > comma && semicolon >= tab ? 0x3B : (tab > comma && tab > semicolon ? 0x09 : 0x2C)
    }

    func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }

    /// The length of the line end that ended the last record (0: it ended with the input).
    var terminator = 0

    /// Steps over one line end (CRLF counts once).
    mutating func newline() {
        terminator = bytes[i] == 0x0D && at(i + 1) == 0x0A ? 2 : 1
        i += terminator
        line += 1
    }

    mutating func records() -> [Record] {
        var out: [Record] = []
        while i < bytes.count {
            let start = i
            terminator = 0
            var record = Record(line: line, fields: [], clean: true)
            var ended = false
            fieldLoop: while true {
                var field: [UInt8] = []
                if at(i) == 0x22 {
                    i += 1
                    var closed = false
                    while i < bytes.count {
                        let b = bytes[i]
                        if b == 0x22 {
                            if at(i + 1) == 0x22 { field.append(0x22); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if b == 0x0A || (b == 0x0D && at(i + 1) != 0x0A) { line += 1 }
                        field.append(b)
                        i += 1
                    }
                    record.fields.append(field)
                    if !closed { record.clean = false; ended = true; break fieldLoop }
                    guard let next = at(i) else { break fieldLoop }
                    if next == separator { i += 1; continue fieldLoop }
                    if next == 0x0A || next == 0x0D { newline(); break fieldLoop }
                    // Text after the closing quote: the record has a problem; skip to the field's end.
                    record.clean = false
                    while let b = at(i), b != separator, b != 0x0A, b != 0x0D { i += 1 }
                    guard let end = at(i) else { break fieldLoop }
                    if end == separator { i += 1; continue fieldLoop }
                    newline()
                    break fieldLoop
                }
                while let b = at(i), b != separator, b != 0x0A, b != 0x0D { field.append(b); i += 1 }
                record.fields.append(field)
                guard let end = at(i) else { break fieldLoop }
                if end == separator {
                    i += 1
                    if i == bytes.count { record.fields.append([]); break fieldLoop }
                    continue fieldLoop
                }
                newline()
                break fieldLoop
            }
            for field in record.fields {
                guard let text = String(validating: field, as: UTF8.self), !text.unicodeScalars.contains("\u{FEFF}") else {
                    record.clean = false
                    break
                }
            }
            // Where the record's content ends (before its line end, or at the end of the input): one that runs
            // on for more than the limit without ending is refused, and nothing after it is read.
            let contentEnd = i - terminator
            if contentEnd - start > CSVRecord.maxBytes + (terminator == 0 ? 1 : 0) {
                out.append(Record(line: record.line, fields: [], clean: false))
                break
            }
            if i - start > CSVRecord.maxBytes { record.clean = false }
            out.append(record)
            if ended { break }
        }
        return out
    }
}

@main
enum FuzzScanner {
    static func main() { runFuzzer(testOneInput) }
}
