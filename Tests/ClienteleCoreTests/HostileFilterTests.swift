import Testing
@testable import ClienteleCore

/// The message of the error `filter` is refused with (its `location` line), or `nil` when it parses.
private func refusal(_ filter: String) -> String? {
    do {
        _ = try AudienceFilter(filter)
        return nil
    } catch {
        return error.location
    }
}

/// Filters built to exhaust the parser or the evaluation: huge, deeply nested, long chains and lists, numbers
/// and dates at the edges. Each is refused with one clear error (no stack overflow), or parsed and evaluated
/// over `AudienceFixture` to the customers worked out by hand. Limits: docs/audiences.md, "Limits".
@Suite("Hostile filters")
struct HostileFilterTests {
    @Test("A filter of 100,000 characters is refused before it is read, and its error shows only its start")
    func hugeFilter() throws {
        // "orders > 1 or " is 14 characters: 7,142 of them (99,988) and "orders >= 10" (12) make 100,000.
        let filter = String(repeating: "orders > 1 or ", count: 7_142) + "orders >= 10"
        #expect(filter.count == 100_000)
        #expect(refusal(filter) == "filter:1:1: the filter is 100000 characters long; a filter may have at most 10000")
        do {
            _ = try AudienceFilter(filter)
        } catch {
            #expect(error.code == .tooLong)
            #expect(error.description.count < 200)
        }
    }

    @Test("A filter of exactly 10,000 characters is read")
    func longestFilter() throws {
        // "orders > 1 or " is 14 characters: 713 of them and "orders >= 1" (11) make 9,993; 7 spaces pad it.
        let filter = String(repeating: "orders > 1 or ", count: 713) + "orders >= 1" + String(repeating: " ", count: 7)
        #expect(filter.count == 10_000)
        #expect(try AudienceFixture.select(filter) == ["alice", "bob", "carol", "dave"])
    }

    @Test("10,000 nested parentheses are refused without a stack overflow")
    func tenThousandParentheses() {
        let filter = String(repeating: "(", count: 10_000) + "orders > 1" + String(repeating: ")", count: 10_000)
        #expect(refusal(filter) == "filter:1:1: the filter is 20010 characters long; a filter may have at most 10000")
    }

    @Test("Nesting deeper than 100 levels is refused at the first token too deep", arguments: [
        // The 101st "(" is at column 101.
        (String(repeating: "(", count: 2_000) + "orders > 1" + String(repeating: ")", count: 2_000),
         "filter:1:101: parentheses and \"not\" are nested more than 100 deep"),
        // The 101st "not " starts at column 401.
        (String(repeating: "not ", count: 2_000) + "orders > 1",
         "filter:1:401: parentheses and \"not\" are nested more than 100 deep"),
        // Mixed: "(not " is two levels each; the 51st "(" (column 251) is level 101.
        (String(repeating: "(not ", count: 60) + "orders > 1" + String(repeating: ")", count: 60),
         "filter:1:251: parentheses and \"not\" are nested more than 100 deep"),
    ])
    func tooDeep(filter: String, expected: String) {
        #expect(refusal(filter) == expected)
    }

    @Test("100 levels of nesting are read and evaluated")
    func deepestNesting() throws {
        // 100 parentheses around a condition; 100 "not" (an even number) select the same customers as none.
        let parens = String(repeating: "(", count: 100) + "orders >= 2" + String(repeating: ")", count: 100)
        #expect(try AudienceFixture.select(parens) == ["alice", "carol"])
        let nots = String(repeating: "not ", count: 100) + "orders >= 2"
        #expect(try AudienceFixture.select(nots) == ["alice", "carol"])
    }

    @Test("Long chains of and/or and long lists are read as balanced trees: no deep recursion")
    func chainsAndLists() throws {
        // 1,500 products of which bob bought one (P00042); the last 500 of them as "bought … or …"; 600 conjuncts
        // all true for alice and carol.
        let products = (0..<1_499).map { "X\($0)" } + ["P00042"]
        #expect(try AudienceFixture.select("bought in (" + products.joined(separator: ",") + ")") == ["bob"])
        let ors = products.suffix(500).map { "bought \($0)" }.joined(separator: " or ")
        #expect(ors.count <= 10_000)
        #expect(try AudienceFixture.select(ors) == ["bob"])
        let ands = Array(repeating: "orders >= 2", count: 600).joined(separator: " and ")
        #expect(ands.count <= 10_000)
        #expect(try AudienceFixture.select(ands) == ["alice", "carol"])
        // A balanced tree of 600 conditions is ⌈log2 600⌉ + 1 = 11 levels deep (a left-deep one would be 600).
        #expect(depth(try AudienceFilter(ands).root) == 11)
        #expect(depth(try AudienceFilter(ors).root) == 10)  // 500 conditions: ⌈log2 500⌉ + 1
    }

    @Test("Numbers at the edges compare exactly and never trap", arguments: [
        // Revenues (øre): alice 150 000, bob 120 000, carol 10 000, dave 1 000.
        ("revenue > 0." + String(repeating: "0", count: 60) + "1", ["alice", "bob", "carol", "dave"]),
        ("revenue < 0." + String(repeating: "0", count: 60) + "1", []),
        ("revenue = 1500." + String(repeating: "0", count: 60), ["alice"]),
        ("revenue < 9223372036854775807", ["alice", "bob", "carol", "dave"]),
        ("revenue > 92233720368547758.07", []),
        ("orders between 0.0000000000000000000000000000001 and 9223372036854775807", ["alice", "bob", "carol", "dave"]),
        ("p_alive > 0." + String(repeating: "0", count: 400) + "1", []),
    ])
    func numberEdges(filter: String, expected: [String]) throws {
        #expect(try AudienceFixture.select(filter) == expected)
    }

    @Test("Numbers beyond 64 bits are refused with the place", arguments: [
        ("revenue > 9223372036854775808", "filter:1:11: expected an amount after \">\", found \"9223372036854775808\""),
        ("orders > 99999999999999999999", "filter:1:10: expected a number after \">\", found \"99999999999999999999\""),
    ])
    func numberTooLarge(filter: String, expected: String) {
        #expect(refusal(filter) == expected)
    }

    @Test("Dates and durations at the edges are read and never trap", arguments: [
        ("first_order > 0001-01-01", ["alice", "bob", "carol", "dave"]),
        ("first_order < 9999-12-31", ["alice", "bob", "carol", "dave"]),
        ("first_order >= 0000-01-01", ["alice", "bob", "carol", "dave"]),
        ("last_order within 999999y", ["alice", "bob", "carol", "dave"]),
        ("last_order within 999999d", ["alice", "bob", "carol", "dave"]),
        ("first_order > 999999m ago", ["alice", "bob", "carol", "dave"]),
        ("first_order < 999999w from now", ["alice", "bob", "carol", "dave"]),
        ("last_order between 0001-01-01 and 9999-12-31", ["alice", "bob", "carol", "dave"]),
    ])
    func dateEdges(filter: String, expected: [String]) throws {
        #expect(try AudienceFixture.select(filter) == expected)
    }

    @Test("A duration of more than six digits is refused")
    func durationTooLong() {
        #expect(refusal("last_order within 1000000y")
                == "filter:1:19: expected a duration (90d, 12w, 6m or 1y) after \"within\", found \"1000000y\"")
    }

    /// The depth of a parsed filter's tree.
    private func depth(_ node: AudienceFilter.Node) -> Int {
        switch node {
        case .and(let a, let b), .or(let a, let b): return 1 + max(depth(a), depth(b))
        case .not(let a): return 1 + depth(a)
        case .condition: return 1
        }
    }
}
