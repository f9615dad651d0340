import Testing
@testable import ClienteleCore

/// The snapshot builder's interner, against a plain dictionary keyed by the strings' UTF-8 bytes.
@Suite struct TableInternerTests {
    @Test func idsAreDenseInFirstSeenOrderAndMatchADictionaryOfTheBytes() {
        var generator = SplitMix64(seed: 42)
        // 20,000 draws from 5,000 values, so values repeat and the table grows several times.
        let pool: [String] = (0..<5_000).map { i in
            switch i % 5 {
            case 0: return "c\(i)"
            case 1: return "customer-\(i)@example.com"
            case 2: return String(repeating: "x", count: i % 97)   // includes the empty string
            case 3: return "é\(i)"
            default: return "e\u{301}\(i - 1)"                      // canonically equal to case 3's "é" + i - 1
            }
        }
        var table = StringTable()
        var interner = TableInterner()
        var reference: [[UInt8]: Int32] = [:]
        for _ in 0..<20_000 {
            let s = pool[Int(generator.next() % UInt64(pool.count))]
            let expected = reference[Array(s.utf8)] ?? {
                let id = Int32(reference.count)
                reference[Array(s.utf8)] = id
                return id
            }()
            #expect(interner.intern(s, into: &table) == expected)
        }
        #expect(interner.count == reference.count)
        #expect(table.count == reference.count)
        for (bytes, id) in reference {
            #expect(Array(table[Int(id)].utf8) == bytes)
        }
    }

    @Test func canonicallyEquivalentStringsStayDistinct() {
        var table = StringTable()
        var interner = TableInterner()
        let a = interner.intern("\u{E9}", into: &table)
        let b = interner.intern("e\u{301}", into: &table)
        #expect(a != b)
        #expect(interner.intern("\u{E9}", into: &table) == a)
        #expect(interner.intern("", into: &table) == 2)
        #expect(interner.intern("", into: &table) == 2)
        #expect(table.count == 3)
    }
}
