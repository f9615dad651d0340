/// Maps byte strings to dense ids, allocating each distinct value's `String` once.
///
/// An open-addressing hash table keyed by the bytes themselves, so a lookup allocates nothing: used for order
/// ids, product ids and names, e-mails and customer ids, which repeat across millions of lines.
struct ByteInterner {
    private var slots: [Int32]
    private var mask: Int
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var storage: [UInt8] = []
    /// The distinct values, by id.
    private(set) var strings: [String] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        offsets.append(0)
    }

    /// How many distinct values.
    var count: Int { strings.count }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        guard let p = b.baseAddress else { return h }
        let raw = UnsafeRawPointer(p)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 32
        return h
    }

    /// The id of `bytes`, adding it when new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        lookupOrInsert(bytes).id
    }

    /// The shared `String` for `bytes`, adding it when new.
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let id = lookupOrInsert(bytes).id
        return strings[Int(id)]
    }

    /// The id of `bytes` and whether it was added by this call.
    mutating func lookupOrInsert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        let h = ByteInterner.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            let i = Int(id)
            if hashes[i] == h && equal(i, bytes) { return (id, false) }
            slot = (slot + 1) & mask
        }
        let id = Int32(strings.count)
        slots[slot] = id
        hashes.append(h)
        storage.append(contentsOf: bytes)
        offsets.append(storage.count)
        strings.append(bytes.string)
        if strings.count * 2 > slots.count { grow() }
        return (id, true)
    }

    @inline(__always)
    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = offsets[id], e = offsets[id + 1]
        guard e - s == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { st in
            for k in 0..<bytes.count where st[s + k] != bytes[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var newSlots = Array(repeating: Int32(-1), count: size)
        let m = size - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & m
            while newSlots[slot] >= 0 { slot = (slot + 1) & m }
            newSlots[slot] = Int32(i)
        }
        slots = newSlots
        mask = m
    }

    /// The value with id `id`.
    @inline(__always)
    subscript(id: Int32) -> String { strings[Int(id)] }
}
