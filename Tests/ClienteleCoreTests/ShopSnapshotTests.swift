import Testing
@testable import ClienteleCore

/// The columnar snapshot (STYLE.md, "The engine") and its file format.
@Suite struct ShopSnapshotTests {
    typealias F = Fixture

    static let shop: [Order] = [
        F.order("9", "2025-01-05T10:00:00Z", customer: "b", email: " B@X.dk ", total: "20.00",
                lines: [OrderLine(productId: "P1", productName: "Mug", quantity: 2, unitPrice: 1_000, returnedQuantity: 1)]),
        F.order("3", "2025-01-05T10:00:00Z", customer: "b", email: "b@x.dk", total: "30.00",
                lines: [OrderLine(productId: "P2", quantity: 1, unitPrice: 3_000)]),
        F.order("1", "2025-01-01T10:00:00Z", customer: "b", total: "10.00"),
        F.order("2", "2025-01-02T10:00:00Z", total: "5.00"),                                  // anonymous
        F.order("4", "2024-12-24T10:00:00Z", customer: "a", total: "40.00", refunded: "4.00",
                lines: [OrderLine(productId: "P1", productName: "Mug (old name)", quantity: 1, unitPrice: 1_000),
                        OrderLine(productId: "P3", quantity: 3, unitPrice: 1_000)]),
        F.order("5", "2025-01-03T10:00:00Z", customer: "a", total: "50.00", cancelled: true),
        F.order("0", "2025-01-01T09:00:00Z", total: "6.00"),                                  // anonymous
    ]

    @Test func ordersAreSortedByCustomerKeyInstantAndOrderIdWithAnonymousOrdersLast() {
        let s = ShopSnapshot(orders: Self.shop, calendar: .utc, currency: F.dkk)
        // Cancelled order 5 is dropped and counted.
        #expect(s.orderCount == 6 && s.cancelledOrderCount == 1)
        // Customers "a" < "b"; b's orders by instant, then order id ("3" < "9" at the same instant);
        // anonymous orders last, by instant.
        #expect((0..<s.orderCount).map(s.orderId) == ["4", "1", "3", "9", "0", "2"])
        #expect(s.customerCount == 2 && s.customerKey(0) == "a" && s.customerKey(1) == "b")
        #expect(s.orders(ofCustomer: 0) == 0..<1 && s.orders(ofCustomer: 1) == 1..<4)
        #expect(s.identifiedOrderCount == 4 && s.anonymousOrderCount == 2)
        #expect(Array(s.orderCustomer) == [0, 1, 1, 1, -1, -1])
        #expect(Array(s.orderTotal) == [4_000, 1_000, 3_000, 2_000, 600, 500])
        #expect(Array(s.orderRefunded) == [400, 0, 0, 0, 0, 0])
        #expect(s.customer(withKey: "b") == 1 && s.customer(withKey: "c") == nil)
    }

    @Test func emailsAreNormalisedAndInternedOnce() {
        let s = ShopSnapshot(orders: Self.shop, calendar: .utc, currency: F.dkk)
        // Orders 3 and 9 have "b@x.dk" and " B@X.dk ": one interned e-mail.
        #expect(s.emails.count == 1)
        #expect(s.email(ofOrder: 2) == "b@x.dk" && s.email(ofOrder: 3) == "b@x.dk")
        #expect(s.email(ofOrder: 0) == nil)
    }

    @Test func linesFollowTheirOrdersWithProductsInterned() {
        let s = ShopSnapshot(orders: Self.shop, calendar: .utc, currency: F.dkk)
        // Order 4 (index 0) has P1 and P3; order 1 none; order 3 has P2; order 9 has P1.
        #expect(s.lines(ofOrder: 0) == 0..<2 && s.lines(ofOrder: 1) == 2..<2 && s.lines(ofOrder: 2) == 2..<3 && s.lines(ofOrder: 3) == 3..<4)
        #expect(s.lineProduct.map { s.productIds[Int($0)] } == ["P1", "P3", "P2", "P1"])
        #expect(Array(s.lineQuantity) == [1, 3, 1, 2])
        #expect(Array(s.lineReturnedQuantity) == [0, 0, 0, 1])
        // The first name seen for a product is kept.
        #expect(s.productNames[Int(s.lineProduct[3])] == "Mug")
    }

    @Test func dayMonthAndOffsetColumnsUseTheShopCalendar() {
        // 2024-08-31T23:30Z is 2024-09-01 01:30 (+02:00) in Copenhagen; 2024-12-31T23:30Z is 2025-01-01 00:30 (+01:00).
        let orders = [F.order("1", "2024-08-31T23:30:00Z", customer: "a"), F.order("2", "2024-12-31T23:30:00Z", customer: "a")]
        let s = ShopSnapshot(orders: orders, calendar: F.copenhagen)
        #expect(Array(s.orderDay) == [Int32(F.date("2024-09-01").dayNumber), Int32(F.date("2025-01-01").dayNumber)])
        #expect(Array(s.orderMonth) == [Int32(2024 * 12 + 8), Int32(2025 * 12 + 0)])
        #expect(Array(s.orderUTCOffset) == [7200, 3600])
        #expect(s.timestamp(ofOrder: 0) == "2024-09-01T01:30:00+02:00")
        #expect(s.timeZone == "Europe/Copenhagen")
    }

    @Test func foreignCurrencyLinePricesAreConvertedWithTheOrdersRateHalfAwayFromZero() {
        // EUR at 7.46: 10.05 EUR → 74.973 → 74.97 DKK. EUR at 7.45: 0.50 EUR → 3.725 → 3.73 DKK.
        let a = Order(id: "1", placedAt: F.instant("2025-01-05T10:00:00Z"), customerId: "a", currency: F.eur,
                      total: 1_005, shopTotal: 7_497, rate: "7.46",
                      lines: [OrderLine(productId: "P", quantity: 1, unitPrice: 1_005)])
        let b = Order(id: "2", placedAt: F.instant("2025-01-06T10:00:00Z"), customerId: "a", currency: F.eur,
                      total: 50, shopTotal: 373, rate: "7.45",
                      lines: [OrderLine(productId: "P", quantity: 1, unitPrice: 50)])
        let s = ShopSnapshot(orders: [a, b], calendar: .utc, currency: F.dkk)
        #expect(Array(s.lineUnitPrice) == [7_497, 373])
        #expect(Array(s.orderTotal) == [7_497, 373])
        #expect(s.currencies[Int(s.orderCurrency[0])] == "EUR")
    }

    @Test func theBuilderFedOneOrderAtATimeEqualsTheSequenceInitialiser() {
        var b = ShopSnapshot.Builder(calendar: F.copenhagen, currency: F.dkk)
        b.reserveCapacity(orders: 10, lines: 10)
        for o in Self.shop { b.add(o) }
        #expect(b.build(sourceVersion: "v1") == ShopSnapshot(orders: Self.shop, calendar: F.copenhagen, currency: F.dkk, sourceVersion: "v1"))
    }

    @Test func theSnapshotIsFarBelow150BytesPerLine() {
        // A shop of 3 000 orders with 1–3 lines each.
        var orders: [Order] = []
        for i in 0..<3_000 {
            let lines = (0...(i % 3)).map { OrderLine(productId: "P\($0 + i % 50)", quantity: 1, unitPrice: 1_000) }
            orders.append(Order(id: String(100_000 + i), placedAt: Instant(seconds: 1_700_000_000 + Int64(i) * 3_600),
                                customerId: String(10_000 + i % 700), email: "c\(i % 700)@example.com", currency: F.dkk,
                                total: 1_000, country: "DK", lines: lines))
        }
        let s = ShopSnapshot(orders: orders, calendar: F.copenhagen, currency: F.dkk)
        #expect(s.lineCount == 6_000)
        #expect(Double(s.byteCount) / Double(s.lineCount) < 150)
    }

    // MARK: Serialization

    @Test func serializationRoundTripsEveryColumnAndTheSourceVersion() throws {
        let s = ShopSnapshot(orders: Self.shop, calendar: F.copenhagen, currency: F.dkk, sourceVersion: "sha256:abc")
        let bytes = s.serialized()
        #expect(Array(bytes.prefix(6)) == Array("CLSNAP".utf8))
        let back = try ShopSnapshot(serialized: bytes)
        #expect(back == s)
        #expect(back.sourceVersion == "sha256:abc" && back.timeZone == "Europe/Copenhagen" && back.currencyCode == "DKK")
        #expect(try bytes.withUnsafeBytes { try ShopSnapshot.sourceVersion(ofSerialized: $0) } == "sha256:abc")
        // The same report from both.
        let p = Period(from: F.date("2024-12-01"), through: F.date("2025-01-31"))
        func report(_ x: ShopSnapshot) -> CustomerStatistics {
            CustomerStatistics.compute(snapshot: x, period: p, asOf: p.lastDay, top: 5, comparison: p.previous,
                                       thresholds: .init(), currency: F.dkk, timeZone: x.timeZone)
        }
        #expect(report(back) == report(s))
    }

    @Test func anEmptySnapshotRoundTrips() throws {
        let s = ShopSnapshot(orders: [Order](), calendar: .utc)
        #expect(try ShopSnapshot(serialized: s.serialized()) == s)
    }

    @Test func flippingAnyByteIsDetected() {
        let bytes = ShopSnapshot(orders: Self.shop, calendar: F.copenhagen, currency: F.dkk, sourceVersion: "v7").serialized()
        for i in bytes.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var damaged = bytes
                damaged[i] ^= mask
                #expect(throws: SnapshotError.self, "byte \(i) ^ \(mask)") { try ShopSnapshot(serialized: damaged) }
            }
        }
    }

    @Test func aTruncatedOrExtendedBufferThrows() {
        let bytes = ShopSnapshot(orders: Self.shop, calendar: .utc, sourceVersion: "v7").serialized()
        for n in 0..<bytes.count {
            #expect(throws: SnapshotError.self) { try ShopSnapshot(serialized: Array(bytes.prefix(n))) }
        }
        #expect(throws: SnapshotError.self) { try ShopSnapshot(serialized: bytes + [0]) }
    }

    @Test func errorsSayWhatIsWrong() {
        let bytes = ShopSnapshot(orders: Self.shop, calendar: .utc).serialized()
        func code(_ b: [UInt8]) -> SnapshotError.Code? {
            do { _ = try ShopSnapshot(serialized: b); return nil } catch let e as SnapshotError { return e.code } catch { return nil }
        }
        var notMagic = bytes; notMagic[0] = UInt8(ascii: "X")
        #expect(code(notMagic) == .notASnapshot)
        var newer = bytes; newer[6] = 2
        #expect(code(newer) == .unsupportedVersion)
        #expect(code(Array(bytes.dropLast())) == .truncated)
        var payload = bytes; payload[payload.count - 3] ^= 0x10
        #expect(code(payload) == .checksumMismatch)
        #expect(code([]) == .notASnapshot)
    }

    @Test func aConsistentChecksumButInconsistentContentIsRefused() {
        // A payload whose checksums are right but whose customer ranges do not cover the orders.
        var s = ShopSnapshot(orders: Self.shop, calendar: .utc)
        s.customerOrderStart[1] = 99
        #expect(throws: SnapshotError.self) { try ShopSnapshot(serialized: s.serialized()) }
        var t = ShopSnapshot(orders: Self.shop, calendar: .utc)
        t.orderEmail[0] = 5
        #expect(throws: SnapshotError.self) { try ShopSnapshot(serialized: t.serialized()) }
        var u = ShopSnapshot(orders: Self.shop, calendar: .utc)
        u.lineProduct[0] = -2
        #expect(throws: SnapshotError.self) { try ShopSnapshot(serialized: u.serialized()) }
    }

    /// A source that hands out at most `step` bytes per read, as a file read may.
    struct TrickleSource: SnapshotByteSource {
        let bytes: [UInt8]
        let step: Int
        var offset = 0
        var remaining: Int { bytes.count - offset }
        mutating func readUpTo(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(buffer.count, step, remaining)
            for i in 0..<n { buffer[i] = bytes[offset + i] }
            offset += n
            if n < buffer.count && remaining > 0 {
                // Short reads are legal; the reader must ask again. Fill the rest by further calls.
                let rest = try readUpTo(UnsafeMutableRawBufferPointer(rebasing: buffer[n...]))
                return n + rest
            }
            return n
        }
    }

    @Test func readingFromASourceInSmallPiecesGivesTheSameSnapshot() throws {
        let s = ShopSnapshot(orders: Self.shop, calendar: F.copenhagen, currency: F.dkk, sourceVersion: "v9")
        let bytes = s.serialized()
        for step in [1, 3, 8, 1000] {
            var source = TrickleSource(bytes: bytes, step: step)
            let back = try ShopSnapshot(reading: &source, expecting: "v9")
            #expect(back == s, "step \(step)")
            #expect(source.remaining == 0)
        }
        // Another source version: nil after the header alone, the columns left unread.
        var stale = TrickleSource(bytes: bytes, step: 8)
        #expect(try ShopSnapshot(reading: &stale, expecting: "v8") == nil)
        #expect(stale.offset < 64)
    }

    @Test func writingPieceByPieceGivesTheSerializedBytes() throws {
        let s = ShopSnapshot(orders: Self.shop, calendar: F.copenhagen, currency: F.dkk, sourceVersion: "v9")
        var pieces: [[UInt8]] = []
        s.write { pieces.append(Array($0)) }
        #expect(pieces.count > 20, "the columns are handed over one by one")
        #expect(Array(pieces.joined()) == s.serialized())
        // The header's payload length and checksum describe what follows it (computed here by the one-shot hash).
        let all = Array(pieces.joined())
        let payloadStart = 40 + 8  // "v9" padded to 8 bytes
        let payload = Array(all[payloadStart...])
        func u64(_ at: Int) -> UInt64 { all.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) } }
        #expect(u64(16) == UInt64(payload.count))
        #expect(u64(24) == XXHash64.hash(payload))
    }

    @Test func aCountLargerThanTheRestOfTheFileIsRefusedBeforeAllocating() {
        var bytes = ShopSnapshot(orders: Self.shop, calendar: .utc, sourceVersion: "v7").serialized()
        // The first column (the time zone's bytes) claims 2^60 elements; the header is left intact.
        let payloadStart = 40 + 8
        withUnsafeBytes(of: (UInt64(1) << 60).littleEndian) { for i in 0..<8 { bytes[payloadStart + i] = $0[i] } }
        func code(_ b: [UInt8]) -> SnapshotError.Code? {
            do { _ = try ShopSnapshot(serialized: b); return nil } catch let e as SnapshotError { return e.code } catch { return nil }
        }
        #expect(code(bytes) == .truncated)
    }

    /// The streaming hash against the one-shot one (itself checked against the reference values below), over
    /// every length up to 200 bytes cut into three pieces at several places.
    @Test func theStreamingXXHash64EqualsTheOneShotHash() {
        let data = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...200 {
            let whole = Array(data[0..<n])
            let expected = XXHash64.hash(whole, seed: 7)
            for a in Set([0, n / 3, min(5, n), min(31, n), min(33, n)]) {
                for b in Set([a, (a + n) / 2, n]) where b >= a {
                    var h = XXHash64.Streaming(seed: 7)
                    whole.withUnsafeBytes { raw in
                        h.update(UnsafeRawBufferPointer(rebasing: raw[0..<a]))
                        h.update(UnsafeRawBufferPointer(rebasing: raw[a..<b]))
                        h.update(UnsafeRawBufferPointer(rebasing: raw[b..<n]))
                    }
                    #expect(h.finish() == expected, "length \(n) cut at \(a), \(b)")
                }
            }
        }
        var byByte = XXHash64.Streaming()
        for v in (0..<100).map({ UInt8($0) }) { withUnsafeBytes(of: v) { byByte.update($0) } }
        #expect(byByte.finish() == 0x6AC1_E580_3216_6597)
    }

    /// Reference values from the xxHash library (libxxhash 0.8.1, `XXH64(data, len, seed)`).
    @Test func xxHash64MatchesTheReferenceImplementation() {
        #expect(XXHash64.hash([UInt8]()) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x0B24_2D36_1FDA_71BC)
        #expect(XXHash64.hash((0..<100).map { UInt8($0) }) == 0x6AC1_E580_3216_6597)
        #expect(XXHash64.hash((0..<100).map { UInt8($0) }, seed: 12_345) == 0x028B_A1AE_2DE4_DE27)
    }
}
