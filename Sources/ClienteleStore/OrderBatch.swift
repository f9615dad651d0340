import ClienteleCore

/// Orders packed into three flat arrays (text bytes and 64-bit fields) for the trip from an importer to a
/// store's streaming write: the writing thread reads plain bytes and never touches the strings the reading
/// thread keeps using (shared reference counts bounce between cores), and a batch is freed without
/// releasing anything per order.
///
/// Every order in a batch passed `StoreContent.validate` when it was appended.
public struct OrderBatch: Sendable {
    /// Slots per order in `orderFields`, and what each holds (text fields are `TextRef`s, -1 for nil).
    public enum OrderField {
        public static let id = 0, placedAt = 1, customerId = 2, email = 3, status = 4, currency = 5
        public static let total = 6, refunded = 7, shopTotal = 8, shopRefunded = 9, rate = 10, country = 11
        public static let firstLine = 12, lineCount = 13
        /// Slots per order.
        public static let count = 14
    }

    /// Slots per line in `lineFields`.
    public enum LineField {
        public static let productId = 0, productName = 1, quantity = 2, unitPrice = 3, returnedQuantity = 4
        /// The producer's number for the line's (product id, product name) bytes, or -1 (see `appendLine`).
        public static let pairKey = 5
        /// Slots per line.
        public static let count = 6
    }

    /// The UTF-8 bytes of every text field, back to back.
    public private(set) var text: [UInt8] = []
    /// `OrderField.count` slots per order.
    public private(set) var orderFields: [Int64] = []
    /// `LineField.count` slots per line, each order's lines together and in order.
    public private(set) var lineFields: [Int64] = []
    /// Where the text of the order appended last by `appendOrder` starts.
    private var lastOrderText = 0

    /// An empty batch with room for about `orders` orders.
    public init(reservingOrders orders: Int = 0) {
        if orders > 0 {
            text.reserveCapacity(orders * 96)
            orderFields.reserveCapacity(orders * OrderField.count)
            lineFields.reserveCapacity(orders * 2 * LineField.count)
        }
    }

    /// The orders of `orders`, each checked against the store rules (throws the first violation).
    public init(_ orders: [Order]) throws(StoreError) {
        self.init(reservingOrders: orders.count)
        for order in orders { try append(order) }
    }

    /// Orders in the batch.
    public var count: Int { orderFields.count / OrderField.count }
    /// Whether the batch holds no order.
    public var isEmpty: Bool { orderFields.isEmpty }
    /// Lines in the batch.
    public var lineCount: Int { lineFields.count / LineField.count }

    /// A text field's place in `text`: offset in the upper 32 bits, byte count in the lower; -1 for nil.
    @inlinable
    public static func textRange(_ ref: Int64) -> Range<Int>? {
        ref < 0 ? nil : Int(ref >> 32)..<Int(ref >> 32) + Int(ref & 0xFFFF_FFFF)
    }

    private mutating func add(_ s: String) -> Int64 {
        var s = s
        let offset = text.count
        s.withUTF8 { text.append(contentsOf: $0) }
        return Int64(offset) << 32 | Int64(text.count - offset)
    }

    private mutating func add(_ s: String?) -> Int64 {
        guard let s else { return -1 }
        return add(s)
    }

    /// Appends `order` after checking it (`StoreContent.validate`); nothing is appended when it breaks a rule.
    public mutating func append(_ order: Order) throws(StoreError) {
        try StoreContent.validate(order)
        let first = lineCount
        orderFields.append(add(order.id))
        orderFields.append(order.placedAt.seconds)
        orderFields.append(add(order.customerId))
        orderFields.append(add(order.email))
        orderFields.append(order.status == .cancelled ? 1 : 0)
        orderFields.append(add(order.currency.code))
        orderFields.append(order.total)
        orderFields.append(order.refunded)
        orderFields.append(order.shopTotal)
        orderFields.append(order.shopRefunded)
        orderFields.append(add(order.rate))
        orderFields.append(add(order.country))
        orderFields.append(Int64(first))
        orderFields.append(Int64(order.lines.count))
        for line in order.lines {
            lineFields.append(add(line.productId))
            lineFields.append(add(line.productName))
            lineFields.append(line.quantity)
            lineFields.append(line.unitPrice)
            lineFields.append(line.returnedQuantity)
            lineFields.append(-1)
        }
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int64 {
        guard let bytes else { return -1 }
        let offset = text.count
        text.append(contentsOf: bytes)
        return Int64(offset) << 32 | Int64(bytes.count)
    }

    /// Appends an order given as UTF-8 bytes and numbers (`nil` text: no value), checked like `append(_:)`
    /// with the same messages; its lines follow through `appendLine`. Nothing is appended when it breaks a
    /// rule. An importer packs the orders it reads this way without making a `String` per field.
    public mutating func appendOrder(id: UnsafeBufferPointer<UInt8>, placedAt: Int64, customerId: UnsafeBufferPointer<UInt8>?,
                                     email: UnsafeBufferPointer<UInt8>?, cancelled: Bool, currency: UnsafeBufferPointer<UInt8>,
                                     total: Int64, refunded: Int64, shopTotal: Int64, shopRefunded: Int64,
                                     rate: UnsafeBufferPointer<UInt8>?, country: UnsafeBufferPointer<UInt8>?) throws(StoreError) {
        func fail(_ what: String) -> StoreError {
            StoreError(.invalidOrder, "order \"\(String(decoding: id, as: UTF8.self))\": \(what)")
        }
        if id.isEmpty { throw StoreError(.invalidOrder, "an order has an empty order id") }
        if total < 0 { throw fail("the total is negative") }
        if refunded < 0 { throw fail("the refunded amount is negative") }
        if refunded > total { throw fail("the refunded amount is more than the total") }
        if shopTotal < 0 { throw fail("the total in the shop currency is negative") }
        if shopRefunded < 0 { throw fail("the refunded amount in the shop currency is negative") }
        if shopRefunded > shopTotal { throw fail("the refunded amount in the shop currency is more than the total") }
        if currency.count != 3 { throw fail("the currency code is not three letters") }
        if let country {
            var scalars = 0
            for b in country where b & 0xC0 != 0x80 { scalars += 1 }
            if scalars != 2 { throw fail("the country is not a two-letter code") }
        }
        lastOrderText = text.count
        orderFields.append(add(id))
        orderFields.append(placedAt)
        orderFields.append(add(customerId))
        orderFields.append(add(email))
        orderFields.append(cancelled ? 1 : 0)
        orderFields.append(add(currency))
        orderFields.append(total)
        orderFields.append(refunded)
        orderFields.append(shopTotal)
        orderFields.append(shopRefunded)
        orderFields.append(add(rate))
        orderFields.append(add(country))
        orderFields.append(Int64(lineCount))
        orderFields.append(0)
    }

    /// Appends a line to the order appended last by `appendOrder`, checked like `append(_:)`; when it breaks
    /// a rule, that whole order is taken out of the batch again.
    ///
    /// `pairKey` (≥ 0, or -1 for none) is a number the producer gives the line's (product id, product name)
    /// bytes: within one streaming write, lines with the same key have the same bytes. A store may use it to
    /// look each pair up once instead of once per line (the bytes are in the batch all the same).
    public mutating func appendLine(productId: UnsafeBufferPointer<UInt8>, productName: UnsafeBufferPointer<UInt8>,
                                    quantity: Int64, unitPrice: Int64, returnedQuantity: Int64,
                                    pairKey: Int64 = -1) throws(StoreError) {
        let o = orderFields.count - OrderField.count
        let index = Int(orderFields[o + OrderField.lineCount])
        var problem: String? = nil
        if productId.isEmpty { problem = "has an empty product id" }
        else if quantity <= 0 { problem = "has a quantity that is not positive" }
        else if returnedQuantity < 0 { problem = "has a negative returned quantity" }
        else if returnedQuantity > quantity { problem = "has a returned quantity larger than its quantity" }
        if let problem {
            let id = string(orderFields[o + OrderField.id]) ?? ""
            text.removeSubrange(lastOrderText...)
            lineFields.removeSubrange((Int(orderFields[o + OrderField.firstLine]) * LineField.count)...)
            orderFields.removeSubrange(o...)
            throw StoreError(.invalidOrder, "order \"\(id)\": line \(index + 1) \(problem)")
        }
        lineFields.append(add(productId))
        lineFields.append(add(productName))
        lineFields.append(quantity)
        lineFields.append(unitPrice)
        lineFields.append(returnedQuantity)
        lineFields.append(pairKey < 0 ? -1 : pairKey)
        orderFields[o + OrderField.lineCount] = Int64(index + 1)
    }

    private func string(_ ref: Int64) -> String? {
        guard let range = Self.textRange(ref) else { return nil }
        return text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The order id of order `i`.
    public func id(at i: Int) -> String { string(orderFields[i * OrderField.count + OrderField.id]) ?? "" }

    /// Order `i`, unpacked.
    public func order(at i: Int) -> Order {
        let o = i * OrderField.count
        let f = orderFields
        var lines: [OrderLine] = []
        let first = Int(f[o + OrderField.firstLine]), n = Int(f[o + OrderField.lineCount])
        lines.reserveCapacity(n)
        for l in first..<first + n {
            let b = l * LineField.count
            lines.append(OrderLine(productId: string(lineFields[b + LineField.productId]) ?? "",
                                   productName: string(lineFields[b + LineField.productName]) ?? "",
                                   quantity: lineFields[b + LineField.quantity],
                                   unitPrice: lineFields[b + LineField.unitPrice],
                                   returnedQuantity: lineFields[b + LineField.returnedQuantity]))
        }
        return Order(id: string(f[o + OrderField.id]) ?? "", placedAt: Instant(seconds: f[o + OrderField.placedAt]),
                     customerId: string(f[o + OrderField.customerId]), email: string(f[o + OrderField.email]),
                     status: f[o + OrderField.status] == 1 ? .cancelled : .placed,
                     currency: Currency(code: string(f[o + OrderField.currency]) ?? "")!,
                     total: f[o + OrderField.total], refunded: f[o + OrderField.refunded],
                     shopTotal: f[o + OrderField.shopTotal], shopRefunded: f[o + OrderField.shopRefunded],
                     rate: string(f[o + OrderField.rate]), country: string(f[o + OrderField.country]), lines: lines)
    }

    /// Every order, unpacked.
    public var orders: [Order] { (0..<count).map { order(at: $0) } }
}
