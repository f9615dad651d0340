import ClienteleCore
import ClienteleStore
internal import GRDB
import Foundation

/// An order's lines as the SQLite store keeps them: packed into one blob in `orders.lines`, one row per order
/// instead of one row per line (docs/architecture.md, "Storage"). A line names its product id and product
/// name by a number, the `ref` of the pair in `line_products`, so neither text is repeated per line.
///
/// The blob: the line count, then per line its pair ref, quantity, unit price and returned quantity, each an
/// unsigned LEB128 varint (the unit price zig-zag encoded, as it may be negative). An order with no lines is
/// the one byte 0x00. Measured on a 10⁷-order import (19.2 M lines): the database file is about half the
/// size of one row per line keyed by (shop, order id, line number), and the writer does a third of the
/// B-tree inserts.
enum LinePacking {
    /// Appends `v` as an unsigned LEB128 varint.
    @inline(__always)
    static func appendVarint(_ v: UInt64, to out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    @inline(__always)
    static func unzigzag(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }

    /// Why a line cannot be stored (the sentence `OrderBatch.appendLine` uses), or nil.
    @inline(__always)
    static func problem(productIdEmpty: Bool, quantity: Int64, returned: Int64) -> String? {
        if productIdEmpty { return "has an empty product id" }
        if quantity <= 0 { return "has a quantity that is not positive" }
        if returned < 0 { return "has a negative returned quantity" }
        if returned > quantity { return "has a returned quantity larger than its quantity" }
        return nil
    }

    /// The error for line `index` (from 0) of order `orderId`: the blob has no `CHECK`s, so the packing
    /// stands guard for the lines as the schema's constraints did.
    static func invalidLine(orderId: String, index: Int, _ problem: String) -> StoreError {
        StoreError(.invalidOrder, "order \"\(orderId)\": line \(index + 1) \(problem)")
    }

    /// Appends one line.
    @inline(__always)
    static func appendLine(ref: Int, quantity: Int64, unitPrice: Int64, returned: Int64, to out: inout [UInt8]) {
        appendVarint(UInt64(ref), to: &out)
        appendVarint(UInt64(quantity), to: &out)
        appendVarint(zigzag(unitPrice), to: &out)
        appendVarint(UInt64(returned), to: &out)
    }

    /// Reads a packed blob: calls `body` with each line's pair ref, quantity, unit price and returned quantity.
    /// A blob that is cut short, too long, or holds a line no store could write is `corruptData` naming the order.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, orderId: @autoclosure () -> String,
                       _ body: (_ ref: Int, _ quantity: Int64, _ unitPrice: Int64, _ returned: Int64) throws -> Void) throws {
        var reader = Reader(bytes: bytes)
        func corrupt() -> StoreError {
            StoreError(.corruptData, "the lines of order \"\(orderId())\" are damaged")
        }
        guard let count = reader.varint(), count <= UInt64(bytes.count) else { throw corrupt() }
        for _ in 0..<Int(count) {
            guard let ref = reader.varint(), let quantity = reader.varint(), let price = reader.varint(),
                  let returned = reader.varint(),
                  ref <= UInt64(Int32.max), quantity >= 1, quantity <= UInt64(Int64.max), returned <= quantity
            else { throw corrupt() }
            try body(Int(ref), Int64(quantity), unzigzag(price), Int64(returned))
        }
        guard reader.position == bytes.count else { throw corrupt() }
    }

    /// The lines of a packed blob, with product ids and names from `pairs`.
    static func lines(_ bytes: UnsafeBufferPointer<UInt8>, orderId: @autoclosure () -> String,
                      pairs: LineProducts) throws -> [OrderLine] {
        var lines: [OrderLine] = []
        try decode(bytes, orderId: orderId()) { ref, quantity, price, returned in
            guard let pair = pairs.pair(ref) else {
                throw StoreError(.corruptData, "a line of order \"\(orderId())\" names an unknown product")
            }
            lines.append(OrderLine(productId: pair.productId, productName: pair.name, quantity: quantity,
                                   unitPrice: price, returnedQuantity: returned))
        }
        return lines
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        /// The next varint; nil when the bytes end inside it or it does not fit in 64 bits.
        @inline(__always)
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                if shift == 63 && b > 1 { return nil }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
    }
}

/// A shop's (product id, product name) pairs in `line_products`: by ref for reading packed lines, by bytes for
/// writing them. A write adds the pairs it meets for the first time (refs count on from the largest) and
/// inserts them before its commit, then applies its line counts (`PairCounts.apply`), which deletes the pairs
/// no stored line names any more.
struct LineProducts {
    /// Product id and name by ref (nil: no such pair).
    private var productIds: [String?] = []
    private var names: [String] = []
    /// Open-addressing table over `keys`: entry index + 1, 0 for empty.
    private var slots: [Int32] = Array(repeating: 0, count: 256)
    private var mask = 255
    /// Per entry: the key (product id bytes, 0xFF, name bytes: 0xFF never occurs in UTF-8), its hash and ref.
    private var keyBytes: [UInt8] = []
    private var keyOffsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var refs: [Int32] = []
    private var scratch: [UInt8] = []
    /// Refs added since loading, in order.
    private(set) var added: [Int] = []

    init() {}

    /// The pairs of shop `shopId`.
    static func load(_ db: Database, shopId: Int64) throws -> LineProducts {
        var pairs = LineProducts()
        let statement = try db.makeStatement(sql: "SELECT ref, product_id, name FROM line_products WHERE shop_id = ?1")
        let s = RawStatement(handle: statement.sqliteStatement)
        s.bind(1, shopId)
        defer { s.reset() }
        while try s.step() {
            let ref = s.int64(0)
            guard ref >= 0 && ref <= Int64(Int32.max) else {
                throw StoreError(.corruptData, "the product table of the stored lines is damaged")
            }
            pairs.insert(ref: Int(ref), productId: s.textBytes(1), name: s.textBytes(2))
        }
        return pairs
    }

    /// How many refs are in use (one more than the largest).
    var refCount: Int { productIds.count }

    /// The pair with ref `ref`.
    @inline(__always)
    func pair(_ ref: Int) -> (productId: String, name: String)? {
        guard ref >= 0 && ref < productIds.count, let id = productIds[ref] else { return nil }
        return (id, names[ref])
    }

    /// The ref of the pair (`productId`, `name`), nil when the shop has no such pair.
    @inline(__always)
    mutating func existingRef(productId: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) -> Int? {
        let slot = find(productId, name).slot
        let v = slots[slot]
        return v == 0 ? nil : Int(refs[Int(v) - 1])
    }

    /// The ref of the pair (`productId`, `name`), added when new.
    @inline(__always)
    mutating func ref(productId: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) -> Int {
        let (slot, h) = find(productId, name)
        let v = slots[slot]
        if v != 0 { return Int(refs[Int(v) - 1]) }
        let ref = productIds.count
        add(at: slot, hash: h, ref: ref, productId: productId, name: name)
        added.append(ref)
        return ref
    }

    /// Inserts the pairs added since loading into `line_products`, with no line counted yet.
    func insertAdded(_ db: Database, shopId: Int64) throws {
        guard !added.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO line_products (shop_id, ref, product_id, name, line_count) VALUES (?1, ?2, ?3, ?4, 0)
            """)
        let s = RawStatement(handle: statement.sqliteStatement)
        for ref in added {
            s.reset()
            s.bind(1, shopId)
            s.bind(2, Int64(ref))
            s.bind(3, productIds[ref]!)
            s.bind(4, names[ref])
            _ = try s.step()
        }
        s.reset()
    }

    // MARK: Table

    private mutating func insert(ref: Int, productId: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) {
        let (slot, h) = find(productId, name)
        guard slots[slot] == 0 else { return }
        add(at: slot, hash: h, ref: ref, productId: productId, name: name)
    }

    /// The slot of the key (`productId`, `name`) or the empty slot where it goes, and its hash; the key is
    /// left in `scratch`.
    @inline(__always)
    private mutating func find(_ productId: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> (slot: Int, hash: UInt64) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: productId)
        scratch.append(0xFF)
        scratch.append(contentsOf: name)
        return scratch.withUnsafeBufferPointer { key in
            let h = ByteHash.hash(key)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let v = slots[slot]
                if v == 0 { return (slot, h) }
                let e = Int(v) - 1
                if hashes[e] == h && keyEquals(e, key) { return (slot, h) }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private func keyEquals(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyOffsets[e], end = keyOffsets[e + 1]
        guard end - start == key.count else { return false }
        return keyBytes.withUnsafeBufferPointer { stored in
            key.count == 0 || memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func add(at slot: Int, hash h: UInt64, ref: Int, productId: UnsafeBufferPointer<UInt8>,
                              name: UnsafeBufferPointer<UInt8>) {
        let e = refs.count
        slots[slot] = Int32(e + 1)
        hashes.append(h)
        refs.append(Int32(ref))
        keyBytes.append(contentsOf: scratch)
        keyOffsets.append(keyBytes.count)
        if ref >= productIds.count {
            productIds.append(contentsOf: repeatElement(nil, count: ref + 1 - productIds.count))
            names.append(contentsOf: repeatElement("", count: ref + 1 - names.count))
        }
        productIds[ref] = String(decoding: productId, as: UTF8.self)
        names[ref] = String(decoding: name, as: UTF8.self)
        if refs.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: 0, count: size)
        let m = size - 1
        for (e, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & m
            while fresh[s] != 0 { s = (s + 1) & m }
            fresh[s] = Int32(e + 1)
        }
        slots = fresh
        mask = m
    }
}
