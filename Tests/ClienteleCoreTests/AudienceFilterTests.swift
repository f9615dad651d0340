import Testing
@testable import ClienteleCore

/// Four customers as of day 400 (2025-02-04), plus one whose only order is after it:
/// - alice (alice@gmail.com, DK): days 100, 200, 300, 500.00 each, P1 × 1 → 3 orders, 1 500.00, loyal
///   (3 × 365.25 < 4 × 300), usual interval 100, 100 days since → active.
/// - bob (bob@firma.dk, SE): day 350, 1 200.00, P00042 × 2 → one-time; shop median first-to-second gap
///   (alice 100, carol 10) = 55, 50 days since → active.
/// - carol (carol@gmail.com, no country): days 0, 10, 50.00 each, P2 × 1 → loyal, u 10, 390 since → lost.
/// - dave (Dave@X.com, NO): day 395, 10.00, P1 × 1 → one-time, new.
/// - erin: day 500 only → not a customer as of day 400.
/// Four customers leave no VIP slot (⌊0.1 × 4⌋ = 0).
enum AudienceFixture {
    typealias F = LifecycleFixture

    static let snapshot: ShopSnapshot = F.snapshot(
        F.orders("alice", [100, 200, 300], total: 50_000, product: "P1", country: "DK", email: "alice@gmail.com")
        + F.orders("bob", [350], total: 120_000, quantity: 2, product: "P00042", country: "SE", email: "bob@firma.dk")
        + F.orders("carol", [0, 10], total: 5_000, product: "P2", email: "carol@gmail.com")
        + F.orders("dave", [395], total: 1_000, product: "P1", country: "NO", email: "Dave@X.com")
        + F.orders("erin", [500], total: 1_000, product: "P1", country: "DK"))

    static let context = AudienceContext(snapshot: snapshot, asOf: F.day(400), thresholds: .init(), currency: F.dkk)

    /// The keys of the customers `filter` selects, in key order.
    static func select(_ filter: String) throws -> [String] {
        let mask = try AudienceFilter(filter).customers(in: context)
        return (0..<snapshot.customerCount).filter { mask[$0] }.map { snapshot.customerKey($0) }
    }
}

@Suite("Audience filter language")
struct AudienceFilterTests {
    @Test("the fixture's groups and stages are as written")
    func fixture() {
        let ctx = AudienceFixture.context, s = AudienceFixture.snapshot
        func key(_ k: String) -> Int { s.customer(withKey: k)! }
        #expect(ctx.profiles.group[key("alice")] == .loyal && ctx.profiles.stage[key("alice")] == .active)
        #expect(ctx.profiles.group[key("bob")] == .oneTime && ctx.profiles.stage[key("bob")] == .active)
        #expect(ctx.profiles.group[key("carol")] == .loyal && ctx.profiles.stage[key("carol")] == .lost)
        #expect(ctx.profiles.group[key("dave")] == .oneTime && ctx.profiles.stage[key("dave")] == .new)
        #expect(ctx.profiles.orders[key("erin")] == 0)
    }

    @Test("every operator selects the customers worked out by hand", arguments: [
        // Counts.
        ("orders >= 2", ["alice", "carol"]),
        ("orders = 1", ["bob", "dave"]),
        ("orders == 1", ["bob", "dave"]),
        ("orders != 1", ["alice", "carol"]),
        ("orders <> 1", ["alice", "carol"]),
        ("orders < 2", ["bob", "dave"]),
        ("orders <= 1", ["bob", "dave"]),
        ("orders > 2", ["alice"]),
        ("orders between 2 and 3", ["alice", "carol"]),
        ("orders between 3 and 2", ["alice", "carol"]),
        ("items >= 2", ["alice", "bob", "carol"]),
        // Money, exact in minor units.
        ("revenue > 1000", ["alice", "bob"]),
        ("revenue >= 1200", ["alice", "bob"]),
        ("revenue > 1200", ["alice"]),
        ("revenue > 1199.99", ["alice", "bob"]),
        ("revenue >= 1200.001", ["alice"]),
        ("revenue between 100 and 1200", ["bob", "carol"]),
        ("aov = 500", ["alice"]),
        ("aov < 100", ["carol", "dave"]),
        // Dates (day 100 = 2024-04-10, 300 = 2024-10-27, 350 = 2024-12-16, as of day 400 = 2025-02-04).
        ("first_order >= 2024-12-16", ["bob", "dave"]),
        ("first_order = 2024-04-10", ["alice"]),
        ("first_order <= 2024-04-10", ["alice", "carol"]),
        ("first_order before 2024-04-10", ["carol"]),
        ("first_order after 2024-04-10", ["bob", "dave"]),
        ("last_order within 60d", ["bob", "dave"]),
        ("last_order within 100d", ["alice", "bob", "dave"]),
        ("last_order before 90d ago", ["alice", "carol"]),
        ("last_order between 2024-01-01 and 2024-10-27", ["alice", "carol"]),
        ("first_order <= 30d ago and first_order >= 60d ago", ["bob"]),
        ("first_order between 60d ago and 30d ago", ["bob"]),
        ("last_order >= 5d ago", ["dave"]),
        ("last_order >= 1w ago", ["dave"]),
        ("first_order >= 1m ago", ["dave"]),
        ("first_order >= 1y ago", ["alice", "bob", "dave"]),
        ("last_order = today", []),
        // Categories.
        ("group = loyal", ["alice", "carol"]),
        ("group in (one-time, vip)", ["bob", "dave"]),
        ("group != loyal", ["bob", "dave"]),
        ("group not in (loyal)", ["bob", "dave"]),
        ("group = VIP", []),
        ("stage = active", ["alice", "bob"]),
        ("stage = lost", ["carol"]),
        ("stage = new", ["dave"]),
        ("stage = slipping_away", []),
        ("stage in (new, lost)", ["carol", "dave"]),
        // Products.
        ("bought \"P00042\"", ["bob"]),
        ("bought P1", ["alice", "dave"]),
        ("not bought P1", ["bob", "carol"]),
        ("bought in (P2, P00042)", ["bob", "carol"]),
        ("bought \"nope\"", []),
        // Text.
        ("country = DK", ["alice"]),
        ("country = dk", ["alice"]),
        ("country in (DK, SE)", ["alice", "bob"]),
        ("country != DK", ["bob", "carol", "dave"]),
        ("country not in (DK, SE)", ["carol", "dave"]),
        ("email ends with \"@gmail.com\"", ["alice", "carol"]),
        ("email contains 'firma'", ["bob"]),
        ("email starts with \"DA\"", ["dave"]),
        ("email = \"bob@firma.dk\"", ["bob"]),
        ("customer = alice", ["alice"]),
        // Combinations: not binds tighter than and, and tighter than or.
        ("orders >= 2 and country = DK", ["alice"]),
        ("orders >= 2 or country = SE", ["alice", "bob", "carol"]),
        ("not (orders >= 2)", ["bob", "dave"]),
        ("not orders >= 2 and country = SE", ["bob"]),
        ("orders = 1 or orders = 3 and country = DK", ["alice", "bob", "dave"]),
        ("(orders = 1 or orders = 3) and country = DK", ["alice"]),
        ("NOT not orders >= 2", ["alice", "carol"]),
        ("orders >= 2\n  AND\tcountry = DK", ["alice"]),
    ])
    func operators(filter: String, expected: [String]) throws {
        #expect(try AudienceFixture.select(filter) == expected, "\(filter)")
    }

    static let fields = AudienceField.all.map(\.name).joined(separator: ", ")

    @Test("parse errors say what was expected, what was found, and where", arguments: [
        ("orders >= abc", "filter:1:11: expected a number after \">=\", found \"abc\""),
        ("orders >= 2 and revenue >= abc", "filter:1:28: expected an amount after \">=\", found \"abc\""),
        ("revenue > 10 and", "filter:1:17: expected a field name (\(fields)), found the end of the filter"),
        ("ordrs >= 2", "filter:1:1: unknown field \"ordrs\"; did you mean \"orders\"?"),
        ("xyzzy = 1", "filter:1:1: unknown field \"xyzzy\"; fields: \(fields)"),
        ("orders 2", "filter:1:8: expected an operator after \"orders\" (=, !=, <, <=, >, >=, between), found \"2\""),
        ("orders contains 2", "filter:1:8: \"contains\" does not apply to orders (a number); use =, !=, <, <=, >, >=, between"),
        ("stage < lost", "filter:1:7: \"<\" does not apply to stage (one of a set of values); use =, !=, in, not in"),
        ("group = vips", "filter:1:9: unknown group \"vips\"; groups: one-time, loyal, frequent, vip"),
        ("(orders >= 2", "filter:1:13: expected \")\" to close the \"(\" at 1:1, found the end of the filter"),
        ("orders >= 2)", "filter:1:12: this \")\" has no matching \"(\""),
        ("orders >= 2 country = DK", "filter:1:13: expected \"and\", \"or\" or the end of the filter, found \"country\""),
        ("", "filter:1:1: the filter is empty; write a condition such as orders >= 2"),
        ("   ", "filter:1:4: the filter is empty; write a condition such as orders >= 2"),
        ("email contains \"abc", "filter:1:16: this string has no closing quote"),
        ("orders >= 2 $", "filter:1:13: unexpected character \"$\""),
        ("!orders", "filter:1:1: unexpected character \"!\"; write != for not equal, or not"),
        ("last_order within 90", "filter:1:19: expected a duration (90d, 12w, 6m or 1y) after \"within\", found \"90\""),
        ("first_order >= 30d", "filter:1:19: expected \"ago\" (or \"from now\") after \"30d\", found the end of the filter"),
        ("first_order >= 2025-02-30", "filter:1:16: \"2025-02-30\" is not a date"),
        ("first_order > soon", "filter:1:15: expected a date (YYYY-MM-DD, today, or a time such as 30d ago or 30d from now) after \">\", found \"soon\""),
        ("orders >= 2\nand revenue > x", "filter:2:15: expected an amount after \">\", found \"x\""),
        ("country in DK", "filter:1:12: expected \"(\" after \"in\", found \"DK\""),
        ("country in (DK SE)", "filter:1:16: expected \",\" or \")\" in the list, found \"SE\""),
        ("orders between 1 or 2", "filter:1:18: expected \"and\" after \"1\" (between … and …), found \"or\""),
        ("email starts \"a\"", "filter:1:14: expected \"with\" after \"starts\" (starts with \"…\"), found \"a\""),
        ("bought", "filter:1:7: expected a product id after \"bought\", found the end of the filter"),
        ("group not (vip)", "filter:1:11: expected \"in\" after \"not\" (not in (…)), found \"(\""),
        ("orders >= 1.", "filter:1:11: expected a number after \">=\", found \"1.\""),
    ])
    func parseErrors(filter: String, message: String) {
        #expect(throws: AudienceFilterError.self) { try AudienceFilter(filter) }
        do {
            _ = try AudienceFilter(filter)
        } catch {
            #expect(error.location == message)
        }
    }

    @Test("the error's description shows the line with a caret under the mistake")
    func caret() {
        do {
            _ = try AudienceFilter("orders >= 2\n\tand revenue >= abc")
            Issue.record("no error")
        } catch {
            #expect(error.code == .badValue)
            #expect(error.description == "filter:2:17: expected an amount after \">=\", found \"abc\"\n  \tand revenue >= abc\n  \t               ^")
        }
    }

    // The expected sets come from the RFM report itself (RFM.compute), not from the filter code.
    @Test("rfm fields read the RFM report's segments and scores")
    func rfm() throws {
        let s = AudienceFixture.snapshot
        let rfm = RFM.compute(snapshot: s, asOf: LifecycleFixture.day(400), currency: LifecycleFixture.dkk)
        func keys(_ pick: (Int) -> Bool) -> [String] { (0..<s.customerCount).filter(pick).map { s.customerKey($0) } }
        var seen = 0
        for segment in RFM.Segment.allCases {
            let expected = keys { rfm.segment(ofCustomer: $0) == segment }
            seen += expected.count
            #expect(try AudienceFixture.select("rfm = \"\(segment.rawValue)\"") == expected, "\(segment)")
            #expect(try AudienceFixture.select("rfm = \(AudienceField.rfmValue(segment).name)") == expected)
        }
        #expect(seen == 4)
        #expect(try AudienceFixture.select("r_score >= 4") == keys { (rfm.score(ofCustomer: $0)?.recency ?? 0) >= 4 })
        #expect(try AudienceFixture.select("m_score = 5 or f_score = 1") == keys {
            rfm.score(ofCustomer: $0).map { $0.monetary == 5 || $0.frequency == 1 } ?? false
        })
        #expect(AudienceField.rfmValue(.cantLoseThem).name == "cant-lose-them")
        do {
            _ = try AudienceFilter("rfm = champs")
            Issue.record("no error")
        } catch {
            #expect(error.location.hasPrefix("filter:1:7: unknown RFM segment \"champs\"; RFM segments: champions, loyal, potential-loyalists,"))
        }
    }

    @Test("every built-in audience parses and names known fields")
    func builtIns() throws {
        for b in BuiltInAudience.all {
            let f = try AudienceFilter(b.filter)
            #expect(!f.fieldNames.isEmpty)
        }
        // One-time buyers 30–60 days after their first order: bob (first order 50 days ago).
        #expect(try AudienceFixture.select(BuiltInAudience.all[0].filter) == ["bob"])
        #expect(try AudienceFixture.select("group = loyal and stage = slipping-away") == [])
    }
}
