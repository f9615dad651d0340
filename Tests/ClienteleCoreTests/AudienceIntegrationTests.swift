import Testing
@testable import ClienteleCore

/// Predicted values written out by hand for `AudienceFixture` as of day 400 (erin is no customer yet):
///
/// | customer | group    | P(alive) | expected purchases | predicted CLV | next order |
/// |----------|----------|----------|--------------------|---------------|------------|
/// | alice    | loyal    | 0.9      | 1.2                | 2 000.00      | day 410    |
/// | bob      | one-time | 1.0      | 0.3                | –             | day 500    |
/// | carol    | loyal    | 0.05     | 0.01               | 5.00          | –          |
/// | dave     | one-time | 1.0      | 0.5                | 100.00        | day 430    |
enum PredictedFixture {
    typealias F = LifecycleFixture

    static let values: PredictedValues = {
        let s = AudienceFixture.snapshot
        var v = PredictedValues(asOf: F.day(400), customerCount: s.customerCount)
        func set(_ key: String, _ alive: Double, _ purchases: Double, _ clv: Int64?, _ next: Int?) {
            v.set(customer: s.customer(withKey: key)!, probabilityAlive: alive, expectedPurchases: purchases,
                  clvMinorUnits: clv, nextOrder: next.map(F.day))
        }
        set("alice", 0.9, 1.2, 200_000, 410)
        set("bob", 1.0, 0.3, nil, 500)
        set("carol", 0.05, 0.01, 500, nil)
        set("dave", 1.0, 0.5, 10_000, 430)
        return v
    }()

    static var context: AudienceContext {
        var ctx = AudienceFixture.context
        ctx.predictions = values
        return ctx
    }

    /// The keys of the customers `filter` selects with the predicted values, in key order.
    static func select(_ filter: String, in ctx: AudienceContext = context) throws -> [String] {
        let mask = try AudienceFilter(filter).customers(in: ctx)
        return (0..<ctx.snapshot.customerCount).filter { mask[$0] }.map { ctx.snapshot.customerKey($0) }
    }
}

/// A shop with a purchase cycle, UTC, every order at noon:
/// - ann buys C on days 0, 30, 60, 90, 120 (four gaps of 30 days); ben buys C on days 100 and 130 (one gap
///   of 30); dan buys C on day 125; eve buys X (no cycle) on day 140.
/// C has 5 gaps, median 30 days, so its reminder comes max(30 − 7, 30 ÷ 2) = 23 days after the last
/// purchase: ann on day 143, dan on day 148, ben on day 153.
enum ReminderFixture {
    typealias F = LifecycleFixture

    static let snapshot: ShopSnapshot = F.snapshot(
        F.orders("ann", [0, 30, 60, 90, 120], product: "C")
        + F.orders("ben", [100, 130], product: "C")
        + F.orders("dan", [125], product: "C")
        + F.orders("eve", [140], product: "X"))

    static func context(asOf: Int) -> AudienceContext {
        var ctx = AudienceContext(snapshot: snapshot, asOf: F.day(asOf), thresholds: .init(), currency: F.dkk)
        ctx.calendar = .utc
        return ctx
    }

    static func select(_ filter: String, asOf: Int) throws -> [String] {
        let mask = try AudienceFilter(filter).customers(in: context(asOf: asOf))
        return (0..<snapshot.customerCount).filter { mask[$0] }.map { snapshot.customerKey($0) }
    }
}

@Suite("Audiences joined with predictions, reminders and groups")
struct AudienceIntegrationTests {
    typealias F = LifecycleFixture

    @Test("predicted fields select the customers worked out by hand", arguments: [
        ("p_alive >= 0.9", ["alice", "bob", "dave"]),
        ("p_alive < 0.5", ["carol"]),
        ("p_alive between 0.05 and 0.9", ["alice", "carol"]),
        // 99.99 < 100.00 (dave) and 2 000.00 (alice); bob has no CLV (no spend model for him).
        ("predicted_clv > 99.99", ["alice", "dave"]),
        ("clv between 5 and 100", ["carol", "dave"]),
        ("predicted_clv > 100", ["alice"]),
        ("expected_purchases >= 0.5", ["alice", "dave"]),
        // next_order within 30d: days 400 … 429; dave's day 430 is the first day after the window.
        ("next_order within 30d", ["alice"]),
        ("next_order within 31d", ["alice", "dave"]),
        ("next_order before 60d from now", ["alice", "dave"]),
        ("next_order >= 100d from now", ["bob"]),
        // carol has no next order date: `not` includes her.
        ("not next_order within 30d", ["bob", "carol", "dave"]),
        ("p_alive > 0.5 and predicted_clv >= 2000", ["alice"]),
    ])
    func predicted(filter: String, expected: [String]) throws {
        #expect(try PredictedFixture.select(filter) == expected, "\(filter)")
        #expect(try AudienceFilter(filter).usesPredictions)
    }

    @Test("without predictions a predicted field has no value and the filter says it needs them")
    func noPredictions() throws {
        #expect(try PredictedFixture.select("p_alive >= 0", in: AudienceFixture.context) == [])
        #expect(try PredictedFixture.select("not p_alive >= 0", in: AudienceFixture.context) == ["alice", "bob", "carol", "dave"])
        #expect(try !AudienceFilter("orders > 1 and rfm = champions").usesPredictions)
        #expect(try AudienceFilter("orders > 1 or next_order within 7d").usesPredictions)
        #expect(AudienceField.all.filter { AudienceField.predictionFields.contains($0.name) }.count == 4)
    }

    @Test("dates after the as-of date: N from now, and its parse error")
    func fromNow() throws {
        // Every first order (days 0–395) is before 1d from now (day 401); none on or after day 400.
        #expect(try AudienceFixture.select("first_order < 1d from now") == ["alice", "bob", "carol", "dave"])
        #expect(try AudienceFixture.select("first_order >= 0d from today") == [])
        do {
            _ = try AudienceFilter("next_order < 30d from tomorrow")
            Issue.record("no error")
        } catch {
            #expect(error.location == "filter:1:23: expected \"now\" after \"from\" (30d from now: a time after the as-of date), found \"tomorrow\"")
        }
    }

    @Test("reminder_due within N: the window [as-of, as-of + N) of report due", arguments: [
        (140, "reminder_due within 7d", ["ann"]),          // 140 … 146: ann 143
        (140, "reminder_due within 9d", ["ann", "dan"]),   // 140 … 148: + dan 148
        (140, "reminder_due within 13d", ["ann", "dan"]),  // 140 … 152: ben's 153 is after
        (140, "reminder_due within 2w", ["ann", "ben", "dan"]),
        (144, "reminder_due within 7d", ["dan"]),          // ann's 143 fell due before the as-of date
        (143, "reminder_due within 1d", ["ann"]),
        (140, "reminder_due = 2024-05-23", ["ann"]),       // day 143 (2024 is a leap year)
        (140, "not reminder_due within 7d", ["ben", "dan", "eve"]),
    ])
    func reminders(asOf: Int, filter: String, expected: [String]) throws {
        #expect(try ReminderFixture.select(filter, asOf: asOf) == expected, "\(filter) as of day \(asOf)")
    }

    @Test("reminder_due within N selects exactly the customers report due lists for N days", arguments: [1, 3, 7, 9, 14, 30])
    func reminderMatchesDueReport(days: Int) throws {
        let s = ReminderFixture.snapshot
        for asOf in [120, 130, 140, 144, 150] {
            let due = DueReminders.compute(snapshot: s, asOf: F.day(asOf), withinDays: days, calendar: .utc)
            let listed = Set(due.reminders.map(\.customer)).sorted()
            #expect(try ReminderFixture.select("reminder_due within \(days)d", asOf: asOf) == listed, "day \(asOf), \(days)d")
        }
    }

    @Test("built-in set version 2 adds due-for-reminder and keeps the version-1 set")
    func builtIns() throws {
        #expect(BuiltInAudience.currentVersion == 2)
        #expect(BuiltInAudience.all.filter { $0.version == 1 }.map(\.name) == ["one-time-buyers-follow-up", "loyal-slipping-away", "lost-vips"])
        let v2 = BuiltInAudience.all.filter { $0.version == 2 }
        #expect(v2.map(\.name) == ["due-for-reminder"])
        #expect(Set(BuiltInAudience.all.map(\.name)).count == BuiltInAudience.all.count)
        #expect(BuiltInAudience.all.allSatisfy { $0.version >= 1 && $0.version <= BuiltInAudience.currentVersion })
        #expect(try ReminderFixture.select(v2[0].filter, asOf: 140) == ["ann"])
        #expect(try !AudienceFilter(v2[0].filter).usesPredictions)
    }

    // Groups as of day 400: loyal = alice, carol; one-time = bob, dave (AudienceFixture).
    // Loyal: 1 − (0.9 + 0.05) ÷ 2 = 0.525; one-time: 1 − (1 + 1) ÷ 2 = 0; all: 1 − 2.95 ÷ 4 = 0.2625.
    @Test("groups: the model lost % is 1 − the group's mean P(alive)")
    func groupsModelLost() {
        let s = AudienceFixture.snapshot
        let r = GroupsReport.compute(snapshot: s, asOf: F.day(400), thresholds: .init(), currency: F.dkk, timeZone: "UTC",
                                     predicted: PredictedFixture.values)
        #expect(r.usesModel)
        #expect(r.figures(.loyal).modelLostShare!.isClose(to: 0.525))
        #expect(r.figures(.oneTime).modelLostShare == 0)
        #expect(r.figures(.frequent).modelLostShare == nil && r.figures(.vip).modelLostShare == nil)
        #expect(r.all.modelLostShare!.isClose(to: 0.2625))
        // The stage-based lost % is unchanged: carol is lost, 1 of 2 loyal.
        #expect(r.figures(.loyal).lostShare == 0.5)
        #expect(r.json().contains("\"lostShare\": 0.5,\n      \"modelLostShare\": 0.52"))
        #expect(r.table(shopName: "S", locale: "en").contains("Lost (model)"))
        #expect(r.csv().hasPrefix("group,customers,share,lifetime_value,average_orders,average_basket_size,annual_orders,annual_revenue,lost_share,model_lost_share\r\n"))
        // CSV: the stage lost share (one-time 0, all 1 of 4) then the model one.
        let rows = r.csv().split(separator: "\r\n")
        #expect(rows[1].hasPrefix("one-time,2,0.5,") && rows[1].hasSuffix(",0.0"))
        #expect(rows[5].hasPrefix("all,4,") && rows[5].hasSuffix(",0.25,\(r.all.modelLostShare!)"))

        let plain = GroupsReport.compute(snapshot: s, asOf: F.day(400), thresholds: .init(), currency: F.dkk, timeZone: "UTC")
        #expect(!plain.usesModel && plain.all.modelLostShare == nil)
        #expect(plain.json().contains("\"modelLostShare\": null"))
        #expect(!plain.table(shopName: "S", locale: "en").contains("Lost (model)"))
        #expect(plain.csv().split(separator: "\r\n")[1].hasSuffix(","))
    }
}
