import Foundation

/// xoshiro256** seeded through SplitMix64: a small, fast generator whose output is fixed by its seed on
/// every platform and Swift version (the standard library's `random(in:using:)` algorithms are not
/// promised to stay the same, so only the methods below draw numbers).
struct DemoRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole stream follows from `seed`.
    init(seed: UInt64) {
        var sm = seed
        s0 = DemoRandom.splitMix(&sm)
        s1 = DemoRandom.splitMix(&sm)
        s2 = DemoRandom.splitMix(&sm)
        s3 = DemoRandom.splitMix(&sm)
    }

    /// One SplitMix64 step.
    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// The SplitMix64 finaliser: a bijective 64-bit hash.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { DemoRandom.unit(next()) }

    /// A uniform double in [0, 1) from 64 bits.
    @inline(__always)
    static func unit(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<n` (`n` > 0), by the multiply-high method.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An exponentially distributed value with the given mean.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }
}
