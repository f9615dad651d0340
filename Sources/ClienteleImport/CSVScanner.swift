/// A problem the scanner found in a record.
enum CSVProblem: Equatable {
    /// A quoted field starting on this line is never closed (ends the file).
    case unterminatedQuote(line: Int)
    /// Text after a closing quote, on this line.
    case textAfterQuote(line: Int)
    /// A byte order mark on this line.
    case byteOrderMark(line: Int)
    /// A byte that does not start valid UTF-8, on this line.
    case invalidUTF8(line: Int, byte: UInt8)
    /// The record is longer than the limit (when it runs on past it, the rest of the input is not read).
    case tooLong(line: Int)
    /// A quoted field starting on this line runs on past the record length limit (the rest is not read).
    case quoteTooLong(line: Int)

    func error(file: String) -> ImportError {
        switch self {
        case .unterminatedQuote(let line):
            return ImportError(.badQuote, file: file, line: line,
                               message: "unterminated quote: the quoted field that starts on this line is never closed")
        case .textAfterQuote(let line):
            return ImportError(.badQuote, file: file, line: line,
                               message: "text after a closing quote (a quote inside a quoted field must be doubled: \"\")")
        case .byteOrderMark(let line):
            return ImportError(.byteOrderMark, file: file, line: line,
                               message: "a byte order mark (U+FEFF) in the middle of the file; were two files joined together?")
        case .invalidUTF8(let line, let byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return ImportError(.invalidUTF8, file: file, line: line, value: "0x" + hex,
                               message: "invalid UTF-8 (byte 0x\(hex)); if the file was saved by Excel on Windows, import it with --encoding windows-1252")
        case .tooLong(let line):
            return ImportError(.lineTooLong, file: file, line: line,
                               message: "the record is longer than \(CSVScanner.maxRecordBytes) bytes")
        case .quoteTooLong(let line):
            return ImportError(.lineTooLong, file: file, line: line,
                               message: "the quoted field that starts on this line runs on for more than \(CSVScanner.maxRecordBytes) bytes; is its closing quote missing?")
        }
    }
}

/// A byte-level RFC 4180 reader over a mutable buffer that the caller keeps alive.
///
/// Records carry the physical line they start on (header = line 1). Quoted fields may hold separators,
/// doubled quotes (un-doubled: in place, so the buffer is modified, or into `spare`) and line breaks. CRLF, LF
/// and lone CR end a record. Every byte is checked to be UTF-8; a byte order mark after the start is a problem.
struct CSVScanner {
    /// The longest record accepted, in bytes.
    static let maxRecordBytes = 1 << 20

    let base: UnsafeMutablePointer<UInt8>
    /// Where a quoted field with doubled quotes is written un-doubled, one after the other (at least `end` bytes,
    /// lying after `base`; the field then points there, and `base` is only read). nil: rewritten in place.
    let spare: UnsafeMutablePointer<UInt8>?
    /// Bytes of `spare` holding fields: each field's un-doubled bytes are fewer than its bytes in the buffer,
    /// so `end` bytes are always enough, and only the pages the fields land on are ever touched.
    private var spareUsed = 0
    let end: Int
    let separator: UInt8
    /// Current byte offset.
    var pos: Int
    /// Physical line at `pos`.
    var line: Int
    /// The line the current record starts on.
    private(set) var recordLine = 0
    /// Field start offsets of the current record.
    private(set) var starts: [Int] = []
    /// Field end offsets (exclusive) of the current record.
    private(set) var ends: [Int] = []
    /// The first problem in the current record, if any.
    private(set) var problem: CSVProblem?

    init(base: UnsafeMutablePointer<UInt8>, count: Int, start: Int, separator: UInt8, spare: UnsafeMutablePointer<UInt8>? = nil) {
        // Field offsets from `base` reach into `spare`: it must come after the buffer, not too far (see
        // `OrderFileParser.place`, which keeps an offset in 39 bits).
        if let spare { precondition(base.distance(to: spare) >= count && base.distance(to: spare) < 1 << 38) }
        self.base = base
        self.spare = spare
        self.end = count
        self.pos = start
        self.line = 1
        self.separator = separator
        starts.reserveCapacity(128)
        ends.reserveCapacity(128)
    }

    /// Fields in the current record.
    var fieldCount: Int { starts.count }

    /// The bytes of field `i` of the current record; empty when `i` is out of range (a missing column).
    @inline(__always)
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i >= 0 && i < starts.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + starts[i], count: ends[i] - starts[i])
    }

    /// The separator found outside quotes most often in the header line at `start` (comma when none); only the
    /// first `maxRecordBytes + 1` bytes are looked at.
    static func detectSeparator(_ base: UnsafePointer<UInt8>, count: Int, start: Int) -> UInt8 {
        var comma = 0, semicolon = 0, tab = 0
        var inQuotes = false
        var i = start
        // A header longer than a record may be is refused anyway: look no further than that.
        let limit = start + min(count - start, maxRecordBytes + 1)
        while i < limit {
            let c = base[i]
            if c == 0x22 { inQuotes.toggle() }
            else if !inQuotes {
                if c == 0x0A || c == 0x0D { break }
                if c == 0x2C { comma += 1 } else if c == 0x3B { semicolon += 1 } else if c == 0x09 { tab += 1 }
            }
            i += 1
        }
        if semicolon > comma && semicolon >= tab { return 0x3B }
        if tab > comma && tab > semicolon { return 0x09 }
        return 0x2C
    }

    /// Checks the UTF-8 sequence starting at `i` (whose first byte is ≥ 0x80); returns its length, or 0 when invalid.
    @inline(__always)
    private func utf8Length(at i: Int) -> Int {
        let b0 = base[i]
        let avail = end - i
        func cont(_ k: Int) -> Bool { k < avail && base[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = base[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }   // overlong
            if b0 == 0xED && b1 >= 0xA0 { return 0 }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = base[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }
            if b0 == 0xF4 && b1 >= 0x90 { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// Validates the non-ASCII sequence at `pos`, noting a problem; returns how many bytes to advance.
    @inline(__always)
    private mutating func checkNonASCII() -> Int {
        let n = utf8Length(at: pos)
        if n == 0 {
            if problem == nil { problem = .invalidUTF8(line: line, byte: base[pos]) }
            return 1
        }
        if n == 3 && base[pos] == 0xEF && base[pos + 1] == 0xBB && base[pos + 2] == 0xBF && problem == nil {
            problem = .byteOrderMark(line: line)
        }
        return n
    }

    /// Consumes a line break at `pos` (CRLF, LF or CR).
    @inline(__always)
    private mutating func consumeNewline() {
        if base[pos] == 0x0D && pos + 1 < end && base[pos + 1] == 0x0A { pos += 2 } else { pos += 1 }
        line += 1
    }

    /// Reads the next record; `false` at the end of the input.
    ///
    /// A record may run for at most `maxRecordBytes + 1` bytes before its end is found: one that runs on is
    /// refused (`tooLong`, or `quoteTooLong` inside a quoted field), its fields are dropped, and the rest of the
    /// input is not read; so an endless line, a stray quote or gigabytes without a line break cost at most
    /// a mebibyte of scanning and no memory.
    mutating func nextRecord() -> Bool {
        problem = nil
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        if pos >= end { return false }
        recordLine = line
        let recordStart = pos
        let limit = recordStart + min(end - recordStart, CSVScanner.maxRecordBytes + 1)
        let sep = separator
        while true {
            if pos < end && base[pos] == 0x22 {
                // Quoted field.
                let fieldLine = line
                pos += 1
                let contentStart = pos
                // Un-doubled bytes are written at `w`, behind `pos`: in `base` itself, or, from the field's first
                // doubled quote on when there is a spare region, in the spare region after what it already holds.
                var inSpare = false
                var w = pos
                var closed = false
                while pos < limit {
                    let c = base[pos]
                    if c == 0x22 {
                        if pos + 1 < end && base[pos + 1] == 0x22 {
                            if !inSpare, let spare {
                                inSpare = true
                                (spare + spareUsed).update(from: base + contentStart, count: w - contentStart)
                                w = spareUsed + (w - contentStart)
                            }
                            (inSpare ? spare! : base)[w] = 0x22
                            w += 1
                            pos += 2
                            continue
                        }
                        pos += 1
                        closed = true
                        break
                    }
                    var n = 1
                    if c == 0x0A { line += 1 }
                    else if c == 0x0D { if !(pos + 1 < end && base[pos + 1] == 0x0A) { line += 1 } }
                    else if c >= 0x80 { n = checkNonASCII() }
                    if inSpare || w != pos {
                        let out = inSpare ? spare! : base
                        for k in 0..<n { out[w + k] = base[pos + k] }
                    }
                    w += n
                    pos += n
                }
                if !closed {
                    if pos < end { return abandon(.quoteTooLong(line: fieldLine)) }
                    appendQuoted(start: contentStart, end: w, inSpare: inSpare)
                    problem = .unterminatedQuote(line: fieldLine)
                    return true
                }
                appendQuoted(start: contentStart, end: w, inSpare: inSpare)
                if pos >= end { break }
                if pos >= limit { return abandon(.tooLong(line: recordLine)) }
                let c = base[pos]
                if c == sep { pos += 1; continue }
                if c == 0x0A || c == 0x0D { consumeNewline(); break }
                if problem == nil { problem = .textAfterQuote(line: line) }
                // Skip the rest of the field.
                while pos < limit {
                    let d = base[pos]
                    if d == sep || d == 0x0A || d == 0x0D { break }
                    pos += 1
                }
                if pos >= end { break }
                if pos >= limit { return abandon(.tooLong(line: recordLine)) }
                if base[pos] == sep { pos += 1; continue }
                consumeNewline()
                break
            } else {
                let s = pos
                var c: UInt8 = 0
                while pos < limit {
                    c = base[pos]
                    if c == sep || c == 0x0A || c == 0x0D { break }
                    if c >= 0x80 { pos += checkNonASCII() } else { pos += 1 }
                }
                if pos >= end {
                    starts.append(s)
                    ends.append(pos)
                    break
                }
                if pos >= limit { return abandon(.tooLong(line: recordLine)) }
                starts.append(s)
                ends.append(pos)
                if c == sep {
                    pos += 1
                    if pos >= end { starts.append(pos); ends.append(pos); break }
                    continue
                }
                consumeNewline()
                break
            }
        }
        if pos - recordStart > CSVScanner.maxRecordBytes && problem == nil { problem = .tooLong(line: recordLine) }
        return true
    }

    /// Adds a quoted field that ends at `end`: in `base` from `start`, or, when `inSpare`, in the spare region
    /// from what it held before (the field's bytes are then taken into it).
    @inline(__always)
    private mutating func appendQuoted(start: Int, end: Int, inSpare: Bool) {
        if inSpare {
            let shift = base.distance(to: spare!)
            starts.append(shift + spareUsed)
            ends.append(shift + end)
            spareUsed = end
        } else {
            starts.append(start)
            ends.append(end)
        }
    }

    /// Refuses the current record as over the length limit (`problem`, whatever was found before), drops its
    /// fields and skips the rest of the input.
    private mutating func abandon(_ problem: CSVProblem) -> Bool {
        self.problem = problem
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        pos = end
        return true
    }
}

/// Byte-slice helpers.
extension UnsafeBufferPointer where Element == UInt8 {
    /// Without spaces, tabs and no-break spaces (U+00A0) at either end.
    @inline(__always)
    func trimmed() -> UnsafeBufferPointer<UInt8> {
        guard let p = baseAddress else { return self }
        var s = 0, e = count
        while s < e {
            let c = p[s]
            if c == 0x20 || c == 0x09 { s += 1 }
            else if c == 0xC2 && s + 1 < e && p[s + 1] == 0xA0 { s += 2 }
            else { break }
        }
        while e > s {
            let c = p[e - 1]
            if c == 0x20 || c == 0x09 { e -= 1 }
            else if c == 0xA0 && e - 2 >= s && p[e - 2] == 0xC2 { e -= 2 }
            else { break }
        }
        return UnsafeBufferPointer(rebasing: self[s..<e])
    }

    /// The bytes as a String (they are valid UTF-8: the scanner checked).
    var string: String { String(decoding: self, as: UTF8.self) }

    /// Whether the bytes equal `ascii` ignoring ASCII case (`ascii` must be lower-case).
    @inline(__always)
    func equalsLowercase(_ ascii: StaticString) -> Bool {
        guard count == ascii.utf8CodeUnitCount, let p = baseAddress else { return count == 0 && ascii.utf8CodeUnitCount == 0 }
        let q = ascii.utf8Start
        for i in 0..<count {
            var c = p[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != q[i] { return false }
        }
        return true
    }
}
