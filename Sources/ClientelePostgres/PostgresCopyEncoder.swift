import ClienteleStore
import PostgresNIO

/// Writes packed order batches (`OrderBatch`) as rows of `COPY … FROM STDIN` in text format, straight from the
/// batch's bytes: columns separated by tabs, rows ended by a newline, NULL as `\N`, and a backslash, tab,
/// newline or carriage return inside a value escaped with a backslash. Each order gets a sequence number
/// (`seq`, counting up over the whole write) that its lines repeat, so that a later version of an id wins.
struct PostgresCopyEncoder {
    /// Order rows: seq, id, placed_at, customer_id, email, status, currency, total, refunded, shop_total,
    /// shop_refunded, rate, country.
    private(set) var orders: [UInt8] = []
    /// Line rows: seq, order_id, line_no, product_id, product_name, quantity, unit_price, returned_quantity.
    private(set) var lines: [UInt8] = []
    /// Orders encoded so far (the next order's seq).
    private(set) var nextSeq: Int64 = 0
    /// Orders and lines waiting in `orders`/`lines`.
    private(set) var pendingOrders = 0
    private(set) var pendingLines = 0
    /// Hashes of every id encoded, to notice an id sent twice.
    private var idHashes = Set<UInt64>()
    /// Whether some id may have been sent twice (a hash seen before; a collision only costs the slower path).
    private(set) var mayHaveRepeatedIds = false

    static let placed = Array("placed".utf8)
    static let cancelled = Array("cancelled".utf8)

    /// Appends every order of `batch` and its lines.
    mutating func append(_ batch: OrderBatch) {
        orders.reserveCapacity(orders.count + batch.count * 160)
        lines.reserveCapacity(lines.count + batch.lineCount * 80)
        batch.text.withUnsafeBufferPointer { text in
            batch.orderFields.withUnsafeBufferPointer { o in
                batch.lineFields.withUnsafeBufferPointer { l in
                    func bytes(_ ref: Int64) -> UnsafeBufferPointer<UInt8>? {
                        guard let range = OrderBatch.textRange(ref) else { return nil }
                        return UnsafeBufferPointer(rebasing: text[range])
                    }
                    typealias F = OrderBatch.OrderField
                    typealias L = OrderBatch.LineField
                    for i in 0..<batch.count {
                        let b = i * F.count
                        let seq = nextSeq
                        nextSeq += 1
                        let id = bytes(o[b + F.id]) ?? UnsafeBufferPointer(start: nil, count: 0)
                        if !idHashes.insert(ByteHash.hash(id)).inserted { mayHaveRepeatedIds = true }
                        Self.int(seq, to: &orders)
                        Self.tab(&orders)
                        Self.text(id, to: &orders)
                        Self.tab(&orders)
                        Self.int(o[b + F.placedAt], to: &orders)
                        Self.tab(&orders)
                        Self.optionalText(bytes(o[b + F.customerId]), to: &orders)
                        Self.tab(&orders)
                        Self.optionalText(bytes(o[b + F.email]), to: &orders)
                        Self.tab(&orders)
                        orders.append(contentsOf: o[b + F.status] == 1 ? Self.cancelled : Self.placed)
                        Self.tab(&orders)
                        Self.optionalText(bytes(o[b + F.currency]), to: &orders)
                        for field in [F.total, F.refunded, F.shopTotal, F.shopRefunded] {
                            Self.tab(&orders)
                            Self.int(o[b + field], to: &orders)
                        }
                        Self.tab(&orders)
                        Self.optionalText(bytes(o[b + F.rate]), to: &orders)
                        Self.tab(&orders)
                        Self.optionalText(bytes(o[b + F.country]), to: &orders)
                        orders.append(0x0A)
                        let first = Int(o[b + F.firstLine]), count = Int(o[b + F.lineCount])
                        for n in 0..<count {
                            let lb = (first + n) * L.count
                            Self.int(seq, to: &lines)
                            Self.tab(&lines)
                            Self.text(id, to: &lines)
                            Self.tab(&lines)
                            Self.int(Int64(n), to: &lines)
                            Self.tab(&lines)
                            Self.optionalText(bytes(l[lb + L.productId]), to: &lines)
                            Self.tab(&lines)
                            Self.text(bytes(l[lb + L.productName]) ?? UnsafeBufferPointer(start: nil, count: 0), to: &lines)
                            for field in [L.quantity, L.unitPrice, L.returnedQuantity] {
                                Self.tab(&lines)
                                Self.int(l[lb + field], to: &lines)
                            }
                            lines.append(0x0A)
                        }
                        pendingLines += count
                    }
                    pendingOrders += batch.count
                }
            }
        }
    }

    /// Hands out the encoded rows and empties the buffers (keeping their capacity for the next batches).
    mutating func take() -> (orders: ByteBuffer, lines: ByteBuffer) {
        let taken = (ByteBuffer(bytes: orders), ByteBuffer(bytes: lines))
        orders.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        pendingOrders = 0
        pendingLines = 0
        return taken
    }

    @inline(__always)
    private static func tab(_ out: inout [UInt8]) { out.append(0x09) }

    @inline(__always)
    private static func optionalText(_ bytes: UnsafeBufferPointer<UInt8>?, to out: inout [UInt8]) {
        if let bytes {
            text(bytes, to: &out)
        } else {
            out.append(0x5C) // \N
            out.append(0x4E)
        }
    }

    @inline(__always)
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var clean = true
        for byte in bytes where byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x09: out.append(0x5C); out.append(0x74) // \t
            case 0x0A: out.append(0x5C); out.append(0x6E) // \n
            case 0x0D: out.append(0x5C); out.append(0x72) // \r
            default: out.append(byte)
            }
        }
    }

    @inline(__always)
    private static func int(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        var v = value.magnitude
        if value < 0 { out.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[n] = 0x30 + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(d[k]) }
        }
    }
}
