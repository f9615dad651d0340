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
        /// Slots per line.
        public static let count = 5
    }

    /// The UTF-8 bytes of every text field, back to back.
    public private(set) var text: [UInt8] = []
    /// `OrderField.count` slots per order.
    public private(set) var orderFields: [Int64] = []
    /// `LineField.count` slots per line, each order's lines together and in order.
    public private(set) var lineFields: [Int64] = []

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
        }
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
