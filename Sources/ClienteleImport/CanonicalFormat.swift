import ClienteleCore

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
        var orders: [Order] = []
        orders.reserveCapacity(estimatedLines * 2 / 3)
        var metas: [OrderMeta] = []
        metas.reserveCapacity(estimatedLines * 2 / 3)
        var orderIndexer = OrderIndex()
        var keys: [Int32] = []
        keys.reserveCapacity(estimatedLines * 2 / 3)
        var lineCount = 0
        var dataRows = 0
        var lastReported = 0
        /// The order the previous record belonged to: complete (and sent) when a record of another order comes.
        var current = -1

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
            let currency = readCurrency(currencyBytes, column: "currency")
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
            // Customer id and e-mail are compared as bytes with the order's first row (kept in the buffer);
            // only a new order looks its customer key up.
            let customerBytes = scanner.field(cCustomer).trimmed()
            let emailBytes = scanner.field(cEmail).trimmed()
            let countryBytes = scanner.field(cCountry).trimmed()
            let country = readCountry(countryBytes, column: "country")
            if country == nil { bad = true }

            let (orderIndex, isNew) = orderIndexer.lookupOrInsert(idBytes, orders: orders)
            var sameCustomer = true, sameEmail = true
            if !isNew {
                let meta = metas[orderIndex]
                sameCustomer = Self.equal(customerBytes, scanner.base, meta.customerStart, meta.customerCount)
                sameEmail = Self.equal(emailBytes, scanner.base, meta.emailStart, meta.emailCount)
            }
            if orderIndex != current {
                if current >= 0 && emitter != nil { emitOrder(orders, current) }
                current = orderIndex
            }
            if isNew {
                let c = currency ?? Currency(code: "EUR")!
                let key = customerKey(customer: customerBytes, email: emailBytes)
                orders.append(Order(id: idBytes.string, placedAt: Instant(seconds: placed?.0 ?? 0),
                                    customerId: customerBytes.isEmpty ? nil : customerKeys[key],
                                    email: emailBytes.isEmpty ? nil : emailBytes.string,
                                    status: status, currency: c, total: total ?? 0, refunded: refunded ?? 0,
                                    country: country ?? nil, lines: []))
                metas.append(OrderMeta(firstLine: Int32(truncatingIfNeeded: line), offset: placed?.1 ?? 0,
                                       customerStart: Self.offset(customerBytes, scanner.base),
                                       customerCount: Int32(truncatingIfNeeded: customerBytes.count),
                                       emailStart: Self.offset(emailBytes, scanner.base),
                                       emailCount: Int32(truncatingIfNeeded: emailBytes.count),
                                       poisoned: bad, currencyKnown: currency != nil))
                keys.append(key)
                if let total, let currency { addOrderTotal(total, currency: currency, column: "order_total", text: totalText) }
            } else if !bad && !metas[orderIndex].poisoned && !sameOrderFields(orders, orderIndex, placed: placed?.0,
                                                                                sameCustomer: sameCustomer, sameEmail: sameEmail, status: status,
                                                                                currency: currency, total: total, refunded: refunded,
                                                                                country: country ?? nil) {
                let first = orders[orderIndex]
                let meta = metas[orderIndex]
                let id = orders[orderIndex].id
                let firstLine = Int(meta.firstLine)
                if let placed, placed.0 != first.placedAt.seconds {
                    disagree("placed_at", scanner.field(cPlaced).trimmed().string, id, firstLine,
                             first.placedAt.iso8601(offsetSeconds: Int(meta.offset)))
                }
                if !sameCustomer {
                    disagree("customer_id", scanner.field(cCustomer).trimmed().string, id, firstLine, first.customerId ?? "")
                }
                if !sameEmail && !Self.sameIgnoringCase(emailBytes, scanner.base, meta.emailStart, meta.emailCount) {
                    disagree("email", scanner.field(cEmail).trimmed().string, id, firstLine, first.email ?? "")
                }
                if status != first.status {
                    disagree("status", statusBytes.string, id, firstLine, first.status.rawValue)
                }
                if let currency, currency != first.currency {
                    disagree("currency", currencyBytes.string, id, firstLine, first.currency.code)
                } else {
                    let digits = first.currency.minorDigits
                    if let total, total != first.total {
                        disagree("order_total", totalText.string, id, firstLine, Money.decimalString(first.total, digits: digits))
                    }
                    if let refunded, refunded != first.refunded {
                        disagree("refunded", refundedBytes.string, id, firstLine, Money.decimalString(first.refunded, digits: digits))
                    }
                }
                if let country, country != first.country {
                    disagree("country", countryBytes.string, id, firstLine, first.country ?? "")
                }
            }

            // Line-level fields.
            let lineCurrency = currency ?? (metas[orderIndex].currencyKnown ? orders[orderIndex].currency : nil)
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
            let name = nameBytes.isEmpty ? "" : productNames.string(nameBytes)
            if product >= 0, let quantity, let returned, let price {
                orders[orderIndex].lines.append(OrderLine(productId: products[product], productName: name, quantity: quantity,
                                                          unitPrice: price, returnedQuantity: returned))
                lineCount += 1
            }
        }
        if current >= 0 && emitter != nil { emitOrder(orders, current) }
        if dataRows == 0 {
            failFile(.noOrders, "no orders: the file has a header but no data rows")
            return nil
        }
        if metas.contains(where: { !$0.currencyKnown }) {
            // Orders whose currency could not be read were reported; keep them out of the currency checks.
            var kept: [Order] = []
            var keptKeys: [Int32] = []
            for i in orders.indices where metas[i].currencyKnown {
                kept.append(orders[i])
                keptKeys.append(keys[i])
            }
            orders = kept
            keys = keptKeys
        }
        return FileOrders(format: .canonical, orders: orders, lines: lineCount, unknownColumns: unknown, keys: keys,
                          sent: true)
    }

    /// Sends `orders[i]` to the emitter while there is no error (after the first error nothing more is sent).
    @inline(__always)
    private mutating func emitOrder(_ orders: [Order], _ i: Int) {
        if errors.isEmpty {
            emitter!.emit(orders[i])
        } else {
            emitter!.stop()
        }
    }

    /// Whether a line's order-level fields equal the order's first line (the common case, checked fast).
    @inline(__always)
    private func sameOrderFields(_ orders: [Order], _ i: Int, placed: Int64?, sameCustomer: Bool, sameEmail: Bool,
                                 status: OrderStatus, currency: Currency?, total: Int64?, refunded: Int64?, country: String?) -> Bool {
        orders.withUnsafeBufferPointer { o in
            placed == o[i].placedAt.seconds && sameCustomer && sameEmail && status == o[i].status
                && total == o[i].total && refunded == o[i].refunded && currency?.code == o[i].currency.code
                && country == o[i].country
        }
    }

    /// Where `b` starts in the buffer at `base` (0 for an empty field).
    @inline(__always)
    private static func offset(_ b: UnsafeBufferPointer<UInt8>, _ base: UnsafeMutablePointer<UInt8>) -> Int {
        guard let p = b.baseAddress, !b.isEmpty else { return 0 }
        return UnsafePointer(base).distance(to: p)
    }

    /// Whether `b` equals the `count` bytes at `start` in the buffer at `base`.
    @inline(__always)
    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ base: UnsafeMutablePointer<UInt8>, _ start: Int,
                              _ count: Int32) -> Bool {
        guard b.count == Int(count) else { return false }
        guard count > 0 else { return true }
        return memoryEqual(b.baseAddress!, UnsafePointer(base + start), b.count)
    }

    /// Whether two non-empty e-mails are equal after lower-casing (`String.lowercased`).
    private static func sameIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ base: UnsafeMutablePointer<UInt8>,
                                         _ start: Int, _ count: Int32) -> Bool {
        guard !b.isEmpty, count > 0 else { return false }
        let first = UnsafeBufferPointer(start: UnsafePointer(base + start), count: Int(count))
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
