extension AudienceFilter {
    /// Which customers match as of the context's date: a mask over the snapshot's dense customer ids
    /// (`mask[c]`), false for everyone without an order up to that date. Other reports take this mask to
    /// restrict themselves to an audience. RFM scores and reminder due dates are computed here when the
    /// filter needs them; predicted values must be in the context (see `usesPredictions`).
    public func customers(in context: AudienceContext) -> [Bool] {
        var ctx = context
        if ctx.rfm == nil && fieldNames.contains(where: AudienceField.rfmFields.contains) {
            ctx.rfm = RFM.compute(snapshot: ctx.snapshot, asOf: ctx.asOf, currency: ctx.currency)
        }
        if ctx.reminderDue == nil && fieldNames.contains(where: AudienceField.reminderFields.contains) {
            let calendar = ctx.calendar ?? ShopCalendar(identifier: ctx.snapshot.timeZone) ?? .utc
            ctx.reminderDue = AudienceContext.nextReminderDue(snapshot: ctx.snapshot, asOf: ctx.asOf, calendar: calendar)
        }
        var mask = evaluate(root, ctx)
        for c in 0..<mask.count where mask[c] && !ctx.isCustomer(c) { mask[c] = false }
        return mask
    }

    /// The mask of `node` (unrestricted: callers AND it with "is a customer").
    func evaluate(_ node: Node, _ ctx: AudienceContext) -> [Bool] {
        switch node {
        case .and(let a, let b):
            var x = evaluate(a, ctx)
            let y = evaluate(b, ctx)
            for i in x.indices { x[i] = x[i] && y[i] }
            return x
        case .or(let a, let b):
            var x = evaluate(a, ctx)
            let y = evaluate(b, ctx)
            for i in x.indices { x[i] = x[i] || y[i] }
            return x
        case .not(let a):
            var x = evaluate(a, ctx)
            for i in x.indices { x[i] = !x[i] }
            return x
        case .condition(let condition):
            return evaluate(condition, ctx)
        }
    }

    /// The mask of one condition; a customer without a value for the field (no country, not a customer
    /// yet) matches no test (so `!=`, being `not =`, matches them).
    func evaluate(_ condition: Condition, _ ctx: AudienceContext) -> [Bool] {
        let n = ctx.snapshot.customerCount
        var mask = [Bool](repeating: false, count: n)
        let field = AudienceField.all[condition.field]
        func fill(_ test: (Int) -> Bool) {
            for c in 0..<n where ctx.isCustomer(c) { mask[c] = test(c) }
        }
        let asOf = ctx.asOf
        switch (field.kind, condition.test) {
        case (.count(let read), .compareNumber(let op, let v)):
            fill { c in read(ctx, c).map { op.holds(v.compare($0, digits: 0), 0) } ?? false }
        case (.count(let read), .numberBetween(let a, let b)):
            fill { c in read(ctx, c).map { Self.between($0, 0, a, b) } ?? false }
        case (.money(let read), .compareNumber(let op, let v)):
            let digits = ctx.currency.minorDigits
            fill { c in read(ctx, c).map { op.holds(v.compare($0, digits: digits), 0) } ?? false }
        case (.money(let read), .numberBetween(let a, let b)):
            let digits = ctx.currency.minorDigits
            fill { c in read(ctx, c).map { Self.between($0, digits, a, b) } ?? false }
        case (.number(let read), .compareNumber(let op, let v)):
            let x = v.double
            fill { c in read(ctx, c).map { op.holds($0, x) } ?? false }
        case (.number(let read), .numberBetween(let a, let b)):
            let lo = min(a.double, b.double), hi = max(a.double, b.double)
            fill { c in read(ctx, c).map { $0 >= lo && $0 <= hi } ?? false }
        case (.date(let read), .compareDate(let op, let v)):
            let day = v.resolve(asOf: asOf)
            fill { c in read(ctx, c).map { op.holds($0, day) } ?? false }
        case (.date(let read), .dateBetween(let a, let b)):
            let x = a.resolve(asOf: asOf), y = b.resolve(asOf: asOf)
            let lo = min(x, y), hi = max(x, y)
            fill { c in read(ctx, c).map { $0 >= lo && $0 <= hi } ?? false }
        case (.date(let read), .within(let v)) where field.looksAhead:
            // From the as-of day up to, not including, the day the duration after it (as report due --within).
            let from = asOf.dayNumber, until = v.resolveAhead(asOf: asOf)
            fill { c in read(ctx, c).map { $0 >= from && $0 < until } ?? false }
        case (.date(let read), .within(let v)):
            let since = v.resolve(asOf: asOf)
            fill { c in read(ctx, c).map { $0 >= since } ?? false }
        case (.category(_, let read), .category(let set)):
            fill { c in read(ctx, c).map { set.contains($0) } ?? false }
        case (.text(let read), .textIn(let values)):
            fill { c in read(ctx, c).map { values.contains($0.lowercased()) } ?? false }
        case (.text(let read), .contains(let s)):
            fill { c in read(ctx, c).map { $0.lowercased().contains(s) } ?? false }
        case (.text(let read), .startsWith(let s)):
            fill { c in read(ctx, c).map { $0.lowercased().hasPrefix(s) } ?? false }
        case (.text(let read), .endsWith(let s)):
            fill { c in read(ctx, c).map { $0.lowercased().hasSuffix(s) } ?? false }
        case (.product, .bought(let id)):
            mask = ctx.buyers(of: id)
        default:
            preconditionFailure("the parser never pairs field \(field.name) with this test")
        }
        return mask
    }

    /// Whether `units × 10^−digits` lies between `a` and `b` (both included, either order).
    static func between(_ units: Int64, _ digits: Int, _ a: DecimalValue, _ b: DecimalValue) -> Bool {
        let ca = a.compare(units, digits: digits), cb = b.compare(units, digits: digits)
        return (ca >= 0 && cb <= 0) || (cb >= 0 && ca <= 0)
    }
}
