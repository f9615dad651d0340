/// Gives each distinct string an id by appending it once to a `StringTable`: an open-addressing hash table of
/// ids whose slots also keep 32 bits of each string's hash, so a lookup compares bytes (in the table's one
/// buffer) only on a likely match and allocates nothing. Strings are equal when their UTF-8 bytes are (code
/// points, not canonical equivalence: `"é"` (U+00E9) and `"e\u{301}"` are different customer keys, as in the
/// source data).
///
/// Measured against a `Dictionary` keyed by each string (SipHash, and a comparison through each key's own
/// `String` storage): that was 30% of building a 10⁷-order snapshot. The hash is XXH64 with a random seed per
/// interner, so that no input can be crafted to collide.
struct TableInterner: Sendable {
    /// 0 when empty, else the upper 32 bits of the hash over id + 1.
    private var slots: ContiguousArray<UInt64>
    private var mask: Int
    private let seed: UInt64
    /// Distinct strings interned.
    private(set) var count = 0

    /// An interner with room for about `capacity` strings before it grows.
    init(capacity: Int = 32) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slots = ContiguousArray(repeating: 0, count: size)
        mask = size - 1
        seed = UInt64.random(in: 0...UInt64.max)
    }

    /// The id of `s` in `table`, appending it when new. Every string of `table` must have come through this
    /// interner.
    @inline(__always)
    mutating func intern(_ s: String, into table: inout StringTable) -> Int32 {
        var s = s
        return s.withUTF8 { intern(bytes: $0, into: &table) }
    }

    /// The id of the string with UTF-8 `bytes` in `table`, appending it when new.
    mutating func intern(bytes: UnsafeBufferPointer<UInt8>, into table: inout StringTable) -> Int32 {
        let h = XXHash64.hash(UnsafeRawBufferPointer(bytes), seed: seed)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            if slot >> 32 == tag {
                let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if table.hasBytes(bytes, at: id) { return Int32(truncatingIfNeeded: id) }
            }
            i = (i + 1) & mask
        }
        let id = table.append(bytes: bytes)
        slots[i] = tag << 32 | UInt64(id + 1)
        count += 1
        if count * 2 > mask + 1 { grow(table) }
        return id
    }

    /// Doubles the slots and re-inserts every string of `table` (hashing it again from the table's bytes).
    private mutating func grow(_ table: StringTable) {
        let size = (mask + 1) * 2
        var fresh = ContiguousArray<UInt64>(repeating: 0, count: size)
        let newMask = size - 1
        table.bytes.withUnsafeBufferPointer { b in
            for id in 0..<table.count {
                let lo = Int(table.offsets[id]), hi = Int(table.offsets[id + 1])
                let h = XXHash64.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[lo..<hi])), seed: seed)
                var i = Int(truncatingIfNeeded: h) & newMask
                while fresh[i] != 0 { i = (i + 1) & newMask }
                fresh[i] = (h >> 32) << 32 | UInt64(id + 1)
            }
        }
        slots = fresh
        mask = newMask
    }
}

extension StringTable {
    /// Appends a string given as UTF-8 bytes and returns its index.
    @discardableResult
    mutating func append(bytes new: UnsafeBufferPointer<UInt8>) -> Int32 {
        bytes.append(contentsOf: new)
        precondition(bytes.count <= Int(UInt32.max), "string table larger than 4 GiB")
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
        return Int32(truncatingIfNeeded: offsets.count - 2)
    }

    /// Whether string `index` has exactly the UTF-8 bytes `other`.
    @inline(__always)
    func hasBytes(_ other: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lo = Int(offsets[index]), hi = Int(offsets[index + 1])
        guard hi - lo == other.count else { return false }
        return bytes.withUnsafeBufferPointer { b in
            other.isEmpty || memcmpEqual(b.baseAddress! + lo, other.baseAddress!, other.count)
        }
    }
}

/// Byte equality of two ranges (the core does not import the C library).
@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
