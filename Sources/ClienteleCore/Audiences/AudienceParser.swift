/// A recursive-descent parser of the audience filter language:
///
///     filter     := or END
///     or         := and ("or" and)*
///     and        := not ("and" not)*
///     not        := "not" not | "(" or ")" | condition
///     condition  := FIELD operator value …   |   "bought" PRODUCT
///
/// Every error names what was expected and what was found, at the token's line and column.
struct AudienceParser {
    let source: String
    let tokens: [AudienceToken]
    var position = 0
    /// How deep the parentheses and `not` around the current token nest.
    var depth = 0

    init(source: String, tokens: [AudienceToken]) {
        self.source = source
        self.tokens = tokens
    }

    typealias Node = AudienceFilter.Node

    var current: AudienceToken { tokens[position] }

    mutating func next() -> AudienceToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func fail(_ code: AudienceFilterError.Code, _ message: String, at token: AudienceToken) -> AudienceFilterError {
        AudienceFilterError(code, message, line: token.line, column: token.column, source: source)
    }

    /// The words that cannot be field names or bare values where a value is expected.
    static let keywords: Set<String> = ["and", "or", "not"]

    // MARK: Structure

    mutating func parseFilter() throws(AudienceFilterError) -> Node {
        if current.kind == .end { throw fail(.emptyFilter, "the filter is empty; write a condition such as orders >= 2", at: current) }
        let node = try parseOr()
        if current.kind != .end {
            if current.kind == .close {
                throw fail(.badStructure, "this \")\" has no matching \"(\"", at: current)
            }
            throw fail(.badStructure, "expected \"and\", \"or\" or the end of the filter, found \(current.quoted)", at: current)
        }
        return node
    }

    mutating func parseOr() throws(AudienceFilterError) -> Node {
        var terms = [try parseAnd()]
        while current.isWord("or") {
            _ = next()
            terms.append(try parseAnd())
        }
        return Self.balanced(terms[...], Node.or)
    }

    mutating func parseAnd() throws(AudienceFilterError) -> Node {
        var terms = [try parseNot()]
        while current.isWord("and") {
            _ = next()
            terms.append(try parseNot())
        }
        return Self.balanced(terms[...], Node.and)
    }

    /// `terms` joined by `join` as a balanced tree (left to right, so `fieldNames` keeps the written order):
    /// a chain of n conditions is ⌈log2 n⌉ + 1 levels deep, not n.
    static func balanced(_ terms: ArraySlice<Node>, _ join: (Node, Node) -> Node) -> Node {
        if terms.count == 1 { return terms.first! }
        let middle = terms.startIndex + terms.count / 2
        return join(balanced(terms[..<middle], join), balanced(terms[middle...], join))
    }

    /// Enters one more level of parentheses or `not` at `token`; refused beyond `AudienceFilter.maxDepth`.
    mutating func enter(_ token: AudienceToken) throws(AudienceFilterError) {
        depth += 1
        if depth > AudienceFilter.maxDepth {
            throw fail(.tooDeep, "parentheses and \"not\" are nested more than \(AudienceFilter.maxDepth) deep", at: token)
        }
    }

    mutating func parseNot() throws(AudienceFilterError) -> Node {
        if current.isWord("not") {
            try enter(next())
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        if current.kind == .open {
            let open = next()
            try enter(open)
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.kind == .close else {
                throw fail(.badStructure, "expected \")\" to close the \"(\" at \(open.line):\(open.column), found \(current.quoted)",
                           at: current)
            }
            _ = next()
            return inner
        }
        return try parseCondition()
    }

    // MARK: Conditions

    mutating func parseCondition() throws(AudienceFilterError) -> Node {
        let nameToken = current
        guard nameToken.kind == .word, !Self.keywords.contains(nameToken.text.lowercased()) else {
            throw fail(.unknownField, "expected a field name (\(Self.fieldList)), found \(nameToken.quoted)", at: nameToken)
        }
        guard let index = AudienceField.all.firstIndex(where: {
            $0.name == nameToken.text.lowercased() || $0.aliases.contains(nameToken.text.lowercased())
        }) else {
            var message = "unknown field \(nameToken.quoted)"
            if let near = Self.nearest(nameToken.text.lowercased()) { message += "; did you mean \"\(near)\"?" }
            else { message += "; fields: \(Self.fieldList)" }
            throw fail(.unknownField, message, at: nameToken)
        }
        _ = next()
        let field = AudienceField.all[index]
        func node(_ test: AudienceFilter.Test) -> Node { .condition(.init(field: index, test: test)) }

        switch field.kind {
        case .product:
            if current.isWord("in") {
                let values = try parseList(after: next()) { (p: inout AudienceParser, after: AudienceToken) throws(AudienceFilterError) in
                    try p.parseProduct(after: after)
                }
                return Self.balanced(values.map { node(.bought($0)) }[...], Node.or)
            }
            return node(.bought(try parseProduct(after: nameToken)))

        case .count, .money, .number:
            let op = try parseOperator(field: field, name: nameToken, allowed: ["between"])
            if op.isWord("between") {
                let a = try parseNumber(field: field, after: op)
                let and = try expectWord("and", after: a.token, context: "between … and …")
                let b = try parseNumber(field: field, after: and)
                return node(.numberBetween(a.value, b.value))
            }
            let value = try parseNumber(field: field, after: op).value
            return try comparison(op, field: field, name: nameToken) { node(.compareNumber($0, value)) }

        case .date:
            let op = try parseOperator(field: field, name: nameToken, allowed: ["before", "after", "within", "between"])
            if op.isWord("within") {
                let t = next()
                guard let d = Self.duration(t) else {
                    throw fail(.badValue, "expected a duration (90d, 12w, 6m or 1y) after \"within\", found \(t.quoted)", at: t)
                }
                return node(.within(d))
            }
            if op.isWord("between") {
                let a = try parseDate(after: op)
                let and = try expectWord("and", after: a.token, context: "between … and …")
                let b = try parseDate(after: and)
                return node(.dateBetween(a.value, b.value))
            }
            let value = try parseDate(after: op).value
            if op.isWord("before") { return node(.compareDate(.less, value)) }
            if op.isWord("after") { return node(.compareDate(.greater, value)) }
            return try comparison(op, field: field, name: nameToken) { node(.compareDate($0, value)) }

        case .category(let values, _):
            let op = try parseOperator(field: field, name: nameToken, allowed: ["in", "not"], comparisons: ["=", "==", "!=", "<>"])
            var negate = op.kind == .comparison && (op.text == "!=" || op.text == "<>")
            var listStart = op
            if op.isWord("not") {
                listStart = try expectWord("in", after: op, context: "not in (…)")
                negate = true
            }
            let indices: [Int]
            if op.kind == .comparison {
                indices = [try parseCategory(field: field, values: values, after: op)]
            } else {
                indices = try parseList(after: listStart) { (p: inout AudienceParser, after: AudienceToken) throws(AudienceFilterError) in
                    try p.parseCategory(field: field, values: values, after: after)
                }
            }
            let test = node(.category(Set(indices)))
            return negate ? .not(test) : test

        case .text:
            let op = try parseOperator(field: field, name: nameToken,
                                       allowed: ["in", "not", "contains", "starts", "ends"], comparisons: ["=", "==", "!=", "<>"])
            if op.isWord("contains") { return node(.contains(try parseText(after: op).lowercased())) }
            if op.isWord("starts") || op.isWord("ends") {
                let with = try expectWord("with", after: op, context: "\(op.text.lowercased()) with \"…\"")
                let value = try parseText(after: with).lowercased()
                return node(op.isWord("starts") ? .startsWith(value) : .endsWith(value))
            }
            if op.isWord("in") || op.isWord("not") {
                let listStart = op.isWord("not") ? try expectWord("in", after: op, context: "not in (…)") : op
                let values = try parseList(after: listStart) { (p: inout AudienceParser, after: AudienceToken) throws(AudienceFilterError) in
                    try p.parseText(after: after).lowercased()
                }
                return op.isWord("not") ? .not(node(.textIn(values))) : node(.textIn(values))
            }
            let test = node(.textIn([try parseText(after: op).lowercased()]))
            return op.text == "!=" || op.text == "<>" ? .not(test) : test
        }
    }

    /// Builds `field op value`, turning `!=` into `not =`.
    func comparison(_ op: AudienceToken, field: AudienceField, name: AudienceToken,
                    _ make: (AudienceFilter.Comparison) -> Node) throws(AudienceFilterError) -> Node {
        switch op.text {
        case "=", "==": return make(.equal)
        case "!=", "<>": return .not(make(.equal))
        case "<": return make(.less)
        case "<=": return make(.lessOrEqual)
        case ">": return make(.greater)
        case ">=": return make(.greaterOrEqual)
        default: throw fail(.badOperator, "unknown operator \(op.quoted)", at: op)
        }
    }

    /// The operator after a field: a comparison in `comparisons` or one of the words in `allowed`.
    mutating func parseOperator(field: AudienceField, name: AudienceToken, allowed: [String],
                                comparisons: [String] = ["=", "==", "!=", "<>", "<", "<=", ">", ">="]) throws(AudienceFilterError) -> AudienceToken {
        let t = current
        let shown = comparisons.filter { $0 != "==" && $0 != "<>" } + allowed.map { w in
            switch w {
            case "not": return "not in"
            case "starts": return "starts with"
            case "ends": return "ends with"
            default: return w
            }
        }
        let list = shown.joined(separator: ", ")
        if t.kind == .comparison {
            guard comparisons.contains(t.text) else {
                throw fail(.badOperator, "\(t.quoted) does not apply to \(field.name) (\(field.kindName)); use \(list)", at: t)
            }
            return next()
        }
        if t.kind == .word && allowed.contains(t.text.lowercased()) { return next() }
        if t.kind == .word && Self.operatorWords.contains(t.text.lowercased()) {
            throw fail(.badOperator, "\(t.quoted) does not apply to \(field.name) (\(field.kindName)); use \(list)", at: t)
        }
        throw fail(.badOperator, "expected an operator after \(name.quoted) (\(list)), found \(t.quoted)", at: t)
    }

    static let operatorWords: Set<String> = ["in", "not", "contains", "starts", "ends", "before", "after", "within", "between"]

    /// Consumes the bare word `w` or fails naming the construct.
    mutating func expectWord(_ w: String, after: AudienceToken, context: String) throws(AudienceFilterError) -> AudienceToken {
        guard current.isWord(w) else {
            throw fail(.badStructure, "expected \"\(w)\" after \(after.quoted) (\(context)), found \(current.quoted)", at: current)
        }
        return next()
    }

    // MARK: Values

    /// `(v1, v2, …)` after `after`.
    mutating func parseList<T>(after: AudienceToken,
                               _ item: (inout AudienceParser, AudienceToken) throws(AudienceFilterError) -> T) throws(AudienceFilterError) -> [T] {
        guard current.kind == .open else {
            throw fail(.badStructure, "expected \"(\" after \(after.quoted), found \(current.quoted)", at: current)
        }
        var prev = next()
        var out: [T] = []
        while true {
            out.append(try item(&self, prev))
            if current.kind == .close { _ = next(); return out }
            guard current.kind == .comma else {
                throw fail(.badStructure, "expected \",\" or \")\" in the list, found \(current.quoted)", at: current)
            }
            prev = next()
        }
    }

    mutating func parseNumber(field: AudienceField, after op: AudienceToken) throws(AudienceFilterError) -> (value: AudienceFilter.DecimalValue, token: AudienceToken) {
        let t = current
        guard t.kind == .word, let v = Self.decimal(t.text) else {
            let what: String
            if case .money = field.kind { what = "an amount" } else { what = "a number" }
            throw fail(.badValue, "expected \(what) after \(op.quoted), found \(t.quoted)", at: t)
        }
        _ = next()
        return (v, t)
    }

    mutating func parseDate(after op: AudienceToken) throws(AudienceFilterError) -> (value: AudienceFilter.DateValue, token: AudienceToken) {
        let t = current
        let expected = "expected a date (YYYY-MM-DD, today, or a time such as 30d ago or 30d from now) after \(op.quoted), found \(t.quoted)"
        guard t.kind == .word else { throw fail(.badValue, expected, at: t) }
        let lower = t.text.lowercased()
        if lower == "today" { _ = next(); return (.ago(0, .days), t) }
        if lower == "yesterday" { _ = next(); return (.ago(1, .days), t) }
        if let d = Self.duration(t) {
            _ = next()
            if current.isWord("from"), case .ago(let n, let unit) = d {
                let from = next()
                guard current.isWord("now") || current.isWord("today") else {
                    throw fail(.badValue, "expected \"now\" after \(from.quoted) (\(t.text) from now: a time after the as-of date), found \(current.quoted)", at: current)
                }
                return (.ahead(n, unit), next())
            }
            guard current.isWord("ago") else {
                throw fail(.badValue, "expected \"ago\" (or \"from now\") after \(t.quoted), found \(current.quoted)", at: current)
            }
            let ago = next()
            return (d, ago)
        }
        if Self.looksLikeDate(t.text) {
            guard let d = ShopDate(iso: t.text) else { throw fail(.badValue, "\(t.quoted) is not a date", at: t) }
            _ = next()
            return (.date(d), t)
        }
        throw fail(.badValue, expected, at: t)
    }

    mutating func parseCategory(field: AudienceField, values: [AudienceField.CategoryValue],
                                after: AudienceToken) throws(AudienceFilterError) -> Int {
        let t = current
        let names = values.map(\.name).joined(separator: ", ")
        guard t.kind == .word || t.kind == .string else {
            throw fail(.badValue, "expected a \(field.name) (\(names)) after \(after.quoted), found \(t.quoted)", at: t)
        }
        let v = t.text.lowercased()
        guard let i = values.firstIndex(where: { $0.name == v || $0.aliases.contains(v) }) else {
            let noun = field.name == "rfm" ? "RFM segment" : field.name
            throw fail(.badValue, "unknown \(noun) \(t.quoted); \(noun)s: \(names)", at: t)
        }
        _ = next()
        return i
    }

    mutating func parseText(after: AudienceToken) throws(AudienceFilterError) -> String {
        let t = current
        guard t.kind == .string || (t.kind == .word && !Self.keywords.contains(t.text.lowercased())) else {
            throw fail(.badValue, "expected a text value (in quotes) after \(after.quoted), found \(t.quoted)", at: t)
        }
        _ = next()
        return t.text
    }

    mutating func parseProduct(after: AudienceToken) throws(AudienceFilterError) -> String {
        let t = current
        guard t.kind == .string || (t.kind == .word && !Self.keywords.contains(t.text.lowercased())) else {
            throw fail(.badValue, "expected a product id after \(after.quoted), found \(t.quoted)", at: t)
        }
        _ = next()
        return t.text
    }

    // MARK: Lexical helpers

    /// A plain decimal: digits with at most one `.` (e.g. `1000`, `1000.50`, `.5` is not accepted). Zeros at
    /// the end of the fraction are dropped (`1500.000…0` is 1500), so only significant digits must fit in 64 bits.
    static func decimal(_ text: String) -> AudienceFilter.DecimalValue? {
        var mantissa: Int64 = 0, scale = 0, digits = 0, fractionDigits = 0
        var seenPoint = false
        /// Fraction zeros not yet multiplied in (they count only if a non-zero digit follows).
        var pendingZeros = 0
        func push(_ d: Int64) -> Bool {
            let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(d)
            mantissa = m2
            return !(o1 || o2)
        }
        for u in text.utf8 {
            if u == UInt8(ascii: ".") {
                if seenPoint || digits == 0 { return nil }
                seenPoint = true
                continue
            }
            guard u >= 48 && u <= 57 else { return nil }
            digits += 1
            if seenPoint {
                fractionDigits += 1
                if u == 48 { pendingZeros += 1; continue }
                // A zero mantissa stays zero, however many zeros come before this digit.
                if mantissa != 0 { for _ in 0..<pendingZeros { guard push(0) else { return nil } } }
                scale += pendingZeros + 1
                pendingZeros = 0
            }
            guard push(Int64(u - 48)) else { return nil }
        }
        if digits == 0 || (seenPoint && fractionDigits == 0) { return nil }
        return AudienceFilter.DecimalValue(mantissa: mantissa, scale: scale)
    }

    /// `90d`, `12w`, `6m`, `1y` (also `90days`, `12weeks`, `6months`, `1year`).
    static func duration(_ t: AudienceToken) -> AudienceFilter.DateValue? {
        guard t.kind == .word else { return nil }
        let lower = t.text.lowercased()
        let digits = lower.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let n = Int(digits) else { return nil }
        switch lower.dropFirst(digits.count) {
        case "d", "day", "days": return .ago(n, .days)
        case "w", "week", "weeks": return .ago(n, .weeks)
        case "m", "month", "months": return .ago(n, .months)
        case "y", "year", "years": return .ago(n, .years)
        default: return nil
        }
    }

    /// `NNNN-NN-NN`.
    static func looksLikeDate(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= 48 && c <= 57) }
    }

    static var fieldList: String { AudienceField.all.map(\.name).joined(separator: ", ") }

    /// The field name within edit distance 2 of `name`, if any.
    static func nearest(_ name: String) -> String? {
        var best: (String, Int)? = nil
        for f in AudienceField.all {
            for candidate in [f.name] + f.aliases {
                let d = editDistance(Array(name), Array(candidate))
                if d <= 2 && (best == nil || d < best!.1) { best = (f.name, d) }
            }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
