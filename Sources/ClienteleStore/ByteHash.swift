/// A fast 64-bit hash of a byte string for the open-addressing tables of the importer and the bulk writer
/// (8 bytes a step, MurmurHash3's finaliser so every input bit reaches the low bits used for the slot).
/// Not for anything stored: the value may change between versions.
public enum ByteHash {
    /// The hash of `b`.
    @inlinable @inline(__always)
    public static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(b.count &+ 1)
        guard let p = b.baseAddress else { return h }
        let raw = UnsafeRawPointer(p)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
