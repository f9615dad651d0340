import ClienteleCore

/// Whether a saved audience names a customer being forgotten (docs/privacy.md, "Saved audiences"): a filter such
/// as `email = "anna@example.com"` or `customer in ("100042", "100043")`, or a name such as `anna@example.com
/// follow-up`, is personal data and goes with the customer.
///
/// Filters are split the way the audience language reads them (quoted strings, and bare words of letters,
/// digits and `_ - . @ + / : # & %`), compared case-insensitively (text comparisons in filters are):
/// - a quoted string mentions a name when it equals it, or one of its words does;
/// - a bare word mentions a name when it equals it, unless the name is a plain number: `orders >= 12` is a
///   threshold, not customer 12, and an audience called `top 12` is not about them either; a numeric customer
///   id is mentioned in quotes (`customer = "12"`) or as a value of the `customer` or `email` field
///   (`customer in (12, 13)`);
/// - a name with characters that cannot be part of a word (a customer id with a space) is looked for as text.
public struct AudienceMentions: Sendable {
    private let words: Set<String>
    private let numbers: Set<String>
    private let phrases: [String]

    /// Looks for `identifiers` (lower-cased; empty ones are ignored).
    public init(_ identifiers: some Sequence<String>) {
        var words = Set<String>(), numbers = Set<String>(), phrases: [String] = []
        for id in identifiers where !id.isEmpty {
            if !id.allSatisfy(Self.isWordCharacter) {
                phrases.append(id)
            } else if id.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) {
                numbers.insert(id)
            } else {
                words.insert(id)
            }
        }
        self.words = words
        self.numbers = numbers
        self.phrases = phrases
    }

    /// Whether the audience's name or filter mentions one of the identifiers.
    public func mentioned(in audience: SavedAudience) -> Bool {
        mentioned(inText: audience.name) || mentioned(inText: audience.filter)
    }

    /// Whether `text` mentions one of the identifiers (a number counts in quotes, or after an identity field).
    func mentioned(inText text: String) -> Bool {
        let lower = text.lowercased()
        for phrase in phrases where lower.contains(phrase) { return true }
        var afterIdentityField = false
        for token in Self.tokens(lower) {
            if token.quoted {
                if words.contains(token.text) || numbers.contains(token.text) { return true }
                for word in Self.words(token.text) where words.contains(word) || numbers.contains(word) { return true }
            } else if words.contains(token.text) {
                return true
            } else if afterIdentityField && numbers.contains(token.text) {
                return true
            } else if Self.fieldNames.contains(token.text) {
                afterIdentityField = Self.identityFields.contains(token.text)
            }
        }
        return false
    }

    /// Every field name and alias of the audience language, lower-cased.
    static let fieldNames = Set(AudienceField.all.flatMap { [$0.name] + $0.aliases }.map { $0.lowercased() })
    /// The fields whose values name a customer.
    static let identityFields: Set<String> = ["customer", "customer_id", "email", "e-mail"]

    /// Letters, digits and `_ - . @ + / : # & %`: the audience language's bare-word characters.
    static func isWordCharacter(_ ch: Character) -> Bool {
        ch.isLetter || ch.isNumber || "_-.@+/:#&%".contains(ch)
    }

    /// The bare words and quoted strings of `text` (quotes `"`, `'`, `“…”`; a backslash escapes the next
    /// character; an unclosed string runs to the end of the line).
    static func tokens(_ text: String) -> [(text: String, quoted: Bool)] {
        var out: [(text: String, quoted: Bool)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == "\"" || ch == "'" || ch == "\u{201C}" || ch == "\u{201D}" {
                let close: Character = ch == "'" ? "'" : (ch == "\"" ? "\"" : "\u{201D}")
                i += 1
                var s = ""
                while i < chars.count {
                    let c = chars[i]
                    if c == close || (close == "\u{201D}" && c == "\"") { i += 1; break }
                    if c == "\n" { break }
                    if c == "\\" && i + 1 < chars.count { s.append(chars[i + 1]); i += 2; continue }
                    s.append(c)
                    i += 1
                }
                out.append((s.trimmingBlanks, true))
            } else if isWordCharacter(ch) {
                var s = ""
                while i < chars.count, isWordCharacter(chars[i]) { s.append(chars[i]); i += 1 }
                out.append((s, false))
            } else {
                i += 1
            }
        }
        return out
    }

    /// The words of `text` (runs of word characters).
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !isWordCharacter($0) }).map(String.init)
    }
}

extension String {
    /// The string without spaces, tabs and no-break spaces at either end.
    fileprivate var trimmingBlanks: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }
        guard let first = firstIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...lastIndex(where: { !isBlank($0) })!])
    }
}
