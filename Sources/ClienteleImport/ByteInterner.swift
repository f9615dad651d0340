import ClienteleStore
import CPrefetch
/// Maps byte strings to dense ids, allocating each distinct value's `String` once.
///
/// An open-addressing hash table keyed by the bytes themselves, so a lookup allocates nothing: used for order
/// ids, product ids and names, e-mails and customer ids, which repeat across millions of lines. Each slot holds
/// 32 bits of the hash beside the id, so a probe touches the stored bytes only on a likely match; a value of at most
/// 7 bytes (customer ids, say) is also kept packed in the slot itself, so that finding it touches one cache line.
/// The last value looked up is checked first, by its hash (lines of one order are usually adjacent). An interner made with
/// `keepsStrings: false` keeps only the bytes (ids and counts, no `String` per value: for keys that are only
/// counted or compared, such as customer keys and order ids).
struct ByteInterner {
    /// Two words per slot: 0 when empty, else the upper 32 bits of the hash and id + 1; then the value packed
    /// by `pack` (0 for a value longer than 7 bytes or empty).
    private var slots: [UInt64]
    /// `pack` of each value, by id.
    private var packed: [UInt64] = []
    private var mask: Int
    private var hashes: [UInt64] = []
    /// `offsets[id]..<offsets[id + 1]` are the bytes of `id` in `storage`.
    private var offsets: [Int] = []
    private var storage: [UInt8] = []
    /// The distinct values, by id (empty when `keepsStrings` is false).
    private(set) var strings: [String] = []
    private var last: Int32 = -1
    /// The hash of `last`.
    private var lastHash: UInt64 = 0
    /// Whether `strings` is kept.
    let keepsStrings: Bool

    init(capacity: Int = 1024, keepsStrings: Bool = true) {
        self.keepsStrings = keepsStrings
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size * 2)
        mask = size - 1
        offsets.reserveCapacity(capacity + 1)
        hashes.reserveCapacity(capacity)
        packed.reserveCapacity(capacity)
        if keepsStrings { strings.reserveCapacity(capacity) }
        offsets.append(0)
    }

    /// How many distinct values.
    var count: Int { hashes.count }


    /// The id of `bytes`, adding it when new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        lookupOrInsert(bytes).id
    }

    /// `intern(_:)` for bytes whose `ByteHash.hash` is `hash` when it is known (from `prefetch`).
    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64?) -> Int32 {
        guard let hash else { return intern(bytes) }
        return lookupOrInsert(bytes, hash: hash).id
    }

    /// The shared `String` for `bytes`, adding it when new.
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let id = lookupOrInsert(bytes).id
        return strings[Int(id)]
    }

    /// A value of 1...7 bytes packed with its length in the top byte; 0 for any other.
    @inline(__always)
    static func pack(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = b.count
        guard n > 0 && n <= 7 else { return 0 }
        var v = UInt64(n) << 56
        for i in 0..<n { v |= UInt64(b[i]) << (8 * UInt64(i)) }
        return v
    }

    /// The hash of `bytes`, for `lookupOrInsert(_:hash:)`, with the slot where the lookup starts asked into
    /// the cache now. In a table of millions of values every lookup misses the cache (and the TLB); a caller
    /// that knows the value early and has other work to do before it needs the id hides most of that wait.
    @inline(__always)
    func prefetch(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let h = ByteHash.hash(bytes)
        slots.withUnsafeBufferPointer { s in
            clientele_prefetch(s.baseAddress! + 2 &* (Int(truncatingIfNeeded: h) & mask))
        }
        return h
    }

    /// The id of `bytes` and whether it was added by this call.
    @inline(__always)
    mutating func lookupOrInsert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        lookupOrInsert(bytes, hash: ByteHash.hash(bytes))
    }

    /// `lookupOrInsert(_:)` for bytes whose `ByteHash.hash` is `h` (from `prefetch`).
    @inline(__always)
    mutating func lookupOrInsert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int32, inserted: Bool) {
        // The hashes are compared first: the last value's bytes are only read when it is very likely the same
        // (reading them for every lookup cost two cache misses per order for the customer keys).
        if last >= 0 && h == lastHash && equal(Int(last), bytes) { return (last, false) }
        return find(bytes, hash: h)
    }

    /// The id of `bytes` (hashed to `h`), added when new, and whether it was added: the table's probe.
    private mutating func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int32, inserted: Bool) {
        let tag = h & 0xFFFF_FFFF_0000_0000
        let short = ByteInterner.pack(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { s in
            while true {
                let v = s[2 &* slot]
                if v == 0 { return nil }
                if v & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(v & 0xFFFF_FFFF) - 1
                    if short != 0 {
                        if s[2 &* slot &+ 1] == short { return Int32(id) }
                    } else if equal(id, bytes) {
                        return Int32(id)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
        if let found {
            last = found
            lastHash = h
            return (found, false)
        }
        let id = Int32(hashes.count)
        slots[2 * slot] = tag | UInt64(id + 1)
        slots[2 * slot + 1] = short
        hashes.append(h)
        packed.append(short)
        storage.append(contentsOf: bytes)
        offsets.append(storage.count)
        if keepsStrings { strings.append(bytes.string) }
        last = id
        lastHash = h
        if hashes.count * 4 > slots.count { grow() }
        return (id, true)
    }

    @inline(__always)
    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        offsets.withUnsafeBufferPointer { o in
            let s = o[id], e = o[id + 1]
            guard e - s == bytes.count else { return false }
            if bytes.count == 0 { return true }
            return storage.withUnsafeBufferPointer { st in
                memoryEqual(st.baseAddress! + s, bytes.baseAddress!, bytes.count)
            }
        }
    }

    private mutating func grow() {
        let size = slots.count  // slots doubled: twice the words, two words per slot
        var newSlots = [UInt64](repeating: 0, count: size * 2)
        let m = size - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & m
            while newSlots[2 * slot] != 0 { slot = (slot + 1) & m }
            newSlots[2 * slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1)
            newSlots[2 * slot + 1] = packed[i]
        }
        slots = newSlots
        mask = m
    }

    /// The value with id `id` (only when `keepsStrings`).
    @inline(__always)
    subscript(id: Int32) -> String { strings[Int(id)] }

    /// Whether the value with id `id` equals `bytes`.
    @inline(__always)
    func equals(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool { equal(Int(id), bytes) }

    /// Calls `body` with a view of the stored bytes (valid only inside `body`).
    @inline(__always)
    func withBytes<R>(_ body: (Bytes) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { o in
            try storage.withUnsafeBufferPointer { s in try body(Bytes(offsets: o, storage: s)) }
        }
    }

    /// The stored bytes of every value, by id.
    struct Bytes {
        let offsets: UnsafeBufferPointer<Int>
        let storage: UnsafeBufferPointer<UInt8>

        /// The bytes of the value with id `id`.
        @inline(__always)
        subscript(id: Int32) -> UnsafeBufferPointer<UInt8> {
            let s = offsets[Int(id)], e = offsets[Int(id) + 1]
            guard let base = storage.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: base + s, count: e - s)
        }
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 8 <= count {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
