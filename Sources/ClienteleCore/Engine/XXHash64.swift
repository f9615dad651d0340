/// XXH64 (Yann Collet's xxHash, 64-bit): the snapshot file's checksum, several GB/s on one core.
public enum XXHash64 {
    static let p1: UInt64 = 11_400_714_785_074_694_791
    static let p2: UInt64 = 14_029_467_366_897_019_727
    static let p3: UInt64 = 1_609_587_929_392_839_161
    static let p4: UInt64 = 9_650_029_242_287_828_579
    static let p5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    /// The XXH64 hash of `bytes` with `seed`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ p5 &+ 0) }
        @inline(__always) func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            let limit = n - 32
            while i <= limit {
                v1 = round(v1, u64(i)); v2 = round(v2, u64(i + 8)); v3 = round(v3, u64(i + 16)); v4 = round(v4, u64(i + 24))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt64(n)
        return tail(h, UnsafeRawBufferPointer(rebasing: bytes[i...]))
    }

    @inline(__always) static func finish(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33; h = h &* p2
        h ^= h >> 29; h = h &* p3
        h ^= h >> 32
        return h
    }

    /// XXH64 over bytes that arrive in pieces: the same hash as `hash(_:seed:)` of their concatenation, for a
    /// snapshot that is read or written column by column rather than held whole in memory.
    public struct Streaming {
        var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
        let seed: UInt64
        var total = 0
        /// Bytes not yet folded in (fewer than 32), in `buffer[0..<buffered]`.
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var buffered = 0

        /// A hash of nothing yet, with `seed`.
        public init(seed: UInt64 = 0) {
            self.seed = seed
            v1 = seed &+ p1 &+ p2; v2 = seed &+ p2; v3 = seed; v4 = seed &- p1
        }

        /// Adds the next bytes.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            var i = 0
            let n = bytes.count
            total += n
            if buffered > 0 {
                let take = min(32 - buffered, n)
                withUnsafeMutableBytes(of: &buffer) { b in
                    (b.baseAddress! + buffered).copyMemory(from: base, byteCount: take)
                }
                buffered += take
                i = take
                guard buffered == 32 else { return }
                withUnsafeBytes(of: buffer) { fold(stripe: $0.baseAddress!) }
                buffered = 0
            }
            while i + 32 <= n {
                fold(stripe: base + i)
                i += 32
            }
            if i < n {
                withUnsafeMutableBytes(of: &buffer) { b in
                    b.baseAddress!.copyMemory(from: base + i, byteCount: n - i)
                }
                buffered = n - i
            }
        }

        @inline(__always) private mutating func fold(stripe p: UnsafeRawPointer) {
            @inline(__always) func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            v1 = round(v1, u64(0)); v2 = round(v2, u64(8)); v3 = round(v3, u64(16)); v4 = round(v4, u64(24))
        }

        /// The hash of everything added so far.
        public func finish() -> UInt64 {
            var h: UInt64
            if total >= 32 {
                h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
                h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
            } else {
                h = seed &+ p5
            }
            h = h &+ UInt64(total)
            return withUnsafeBytes(of: buffer) { raw in
                XXHash64.tail(h, UnsafeRawBufferPointer(rebasing: raw[0..<buffered]))
            }
        }
    }

    /// The last step of XXH64: folds in the final `bytes` (fewer than 32) and mixes.
    static func tail(_ start: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = start
        let n = bytes.count
        var i = 0
        guard let base = bytes.baseAddress else { return finish(h) }
        while i + 8 <= n {
            h ^= round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h ^= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        return finish(h)
    }

    /// The XXH64 hash of a byte array.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }
}
