/// One record of a CSV file as the importer's scanner reads it.
public struct CSVRecord: Hashable, Sendable {
    /// The physical line the record starts on (the first line of the file is 1).
    public var line: Int
    /// The fields: surrounding quotes removed, doubled quotes un-doubled, nothing trimmed.
    public var fields: [String]
    /// The first problem in the record (an unterminated or misplaced quote, invalid UTF-8, a byte order mark,
    /// a record over `CSVRecord.maxBytes`), located at its file and line; `nil` when the record is clean.
    public var problem: ImportError?

    /// A record starting on `line` with `fields` and an optional `problem`.
    public init(line: Int, fields: [String], problem: ImportError? = nil) {
        self.line = line
        self.fields = fields
        self.problem = problem
    }

    /// The longest record the importer accepts, in bytes (a longer one is a `lineTooLong` problem).
    public static var maxBytes: Int { CSVScanner.maxRecordBytes }

    /// Every record of the CSV text `bytes` (named `file` in problems), read exactly as the importer reads an
    /// order file: a UTF-8 byte order mark at the start is skipped, the separator (`,`, `;` or tab) is the one
    /// found most often outside quotes on the first line, RFC 4180 quoting, CRLF, LF or CR line ends. An
    /// unterminated quote runs to the end of the input, so its record is the last. A record that runs on past
    /// `maxBytes` without ending is the last too: it keeps no fields and nothing after it is read, so hostile
    /// input costs at most `maxBytes` of scanning per record and no memory.
    public static func read(_ bytes: [UInt8], file: String = "input.csv") -> [CSVRecord] {
        var buffer = bytes
        return buffer.withUnsafeMutableBufferPointer { buf -> [CSVRecord] in
            guard let base = buf.baseAddress else { return [] }
            let count = buf.count
            var start = 0
            if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
            let separator = CSVScanner.detectSeparator(base, count: count, start: start)
            var scanner = CSVScanner(base: base, count: count, start: start, separator: separator)
            var records: [CSVRecord] = []
            while scanner.nextRecord() {
                let fields = (0..<scanner.fieldCount).map { scanner.field($0).string }
                records.append(CSVRecord(line: scanner.recordLine, fields: fields, problem: scanner.problem?.error(file: file)))
            }
            return records
        }
    }
}
