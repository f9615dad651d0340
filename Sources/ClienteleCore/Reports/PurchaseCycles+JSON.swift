extension PurchaseCycles {
    /// The report as JSON text (METRICS.md, "Purchase cycles"): per product the gaps, the median in days and
    /// the reminder offset in days.
    public func json() -> String { jsonValue.rendered() }

    /// The report as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        .object([
            ("asOf", .string(asOf.description)),
            ("timeZone", .string(timeZone)),
            ("minGaps", .int(minGaps)),
            ("productsWithGaps", .int(productsWithGaps)),
            ("products", .array(products.map { p in
                .object([
                    ("rank", .int(p.rank)),
                    ("productId", .string(p.productId)),
                    ("name", .string(p.name)),
                    ("gaps", .int(p.gaps)),
                    ("customers", .int(p.customers)),
                    ("medianDays", .double(p.medianDays)),
                    ("reminderAfterDays", .double(p.reminderAfterDays)),
                ])
            })),
        ])
    }
}

extension DueReminders {
    /// The reminder list as JSON text: the window and one entry per customer and product due.
    public func json() -> String { jsonValue.rendered() }

    /// The reminder list as an ordered JSON value (the shape `json()` writes).
    public var jsonValue: JSONValue {
        .object([
            ("asOf", .string(asOf.description)),
            ("withinDays", .int(withinDays)),
            ("window", .object([("from", .string(asOf.description)), ("to", .string(lastDay.description))])),
            ("timeZone", .string(timeZone)),
            ("minGaps", .int(cycles.minGaps)),
            ("reminders", .array(reminders.map { r in
                .object([
                    ("customer", .string(r.customer)),
                    ("email", .string(r.email)),
                    ("productId", .string(r.productId)),
                    ("productName", .string(r.productName)),
                    ("lastOrderId", .string(r.lastOrderId)),
                    ("lastPurchase", .string(r.lastPurchaseText)),
                    ("purchases", .int(r.purchases)),
                    ("cycleDays", .double(r.cycleDays)),
                    ("reminderAfterDays", .double(r.reminderAfterDays)),
                    ("dueDate", .string(r.dueDate.description)),
                ])
            })),
        ])
    }
}
