extension PurchaseCycles {
    /// The cycles for a terminal (METRICS.md, "Purchase cycles"): days with one decimal in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        var out: [String] = []
        out.append("Purchase cycles — " + TextTable.printable(shopName))
        out.append("Identified orders up to \(asOf) · \(timeZone) · products with ≥ \(minGaps) gaps (\(f.integer(products.count)) of \(f.integer(productsWithGaps)) with any)")
        out.append("")
        if products.isEmpty {
            out.append("No product has been bought again by the same customer \(minGaps) or more times.")
            return out.joined(separator: "\n") + "\n"
        }
        var t = TextTable([("#", .right), ("Product", .left), ("Name", .left), ("Gaps", .right), ("Customers", .right),
                           ("Cycle (median days)", .right), ("Remind after (days)", .right)])
        for p in products {
            t.add(String(p.rank), p.productId, p.name, f.integer(p.gaps), f.integer(p.customers),
                  f.decimal(p.medianDays, digits: 1), f.decimal(p.reminderAfterDays, digits: 1))
        }
        out += t.lines(colour: false)
        out.append("")
        out.append("Cycle = median days between a customer's consecutive orders with the product; reminder = max(cycle − 7, cycle ÷ 2).")
        return out.joined(separator: "\n") + "\n"
    }

    /// The cycles as CSV; CRLF line ends.
    public func csv() -> String {
        var out = "rank,product_id,name,gaps,customers,median_days,reminder_after_days\r\n"
        for p in products {
            let fields = [String(p.rank), p.productId, p.name, String(p.gaps), String(p.customers),
                          String(p.medianDays), String(p.reminderAfterDays)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}

extension DueReminders {
    /// The reminder list for a terminal.
    public func table(shopName: String, locale: String) -> String {
        let f = LocaleNumbers(locale: locale)
        var out: [String] = []
        out.append("Reminders due — " + TextTable.printable(shopName))
        out.append("Due \(asOf) – \(lastDay) (\(withinDays) days) · orders up to \(asOf) · \(timeZone) · \(cycles.products.count) products with a cycle")
        out.append("")
        if reminders.isEmpty {
            out.append("No customer is due for a reminder in this window.")
            return out.joined(separator: "\n") + "\n"
        }
        var t = TextTable([("Due", .left), ("Customer", .left), ("E-mail", .left), ("Product", .left), ("Name", .left),
                           ("Last purchase", .left), ("Purchases", .right), ("Cycle (days)", .right)])
        for r in reminders {
            t.add(r.dueDate.description, r.customer, r.email ?? "–", r.productId, r.productName,
                  CustomerStatistics.localMinute(r.lastPurchase, r.lastPurchaseUTCOffset), f.integer(r.purchases),
                  f.decimal(r.cycleDays, digits: 1))
        }
        out += t.lines(colour: false)
        out.append("")
        out.append("\(f.integer(reminders.count)) reminders for \(f.integer(Set(reminders.map(\.customer)).count)) customers. Export: --format csv")
        return out.joined(separator: "\n") + "\n"
    }

    /// The reminder list as CSV for an e-mail tool; CRLF line ends, timestamps with the shop's offset.
    public func csv() -> String {
        var out = "customer,email,product_id,product_name,last_order_id,last_purchase,due_date,purchases,cycle_days,reminder_after_days\r\n"
        for r in reminders {
            let fields = [r.customer, r.email ?? "", r.productId, r.productName, r.lastOrderId, r.lastPurchaseText,
                          r.dueDate.description, String(r.purchases), String(r.cycleDays), String(r.reminderAfterDays)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
