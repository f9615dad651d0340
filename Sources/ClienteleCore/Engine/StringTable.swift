/// A column of strings stored as one UTF-8 byte buffer plus offsets: no per-string allocation, and it
/// serialises as two flat arrays (STYLE.md, "The engine").
public struct StringTable: Sendable, Equatable {
    /// The UTF-8 bytes of every string, back to back.
    public internal(set) var bytes: ContiguousArray<UInt8>
    /// `offsets[i] ..< offsets[i + 1]` are the bytes of string `i`; `offsets[0] == 0`.
    public internal(set) var offsets: ContiguousArray<UInt32>

    /// An empty table.
    public init() {
        bytes = []
        offsets = [0]
    }

    init(bytes: ContiguousArray<UInt8>, offsets: ContiguousArray<UInt32>) {
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Number of strings.
    public var count: Int { offsets.count - 1 }

    /// The string at `index`.
    public subscript(index: Int) -> String {
        let a = Int(offsets[index]), b = Int(offsets[index + 1])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[a..<b]), as: UTF8.self) }
    }

    /// Appends a string and returns its index.
    @discardableResult
    mutating func append(_ s: String) -> Int32 {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        precondition(bytes.count <= Int(UInt32.max), "string table larger than 4 GiB")
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
        return Int32(truncatingIfNeeded: offsets.count - 2)
    }

    /// Appends string `index` of `other`.
    mutating func append(from other: StringTable, index: Int) {
        let a = Int(other.offsets[index]), b = Int(other.offsets[index + 1])
        other.bytes.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[a..<b])) }
        precondition(bytes.count <= Int(UInt32.max), "string table larger than 4 GiB")
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Reserves room for `strings` more strings of about `bytesPerString` bytes each.
    mutating func reserve(strings: Int, bytesPerString: Int) {
        offsets.reserveCapacity(offsets.count + strings)
        bytes.reserveCapacity(bytes.count + strings * bytesPerString)
    }

    /// Compares strings `i` and `j` by their UTF-8 bytes, which is the order of their Unicode code points.
    func codePointLess(_ i: Int, _ j: Int) -> Bool {
        bytes.withUnsafeBufferPointer { StringTable.less($0, offsets, i, $0, offsets, j) }
    }

    @inline(__always)
    static func less(_ a: UnsafeBufferPointer<UInt8>, _ ao: ContiguousArray<UInt32>, _ i: Int,
                     _ b: UnsafeBufferPointer<UInt8>, _ bo: ContiguousArray<UInt32>, _ j: Int) -> Bool {
        var x = Int(ao[i]), y = Int(bo[j])
        let xe = Int(ao[i + 1]), ye = Int(bo[j + 1])
        while x < xe && y < ye {
            let p = a[x], q = b[y]
            if p != q { return p < q }
            x += 1; y += 1
        }
        return (xe - Int(ao[i])) < (ye - Int(bo[j]))
    }

    /// Bytes held (buffer plus offsets).
    var byteCount: Int { bytes.count + offsets.count * 4 }

    /// Whether the offsets are a well-formed, non-decreasing cover of `bytes`.
    var isWellFormed: Bool {
        guard let first = offsets.first, first == 0, Int(offsets[offsets.count - 1]) == bytes.count else { return false }
        return offsets.withUnsafeBufferPointer { o in
            var prev: UInt32 = 0
            for v in o { if v < prev { return false }; prev = v }
            return true
        }
    }
}
