@testable import ClienteleImport
import Testing

/// `ByteInterner` numbers byte strings densely; checked against a dictionary of the same bytes.
@Suite("Import: byte interner")
struct ByteInternerTests {
    /// Values of every length from 0 to 20 bytes (short ones are kept packed in the slot, long ones are
    /// compared with the stored bytes), repeated in runs and out of order, past several table growths.
    private static func values() -> [[UInt8]] {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var distinct: [[UInt8]] = []
        for i in 0..<3000 {
            let length = i % 21
            distinct.append((0..<length).map { _ in UInt8(truncatingIfNeeded: next() % 7 + 0x61) })
        }
        var out: [[UInt8]] = []
        for _ in 0..<20_000 {
            let v = distinct[Int(next() % UInt64(distinct.count))]
            // Runs of the same value, as the lines of one order repeat its product.
            for _ in 0..<Int(next() % 3 + 1) { out.append(v) }
        }
        return out
    }

    @Test("ids equal first-seen numbering, with or without a prefetched hash, the last value checked first")
    func matchesADictionary() {
        var plain = ByteInterner(capacity: 16, keepsStrings: false)
        var hinted = ByteInterner(capacity: 16, keepsStrings: true)
        var reference: [[UInt8]: Int32] = [:]
        for v in Self.values() {
            let expected = reference[v] ?? Int32(reference.count)
            let isNew = reference[v] == nil
            reference[v] = expected
            v.withUnsafeBufferPointer { b in
                let a = plain.lookupOrInsert(b)
                #expect(a.id == expected && a.inserted == isNew)
                let h = hinted.prefetch(b)
                let c = hinted.lookupOrInsert(b, hash: h)
                #expect(c.id == expected && c.inserted == isNew)
                #expect(hinted[c.id] == String(decoding: v, as: UTF8.self))
            }
        }
        #expect(plain.count == reference.count && hinted.count == reference.count)
        plain.withBytes { bytes in
            for (v, id) in reference { #expect(Array(bytes[id]) == v) }
        }
    }

    @Test("a value right after another with the same hash prefix and length is still told apart")
    func lastValueIsCompared() {
        var interner = ByteInterner(capacity: 4, keepsStrings: false)
        let a: [UInt8] = Array("customer-000001".utf8), b: [UInt8] = Array("customer-000002".utf8)
        let ids = [a, b, a, a, b].map { v in v.withUnsafeBufferPointer { interner.intern($0) } }
        #expect(ids == [0, 1, 0, 0, 1])
    }
}
