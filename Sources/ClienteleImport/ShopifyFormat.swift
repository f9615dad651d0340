import ClienteleCore

/// The columns of Shopify's orders export that are read (matched by name, case-insensitive).
enum ShopifyColumns {
    /// Columns that must be present, as Shopify writes them.
    static let required = ["Name", "Created at", "Currency", "Total", "Lineitem quantity", "Lineitem price"]
    /// Columns used when present.
    static let optional = ["Email", "Financial Status", "Refunded Amount", "Cancelled at", "Billing Country",
                           "Lineitem name", "Lineitem sku", "Id"]
}

extension OrderFileParser {
    /// Reads a Shopify orders export: one row per line item, rows grouped by `Name`; only an order's first row
    /// carries the order-level fields. Identity is the e-mail (there is no customer id); an order is cancelled
    /// when `Cancelled at` is set; refunds are order-level (`Refunded Amount`) and returned quantities are 0;
    /// the product id is `Lineitem sku`, or the line item's name when the SKU is empty. A leading `'` (Excel's
    /// guard) is removed from every field read. Columns not read are not reported as unknown (an export has
    /// about 75 of them).
    mutating func parseShopify(_ scanner: inout CSVScanner, header: [String], columns: ColumnMap, totalBytes: Int) -> FileOrders? {
        guard requireColumns(ShopifyColumns.required.map { $0.lowercased() }, display: ShopifyColumns.required, in: columns) else {
            return nil
        }
        let cName = columns["name"], cCreated = columns["created at"], cCurrency = columns["currency"]
        let cTotal = columns["total"], cQuantity = columns["lineitem quantity"], cPrice = columns["lineitem price"]
        let cEmail = columns["email"], cRefunded = columns["refunded amount"], cCancelled = columns["cancelled at"]
        let cCountry = columns["billing country"], cItemName = columns["lineitem name"], cSku = columns["lineitem sku"]
        let headerCount = header.count

        var orders: [Order] = []
        var known: [Bool] = []  // whether the order's currency is known
        var keys: [Int32] = []
        var orderIndexer = OrderIndex()
        var lineCount = 0
        var dataRows = 0
        var lastReported = 0

        @inline(__always)
        func value(_ scanner: CSVScanner, _ i: Int) -> UnsafeBufferPointer<UInt8> {
            let b = scanner.field(i).trimmed()
            if let p = b.baseAddress, b.count > 0, p[0] == 0x27 {
                return UnsafeBufferPointer(rebasing: b[1...]).trimmed()
            }
            return b
        }

        while scanner.nextRecord() {
            reportProgress(&scanner, lastReported: &lastReported)
            guard acceptRecord(&scanner, headerCount: headerCount) else {
                if case .unterminatedQuote = scanner.problem { break }
                if scanner.problem != nil || scanner.fieldCount != 1 || !scanner.field(0).trimmed().isEmpty { dataRows += 1 }
                continue
            }
            let nameBytes = value(scanner, cName)
            if nameBytes.isEmpty {
                if isBlankRecord(scanner) { continue }
                dataRows += 1
                fail(.emptyField, column: "Name", "Name is empty")
                continue
            }
            dataRows += 1
            let (index, isNew) = orderIndexer.lookupOrInsert(nameBytes, orders: orders)
            if isNew {
                let placed = readTimestamp(value(scanner, cCreated), column: "Created at")
                let currency = readCurrency(value(scanner, cCurrency), column: "Currency")
                var total: Int64? = nil
                var refunded: Int64? = nil
                if let currency {
                    let totalText = value(scanner, cTotal)
                    let refundedText = value(scanner, cRefunded)
                    total = readAmount(totalText, column: "Total", currency: currency, required: true)
                    refunded = readAmount(refundedText, column: "Refunded Amount", currency: currency, required: false)
                    if let t = total, let r = refunded, r > t {
                        fail(.invalidAmount, column: "Refunded Amount", value: refundedText.string,
                             "Refunded Amount \(quoted(refundedText.string)) is more than Total \(quoted(totalText.string))")
                    }
                    if let total { addOrderTotal(total, currency: currency, column: "Total", text: totalText) }
                }
                let emailBytes = value(scanner, cEmail)
                let emailId = OrderFileParser.internOptional(emailBytes, &emails)
                let email: String? = emailId < 0 ? nil : emails[emailId]
                let country = readCountry(value(scanner, cCountry), column: "Billing Country")
                let cancelled = !value(scanner, cCancelled).isEmpty
                orders.append(Order(id: nameBytes.string, placedAt: Instant(seconds: placed?.0 ?? 0), customerId: nil,
                                    email: email, status: cancelled ? .cancelled : .placed,
                                    currency: currency ?? Currency(code: "EUR")!, total: total ?? 0, refunded: refunded ?? 0,
                                    country: country ?? nil, lines: []))
                known.append(currency != nil)
                keys.append(customerKey(customerId: -1, email: emailId))
            }

            let skuBytes = value(scanner, cSku)
            let itemNameBytes = value(scanner, cItemName)
            var product: Int32 = -1
            if !skuBytes.isEmpty {
                product = products.intern(skuBytes)
            } else if !itemNameBytes.isEmpty {
                product = products.intern(itemNameBytes)
            } else {
                fail(.emptyField, column: "Lineitem sku", "Lineitem sku and Lineitem name are both empty")
            }
            let quantity = readQuantity(value(scanner, cQuantity), column: "Lineitem quantity", minimum: 1, required: true)
            var price: Int64? = nil
            if known[index] {
                price = readAmount(value(scanner, cPrice), column: "Lineitem price", currency: orders[index].currency, required: true)
                if let quantity, let price {
                    addLineAmount(quantity: quantity, price: price, currency: orders[index].currency,
                                  quantityColumn: "Lineitem quantity", priceColumn: "Lineitem price",
                                  quantityText: value(scanner, cQuantity), priceText: value(scanner, cPrice))
                }
            }
            let itemName = itemNameBytes.isEmpty ? "" : productNames.string(itemNameBytes)
            if product >= 0, let quantity, let price {
                orders[index].lines.append(OrderLine(productId: products[product], productName: itemName,
                                                     quantity: quantity, unitPrice: price, returnedQuantity: 0))
                lineCount += 1
            }
        }
        if dataRows == 0 {
            failFile(.noOrders, "no orders: the file has a header but no data rows")
            return nil
        }
        if known.contains(false) {
            // Orders whose currency could not be read were reported; keep them out of the currency checks.
            var kept: [Order] = []
            var keptKeys: [Int32] = []
            for i in orders.indices where known[i] {
                kept.append(orders[i])
                keptKeys.append(keys[i])
            }
            orders = kept
            keys = keptKeys
        }
        return FileOrders(format: .shopify, orders: orders, lines: lineCount, unknownColumns: [], keys: keys)
    }
}
