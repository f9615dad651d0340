extension AudienceContext {
    /// The least number of gaps a product's cycle needs for `reminder_due` (the default of `clientele report due`).
    public static let reminderMinGaps = 4

    /// Per customer, the day number of the earliest purchase-cycle reminder due on or after `asOf`
    /// (`Int32.max`: none), by the rule of `DueReminders` (METRICS.md, "Purchase cycles"): a customer is due
    /// within N days exactly when `clientele report due --within Nd` lists them. A reminder that fell due
    /// before `asOf` belonged to an earlier window and does not count.
    public static func nextReminderDue(snapshot s: ShopSnapshot, asOf: ShopDate, calendar: ShopCalendar,
                                       minGaps: Int = reminderMinGaps) -> ContiguousArray<Int32> {
        // A window of a century holds every reminder still to come: a due date is a purchase up to `asOf`
        // plus a cycle no longer than the shop's history.
        let due = DueReminders.compute(snapshot: s, asOf: asOf, withinDays: 36_525, calendar: calendar, minGaps: minGaps)
        var out = ContiguousArray<Int32>(repeating: .max, count: s.customerCount)
        for r in due.reminders {
            guard let c = s.customer(withKey: r.customer) else { continue }
            out[c] = min(out[c], Int32(clamping: r.dueDate.dayNumber))
        }
        return out
    }
}
