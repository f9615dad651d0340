import ClienteleCore
import ClienteleStore

/// The columns of the canonical order-lines CSV (IMPORT.md).
enum CanonicalColumns {
    /// Columns that must be present.
    static let required = ["order_id", "placed_at", "status", "currency", "order_total", "product_id", "quantity", "unit_price"]
    /// Columns that may be present.
    static let optional = ["customer_id", "email", "refunded", "product_name", "returned_quantity", "country"]
}

extension OrderFileParser {
    /// Reads the canonical order-lines format: one row per line, order-level fields repeated on every line
    /// and required to agree. Money fields follow `FieldParsers.decimal` (a `,` decimal separator is accepted
    /// in files separated by `;` or tab).
    mutating func parseCanonical(_ scanner: inout CSVScanner, header: [String], columns: ColumnMap, totalBytes: Int) -> FileOrders? {
        guard requireColumns(CanonicalColumns.required, display: CanonicalColumns.required, in: columns) else { return nil }
        let known = Set(CanonicalColumns.required + CanonicalColumns.optional)
        let unknown = header.filter { !known.contains($0.lowercased()) }

        let cOrderId = columns["order_id"], cPlaced = columns["placed_at"], cCustomer = columns["customer_id"]
        let cEmail = columns["email"], cStatus = columns["status"], cCurrency = columns["currency"]
        let cTotal = columns["order_total"], cRefunded = columns["refunded"], cProduct = columns["product_id"]
        let cName = columns["product_name"], cQuantity = columns["quantity"], cPrice = columns["unit_price"]
        let cReturned = columns["returned_quantity"], cCountry = columns["country"]
        let headerCount = header.count

        // About 90 bytes per line in typical files; orders have ~1.6 lines.
        let estimatedLines = max(16, totalBytes / 90)
        var records: [OrderRecord] = []
        records.reserveCapacity(estimatedLines * 2 / 3)
        var lines: [LineRecord] = []
        lines.reserveCapacity(estimatedLines)
        // Orders whose lines are not all together in `lines` (their rows are not adjacent in the file): every
        // run of lines, in order.
        var runs: [Int: [Range<Int>]] = [:]
        // The order of the last line appended to `lines`.
        var lastLineOrder = -1
        var orderIndexer = OrderIndex()
        var lineCount = 0
        var dataRows = 0
        var lastReported = 0
        /// The order the previous record belonged to: complete (and sent) when a record of another order comes.
        var current = -1
        let base = scanner.base

        while scanner.nextRecord() {
            reportProgress(&scanner, lastReported: &lastReported)
            guard acceptRecord(&scanner, headerCount: headerCount) else {
                if case .unterminatedQuote = scanner.problem { break }
                if scanner.problem != nil || scanner.fieldCount != 1 || !scanner.field(0).trimmed().isEmpty { dataRows += 1 }
                continue
            }
            let idBytes = scanner.field(cOrderId).trimmed()
            if idBytes.isEmpty {
                if isBlankRecord(scanner) { continue }
                dataRows += 1
                fail(.emptyField, column: "order_id", "order_id is empty")
                continue
            }
            dataRows += 1
            let customerBytes = scanner.field(cCustomer).trimmed()
            let emailBytes = scanner.field(cEmail).trimmed()
            let (orderIndex, isNew) = orderIndexer.lookupOrInsert(idBytes) { table in
                for record in records { _ = table.intern(Self.text(record.id, base)) }
            }
            // A new order's customer key is looked up further down: the slot it starts at is fetched meanwhile
            // (with millions of customers that lookup waits for memory otherwise).
            let keyHash = isNew ? prefetchCustomerKey(customer: customerBytes, email: emailBytes) : nil

            // Order-level fields.
            var bad = false
            let placed = readTimestamp(scanner.field(cPlaced).trimmed(), column: "placed_at")
            if placed == nil { bad = true }
            var status = OrderStatus.placed
            let statusBytes = scanner.field(cStatus).trimmed()
            if statusBytes.equalsLowercase("placed") {
                status = .placed
            } else if statusBytes.equalsLowercase("cancelled") || statusBytes.equalsLowercase("canceled") {
                status = .cancelled
            } else {
                bad = true
                if statusBytes.isEmpty {
                    fail(.emptyField, column: "status", "status is empty")
                } else {
                    let s = statusBytes.string
                    fail(.invalidStatus, column: "status", value: s, "status \(quoted(s)) is not placed or cancelled")
                }
            }
            let currencyBytes = scanner.field(cCurrency).trimmed()
            let readCurrency = readIndexedCurrency(currencyBytes, column: "currency")
            let currency = readCurrency?.currency
            var total: Int64? = nil
            var refunded: Int64? = nil
            let totalText = scanner.field(cTotal).trimmed()
            let refundedBytes = scanner.field(cRefunded).trimmed()
            if let currency {
                total = readAmount(totalText, column: "order_total", currency: currency, required: true)
                refunded = readAmount(refundedBytes, column: "refunded", currency: currency, required: false)
                if let t = total, let r = refunded, r > t {
                    fail(.invalidAmount, column: "refunded", value: refundedBytes.string,
                         "refunded \(quoted(refundedBytes.string)) is more than order_total \(quoted(totalText.string))")
                    refunded = nil
                }
            }
            if currency == nil || total == nil || refunded == nil { bad = true }
            let countryBytes = scanner.field(cCountry).trimmed()
            let country = readCountrySlot(countryBytes, column: "country")
            if country == nil { bad = true }

            // Customer id and e-mail are compared as bytes with the order's first row (kept in the buffer);
            // only a new order looks its customer key up.
            var sameCustomer = true, sameEmail = true
            if !isNew {
                let record = records[orderIndex]
                sameCustomer = Self.equal(customerBytes, base, record.customer)
                sameEmail = Self.equal(emailBytes, base, record.email)
            }
            if orderIndex != current {
                if current >= 0 && emitter != nil { emitOrder(current, records, lines, runs, base) }
                current = orderIndex
            }
            if isNew {
                let currencyIndex = readCurrency?.index ?? self.currencyIndex(Currency(code: "EUR")!)
                let key = customerKey(customer: customerBytes, email: emailBytes, hash: keyHash)
                var flags: UInt8 = status == .cancelled ? OrderRecord.cancelled : 0
                if bad { flags |= OrderRecord.poisoned }
                if currency != nil { flags |= OrderRecord.currencyKnown }
                records.append(OrderRecord(id: Self.place(idBytes, base), customer: Self.place(customerBytes, base),
                                           email: Self.place(emailBytes, base), placedAt: placed?.0 ?? 0,
                                           total: total ?? 0, refunded: refunded ?? 0, lineStart: lines.count,
                                           firstLine: Int32(truncatingIfNeeded: line), offset: placed?.1 ?? 0,
                                           key: key, lineCount: 0, country: country ?? -1,
                                           currency: UInt8(currencyIndex), flags: flags))
                if let total, let currency { addOrderTotal(total, currency: currency, column: "order_total", text: totalText) }
            } else if !bad && !records[orderIndex].isPoisoned
                        && !Self.sameOrderFields(records[orderIndex], placed: placed?.0, sameCustomer: sameCustomer,
                                                 sameEmail: sameEmail, status: status, currency: readCurrency?.index,
                                                 total: total, refunded: refunded, country: country) {
                let first = records[orderIndex]
                let id = Self.text(first.id, base).string
                let firstLine = Int(first.firstLine)
                if let placed, placed.0 != first.placedAt {
                    disagree("placed_at", scanner.field(cPlaced).trimmed().string, id, firstLine,
                             Instant(seconds: first.placedAt).iso8601(offsetSeconds: Int(first.offset)))
                }
                if !sameCustomer {
                    disagree("customer_id", scanner.field(cCustomer).trimmed().string, id, firstLine,
                             Self.text(first.customer, base).string)
                }
                if !sameEmail && !Self.sameIgnoringCase(emailBytes, Self.text(first.email, base)) {
                    disagree("email", scanner.field(cEmail).trimmed().string, id, firstLine, Self.text(first.email, base).string)
                }
                if status != first.status {
                    disagree("status", statusBytes.string, id, firstLine, first.status.rawValue)
                }
                let firstCurrency = currencyTable[Int(first.currency)]
                if let currency, currency != firstCurrency {
                    disagree("currency", currencyBytes.string, id, firstLine, firstCurrency.code)
                } else {
                    let digits = firstCurrency.minorDigits
                    if let total, total != first.total {
                        disagree("order_total", totalText.string, id, firstLine, Money.decimalString(first.total, digits: digits))
                    }
                    if let refunded, refunded != first.refunded {
                        disagree("refunded", refundedBytes.string, id, firstLine, Money.decimalString(first.refunded, digits: digits))
                    }
                }
                if let country, country != first.country {
                    disagree("country", countryBytes.string, id, firstLine, countryCode(first.country) ?? "")
                }
            }

            // Line-level fields.
            let lineCurrency = currency ?? (records[orderIndex].isCurrencyKnown ? currencyTable[Int(records[orderIndex].currency)] : nil)
            let productBytes = scanner.field(cProduct).trimmed()
            var product: Int32 = -1
            if productBytes.isEmpty {
                fail(.emptyField, column: "product_id", "product_id is empty")
            } else {
                product = products.intern(productBytes)
            }
            let quantity = readQuantity(scanner.field(cQuantity).trimmed(), column: "quantity", minimum: 1, required: true)
            let returnedBytes = scanner.field(cReturned).trimmed()
            var returned = readQuantity(returnedBytes, column: "returned_quantity", minimum: 0, required: false)
            if let q = quantity, let r = returned, r > q {
                fail(.invalidQuantity, column: "returned_quantity", value: returnedBytes.string,
                     "returned_quantity \(quoted(returnedBytes.string)) is more than quantity \(quoted(scanner.field(cQuantity).trimmed().string))")
                returned = nil
            }
            var price: Int64? = nil
            if let lineCurrency {
                price = readAmount(scanner.field(cPrice).trimmed(), column: "unit_price", currency: lineCurrency, required: true)
                if let quantity, let price {
                    addLineAmount(quantity: quantity, price: price, currency: lineCurrency, quantityColumn: "quantity",
                                  priceColumn: "unit_price", quantityText: scanner.field(cQuantity).trimmed(),
                                  priceText: scanner.field(cPrice).trimmed())
                }
            }
            let nameBytes = scanner.field(cName).trimmed()
            let name: Int32 = nameBytes.isEmpty ? -1 : productName(nameBytes, product: product)
            if product >= 0, let quantity, let returned, let price {
                // Quantities are at most `Limits.maxQuantity`, so they fit in 32 bits.
                let record = LineRecord(price: price, product: product, name: name,
                                        quantity: Int32(quantity), returned: Int32(returned))
                if records[orderIndex].lineCount == 0 {
                    records[orderIndex].lineStart = lines.count
                } else if lastLineOrder != orderIndex {
                    // A new run of this order's lines.
                    if !records[orderIndex].isSplit {
                        let r = records[orderIndex]
                        runs[orderIndex] = [r.lineStart..<r.lineStart + Int(r.lineCount)]
                        records[orderIndex].flags |= OrderRecord.split
                    }
                    runs[orderIndex]!.append(lines.count..<lines.count)
                }
                if records[orderIndex].isSplit {
                    let k = runs[orderIndex]!.count - 1
                    runs[orderIndex]![k] = runs[orderIndex]![k].lowerBound..<lines.count + 1
                }
                lines.append(record)
                records[orderIndex].lineCount += 1
                lastLineOrder = orderIndex
                lineCount += 1
            }
        }
        if current >= 0 && emitter != nil { emitOrder(current, records, lines, runs, base) }
        if dataRows == 0 {
            failFile(.noOrders, "no orders: the file has a header but no data rows")
            return nil
        }
        // Orders whose currency could not be read were reported; keep them out of the currency checks.
        let allKnown = !records.contains(where: { !$0.isCurrencyKnown })
        guard keepsOrders else {
            if !allKnown { records.removeAll(where: { !$0.isCurrencyKnown }) }
            return FileOrders(format: .canonical, orders: [], lines: lineCount, unknownColumns: unknown, keys: [],
                              sent: true, records: records, base: base)
        }
        var orders: [Order] = []
        var keys: [Int32] = []
        orders.reserveCapacity(records.count)
        keys.reserveCapacity(records.count)
        for i in records.indices where records[i].isCurrencyKnown {
            let r = records[i]
            var orderLines: [OrderLine] = []
            orderLines.reserveCapacity(Int(r.lineCount))
            for range in runs[i] ?? [r.lineStart..<r.lineStart + Int(r.lineCount)] {
                for l in lines[range] {
                    orderLines.append(OrderLine(productId: products[l.product], productName: l.name < 0 ? "" : productNames[l.name],
                                                quantity: Int64(l.quantity), unitPrice: l.price,
                                                returnedQuantity: Int64(l.returned)))
                }
            }
            orders.append(Order(id: Self.text(r.id, base).string, placedAt: Instant(seconds: r.placedAt),
                                customerId: r.customer == 0 ? nil : Self.text(r.customer, base).string,
                                email: r.email == 0 ? nil : Self.text(r.email, base).string,
                                status: r.status, currency: currencyTable[Int(r.currency)], total: r.total,
                                refunded: r.refunded, country: countryCode(r.country), lines: orderLines))
            keys.append(r.key)
        }
        return FileOrders(format: .canonical, orders: orders, lines: lineCount, unknownColumns: unknown, keys: keys,
                          sent: true)
    }

    /// The id of the product name `b` of a line of `product` (-1: none): a product's lines usually repeat its
    /// name, so the name seen last with the product is compared first.
    @inline(__always)
    private mutating func productName(_ b: UnsafeBufferPointer<UInt8>, product: Int32) -> Int32 {
        guard product >= 0 else { return productNames.intern(b) }
        let p = Int(product)
        if p < nameOfProduct.count, nameOfProduct[p] >= 0, productNames.equals(nameOfProduct[p], b) { return nameOfProduct[p] }
        let id = productNames.intern(b)
        if p >= nameOfProduct.count { nameOfProduct.append(contentsOf: repeatElement(-1, count: p + 1 - nameOfProduct.count)) }
        nameOfProduct[p] = id
        return id
    }

    /// Sends order `i` to the emitter while there is no error (after the first error nothing more is sent).
    private mutating func emitOrder(_ i: Int, _ records: [OrderRecord], _ lines: [LineRecord], _ runs: [Int: [Range<Int>]],
                                    _ base: UnsafeMutablePointer<UInt8>) {
        guard errors.isEmpty else {
            emitter!.stop()
            return
        }
        // The emitter is moved out while it packs the order, and the interners are lent to it: a closure that
        // used `self` for both made a copy of each interner (its arrays retained and released) per order,
        // about a tenth of the reading thread's time at 10⁷ orders.
        guard var sink = emitter.take() else { return }
        Self.emit(records[i], runs: records[i].isSplit ? runs[i]! : [], lines: lines, base: base,
                  currency: currencyTable[Int(records[i].currency)], products: products, names: productNames, to: &sink)
        emitter = sink
    }

    /// Packs the order of record `r` (its lines in `lines`, in `runs` when split) into `sink`.
    private static func emit(_ r: OrderRecord, runs: [Range<Int>], lines: [LineRecord], base: UnsafeMutablePointer<UInt8>,
                             currency: Currency, products: borrowing ByteInterner, names: borrowing ByteInterner,
                             to sink: inout OrderEmitter) {
        products.withBytes { productBytes in
            names.withBytes { nameBytes in
                lines.withUnsafeBufferPointer { lines in
                    Self.countryLetters.withUnsafeBufferPointer { letters in
                        let country = r.country < 0 ? nil : UnsafeBufferPointer(rebasing: letters[Int(r.country) * 2..<Int(r.country) * 2 + 2])
                        sink.emit(id: Self.text(r.id, base), placedAt: r.placedAt,
                                  customerId: r.customer == 0 ? nil : Self.text(r.customer, base),
                                  email: r.email == 0 ? nil : Self.text(r.email, base), cancelled: r.status == .cancelled,
                                  currency: currency, currencyIndex: Int(r.currency), total: r.total, refunded: r.refunded,
                                  country: country) { (batch: inout OrderBatch) throws(StoreError) in
                            func append(_ l: LineRecord) throws(StoreError) {
                                // The interners number the bytes for the whole run: the two ids name the pair.
                                try batch.appendLine(productId: productBytes[l.product],
                                                     productName: l.name < 0 ? UnsafeBufferPointer(start: nil, count: 0) : nameBytes[l.name],
                                                     quantity: Int64(l.quantity), unitPrice: l.price,
                                                     returnedQuantity: Int64(l.returned),
                                                     pairKey: Int64(l.product) << 32 | Int64(UInt32(bitPattern: l.name)))
                            }
                            if r.isSplit {
                                for range in runs {
                                    for k in range { try append(lines[k]) }
                                }
                            } else {
                                for k in r.lineStart..<r.lineStart + Int(r.lineCount) { try append(lines[k]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether a line's order-level fields equal the order's first line (the common case, checked fast).
    @inline(__always)
    private static func sameOrderFields(_ first: OrderRecord, placed: Int64?, sameCustomer: Bool, sameEmail: Bool,
                                        status: OrderStatus, currency: Int?, total: Int64?, refunded: Int64?,
                                        country: Int16?) -> Bool {
        placed == first.placedAt && sameCustomer && sameEmail && status == first.status
            && total == first.total && refunded == first.refunded && currency == Int(first.currency)
            && country == first.country
    }

    /// Where the field `b` is in the buffer at `base` (see `OrderRecord`); 0 for an empty field.
    @inline(__always)
    static func place(_ b: UnsafeBufferPointer<UInt8>, _ base: UnsafeMutablePointer<UInt8>) -> Int64 {
        guard let p = b.baseAddress, !b.isEmpty else { return 0 }
        return Int64(UnsafePointer(base).distance(to: p)) << 24 | Int64(b.count)
    }

    /// The bytes of the field at `place` in the buffer at `base` (empty for 0).
    @inline(__always)
    static func text(_ place: Int64, _ base: UnsafeMutablePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: UnsafePointer(base) + Int(place >> 24), count: Int(place & 0xFF_FFFF))
    }

    /// Whether `b` equals the field at `place` in the buffer at `base`.
    @inline(__always)
    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ base: UnsafeMutablePointer<UInt8>, _ place: Int64) -> Bool {
        guard b.count == Int(place & 0xFF_FFFF) else { return false }
        guard b.count > 0 else { return true }
        return memoryEqual(b.baseAddress!, UnsafePointer(base) + Int(place >> 24), b.count)
    }

    /// Whether two non-empty e-mails are equal after lower-casing (`String.lowercased`).
    private static func sameIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ first: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !b.isEmpty, !first.isEmpty else { return false }
        return b.string.lowercased() == first.string.lowercased()
    }

    /// Reports an order-level field that differs from the order's first line.
    private mutating func disagree(_ column: String, _ value: String, _ orderId: String, _ firstLine: Int, _ firstValue: String) {
        // E-mails and customer ids are personal data: the message says where, not what (docs/privacy.md, "Logs").
        if column == "email" || column == "customer_id" {
            fail(.disagreement, column: column,
                 "\(column) of order \(orderId) disagrees with line \(firstLine) (the values are personal data and not repeated here)")
            return
        }
        fail(.disagreement, column: column, value: value,
             "\(column) \(quoted(value)) of order \(orderId) disagrees with line \(firstLine) (\(quoted(firstValue)))")
    }
}

/// One order of a canonical file while it is read: its order-level fields as numbers, its text fields as places
/// in the file's buffer, its lines in a shared array; no `String` or array of its own, so that a file of
/// millions of orders costs some 80 bytes per order (and 24 per line) while it is read.
struct OrderRecord {
    /// Places in the buffer (offset << 24 | byte count, 0 for an empty field; a record is at most
    /// `CSVScanner.maxRecordBytes` long, so a field's byte count fits in 24 bits).
    var id: Int64
    var customer: Int64
    var email: Int64
    var placedAt: Int64
    var total: Int64
    var refunded: Int64
    /// Index of the first line in the file's lines (for a split order, its runs are kept apart).
    var lineStart: Int
    /// Line of the order's first row.
    var firstLine: Int32
    /// The UTC offset written in the first row's timestamp, in seconds.
    var offset: Int32
    /// The customer key id (-1 for anonymous orders).
    var key: Int32
    var lineCount: Int32
    /// `OrderFileParser.countryCode` slot, -1 for none.
    var country: Int16
    /// Index in `OrderFileParser.currencyTable`.
    var currency: UInt8
    var flags: UInt8

    static let cancelled: UInt8 = 1
    /// The first row had an error in an order-level field: skip agreement checks.
    static let poisoned: UInt8 = 2
    /// The first row's currency was valid.
    static let currencyKnown: UInt8 = 4
    /// The order's rows are not all adjacent, so its lines are in several runs.
    static let split: UInt8 = 8

    var status: OrderStatus { flags & Self.cancelled != 0 ? .cancelled : .placed }
    var isPoisoned: Bool { flags & Self.poisoned != 0 }
    var isCurrencyKnown: Bool { flags & Self.currencyKnown != 0 }
    var isSplit: Bool { flags & Self.split != 0 }
}

/// One line of a canonical file while it is read (see `OrderRecord`).
struct LineRecord {
    var price: Int64
    /// Id in `OrderFileParser.products`.
    var product: Int32
    /// Id in `OrderFileParser.productNames`, -1 for none.
    var name: Int32
    var quantity: Int32
    var returned: Int32
}
