/// A parsed audience filter (METRICS.md, "Audiences"; the language is in docs/audiences.md), e.g.
/// `orders >= 2 and revenue > 1000 and last_order within 90d and group = vip and bought "P00042"`.
/// Parse once with `init(_:)`; evaluate over a snapshot with `customers(in:)`.
public struct AudienceFilter: Sendable {
    /// The filter as written.
    public let text: String
    /// The parsed expression.
    let root: Node

    /// An expression: conditions combined with `and`, `or` and `not`.
    indirect enum Node: Sendable {
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
        case condition(Condition)
    }

    /// A test of one field.
    struct Condition: Sendable {
        /// The field tested (index into `AudienceField.all`).
        var field: Int
        var test: Test
    }

    /// What a condition checks.
    enum Test: Sendable {
        /// `field op value` for counts, money and numbers (`!=` is parsed as `not =`).
        case compareNumber(Comparison, DecimalValue)
        /// `field between a and b`, both ends included, in either order.
        case numberBetween(DecimalValue, DecimalValue)
        /// `field op date` (`before` is `<`, `after` is `>`).
        case compareDate(Comparison, DateValue)
        /// `field between d1 and d2`, both ends included, in either order.
        case dateBetween(DateValue, DateValue)
        /// `field within 90d`: on or after the as-of date minus the duration.
        case within(DateValue)
        /// `field = v` or `field in (v1, v2)` for a category: the value indices.
        case category(Set<Int>)
        /// Text equal to one of the values (lower-cased).
        case textIn([String])
        /// Text containing the value (lower-cased).
        case contains(String)
        /// Text starting with the value (lower-cased).
        case startsWith(String)
        /// Text ending with the value (lower-cased).
        case endsWith(String)
        /// Bought the product with this id.
        case bought(String)
    }

    /// A comparison operator.
    enum Comparison: String, Sendable {
        case equal = "="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        @inline(__always)
        func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .equal: return a == b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        }
    }

    /// A decimal written in a filter: `mantissa × 10^−scale` (exact; `1000.50` is 100050 at scale 2).
    struct DecimalValue: Sendable, Equatable {
        var mantissa: Int64
        var scale: Int

        /// The value as a `Double`.
        var double: Double {
            var d = Double(mantissa)
            for _ in 0..<scale { d /= 10 }
            return d
        }

        /// Compares `units × 10^−digits` with this value exactly: the sign of (left − self).
        @inline(__always)
        func compare(_ units: Int64, digits: Int) -> Int {
            var l = Int128(units), r = Int128(mantissa)
            // Both sides are below 2^63 in magnitude; scaled by at most 10^19 they stay below 2^127. Beyond
            // that the scaled side's magnitude is at least 10^20 unless it is 0, which decides the comparison.
            let shift = scale - digits
            if shift > 19 { return units == 0 ? (mantissa > 0 ? -1 : 0) : (units > 0 ? 1 : -1) }
            if shift < -19 { return mantissa == 0 ? (units > 0 ? 1 : (units < 0 ? -1 : 0)) : -1 }
            if shift > 0 { for _ in 0..<shift { l *= 10 } } else { for _ in 0..<(-shift) { r *= 10 } }
            return l < r ? -1 : (l > r ? 1 : 0)
        }
    }

    /// A date written in a filter: a calendar date, a time before the as-of date (`30d ago`) or after it
    /// (`30d from now`).
    enum DateValue: Sendable, Equatable {
        case date(ShopDate)
        case ago(Int, Unit)
        case ahead(Int, Unit)

        enum Unit: Sendable, Equatable { case days, weeks, months, years }

        /// The day number this value stands for as of `asOf`.
        func resolve(asOf: ShopDate) -> Int {
            switch self {
            case .date(let d): return d.dayNumber
            case .ago(let n, .days): return asOf.dayNumber - n
            case .ago(let n, .weeks): return asOf.dayNumber - 7 * n
            case .ago(let n, .months): return asOf.adding(months: -n).dayNumber
            case .ago(let n, .years): return asOf.adding(years: -n).dayNumber
            case .ahead(let n, let unit): return DateValue.ago(-n, unit).resolve(asOf: asOf)
            }
        }

        /// The day a duration (the value of `within`, parsed as `7d ago`) after `asOf` stands for.
        func resolveAhead(asOf: ShopDate) -> Int {
            switch self {
            case .ago(let n, let unit): return DateValue.ago(-n, unit).resolve(asOf: asOf)
            default: return resolve(asOf: asOf)
            }
        }
    }

    /// The most characters a filter may have (evaluating one costs a pass over the customers per condition).
    public static let maxLength = 10_000
    /// The most levels parentheses and `not` may nest.
    public static let maxDepth = 100

    /// Parses `text`; throws an `AudienceFilterError` that points at the first mistake. A filter longer than
    /// `maxLength` characters or nested deeper than `maxDepth` is refused; chains of `and`/`or` and lists
    /// become balanced trees, so no filter makes the parser or the evaluation recurse deeply.
    public init(_ text: String) throws(AudienceFilterError) {
        self.text = text
        let length = text.count
        if length > Self.maxLength {
            // Show only the start of the filter under the message.
            let start = String(text.prefix { $0 != "\n" }.prefix(60)) + "…"
            throw AudienceFilterError(.tooLong, "the filter is \(length) characters long; a filter may have at most \(Self.maxLength)",
                                      line: 1, column: 1, source: start)
        }
        var parser = AudienceParser(source: text, tokens: try AudienceLexer.tokens(text))
        root = try parser.parseFilter()
    }

    /// The names of the fields the filter uses, in order of first use.
    public var fieldNames: [String] {
        var out: [String] = []
        func walk(_ n: Node) {
            switch n {
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
            case .not(let a): walk(a)
            case .condition(let c):
                let name = AudienceField.all[c.field].name
                if !out.contains(name) { out.append(name) }
            }
        }
        walk(root)
        return out
    }

    /// Whether the filter uses a predicted field (`p_alive`, `predicted_clv`, `expected_purchases`,
    /// `next_order`): the caller must supply `AudienceContext.predictions`.
    public var usesPredictions: Bool { fieldNames.contains(where: AudienceField.predictionFields.contains) }
}
