import ClienteleCore

/// Rules every store shares so that all implementations agree byte for byte: the order of order ids,
/// when two orders have the same content, and which orders a store accepts.
public enum StoreContent {
    /// Whether order id `a` sorts before `b`: by UTF-8 bytes (SQLite's BINARY collation, PostgreSQL's
    /// `COLLATE "C"`), never by Unicode canonical equivalence.
    @inlinable
    public static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether two strings are the same bytes (Swift's `==` treats canonically equivalent strings as equal).
    @inlinable
    public static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// Whether two orders have exactly the same stored content (every field and line, byte for byte).
    public static func sameContent(_ a: Order, _ b: Order) -> Bool {
        guard sameBytes(a.id, b.id), a.placedAt == b.placedAt, a.status == b.status,
              a.currency.code == b.currency.code, a.total == b.total, a.refunded == b.refunded,
              a.shopTotal == b.shopTotal, a.shopRefunded == b.shopRefunded,
              sameBytes(a.customerId, b.customerId), sameBytes(a.email, b.email),
              sameBytes(a.rate, b.rate), sameBytes(a.country, b.country),
              a.lines.count == b.lines.count else { return false }
        for (x, y) in zip(a.lines, b.lines) {
            guard x.quantity == y.quantity, x.unitPrice == y.unitPrice, x.returnedQuantity == y.returnedQuantity,
                  sameBytes(x.productId, y.productId), sameBytes(x.productName, y.productName) else { return false }
        }
        return true
    }

    private static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return sameBytes(x, y)
        default: return false
        }
    }

    /// Checks one order against the rules every store enforces (the SQLite schema's `CHECK`s say the same):
    /// non-empty order and product ids, 0 ≤ refunded ≤ total in both currencies, a two-letter country,
    /// quantity > 0 and 0 ≤ returned ≤ quantity. Throws `StoreError.Code.invalidOrder` naming the order id.
    public static func validate(_ order: Order) throws(StoreError) {
        func fail(_ what: String) -> StoreError {
            StoreError(.invalidOrder, "order \"\(order.id)\": \(what)")
        }
        if order.id.isEmpty { throw StoreError(.invalidOrder, "an order has an empty order id") }
        if order.total < 0 { throw fail("the total is negative") }
        if order.refunded < 0 { throw fail("the refunded amount is negative") }
        if order.refunded > order.total { throw fail("the refunded amount is more than the total") }
        if order.shopTotal < 0 { throw fail("the total in the shop currency is negative") }
        if order.shopRefunded < 0 { throw fail("the refunded amount in the shop currency is negative") }
        if order.shopRefunded > order.shopTotal {
            throw fail("the refunded amount in the shop currency is more than the total")
        }
        if order.currency.code.utf8.count != 3 { throw fail("the currency code is not three letters") }
        if let country = order.country, country.unicodeScalars.count != 2 {
            throw fail("the country is not a two-letter code")
        }
        for (index, line) in order.lines.enumerated() {
            let where_ = "line \(index + 1)"
            if line.productId.isEmpty { throw fail("\(where_) has an empty product id") }
            if line.quantity <= 0 { throw fail("\(where_) has a quantity that is not positive") }
            if line.returnedQuantity < 0 { throw fail("\(where_) has a negative returned quantity") }
            if line.returnedQuantity > line.quantity {
                throw fail("\(where_) has a returned quantity larger than its quantity")
            }
        }
    }

    /// The error for an order id that appears twice in one batch.
    public static func duplicateError(_ id: String) -> StoreError {
        StoreError(.duplicateOrderId, "order \"\(id)\" appears more than once in the same import")
    }
}

/// A string compared and hashed by its UTF-8 bytes (not by Unicode canonical equivalence), so that ids a
/// database keeps apart are also kept apart in memory.
public struct ByteString: Hashable, Sendable {
    /// The wrapped string.
    public let value: String

    /// Wraps `value`.
    @inlinable
    public init(_ value: String) { self.value = value }

    /// Equal when the UTF-8 bytes are equal.
    @inlinable
    public static func == (a: ByteString, b: ByteString) -> Bool { StoreContent.sameBytes(a.value, b.value) }

    /// Hashes the UTF-8 bytes.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        var s = value
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
