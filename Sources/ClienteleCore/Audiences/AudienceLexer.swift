/// One token of an audience filter, with where it starts.
struct AudienceToken: Sendable, Equatable {
    /// What kind of token.
    enum Kind: Sendable, Equatable {
        /// A bare word: a field, keyword, number, date, duration or unquoted value.
        case word
        /// A quoted string (`text` is its content, escapes resolved).
        case string
        /// `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=` (`text` is the operator as written).
        case comparison
        /// `(`.
        case open
        /// `)`.
        case close
        /// `,`.
        case comma
        /// The end of the filter.
        case end
    }

    var kind: Kind
    var text: String
    var line: Int
    var column: Int

    /// The token as an error message quotes it: `"abc"`, `"("`, or `the end of the filter`.
    var quoted: String {
        switch kind {
        case .end: return "the end of the filter"
        default: return "\"" + text + "\""
        }
    }

    /// Whether this is the bare word `w` (case-insensitive).
    func isWord(_ w: String) -> Bool { kind == .word && text.lowercased() == w }
}

/// Splits an audience filter into tokens.
enum AudienceLexer {
    /// The tokens of `source`, ending with `.end`; throws on a stray character or an unclosed string.
    static func tokens(_ source: String) throws(AudienceFilterError) -> [AudienceToken] {
        let chars = Array(source)
        var out: [AudienceToken] = []
        var i = 0, line = 1, column = 1
        func advance() {
            if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        while i < chars.count {
            let ch = chars[i]
            if ch.isWhitespace { advance(); continue }
            let startLine = line, startColumn = column
            func token(_ kind: AudienceToken.Kind, _ text: String) -> AudienceToken {
                AudienceToken(kind: kind, text: text, line: startLine, column: startColumn)
            }
            switch ch {
            case "(": out.append(token(.open, "(")); advance()
            case ")": out.append(token(.close, ")")); advance()
            case ",": out.append(token(.comma, ",")); advance()
            case "=", "<", ">", "!":
                var op = String(ch)
                advance()
                if i < chars.count, chars[i] == "=" || (ch == "<" && chars[i] == ">") {
                    op.append(chars[i]); advance()
                }
                if op == "!" {
                    throw AudienceFilterError(.unexpectedCharacter, "unexpected character \"!\"; write != for not equal, or not",
                                              line: startLine, column: startColumn, source: source)
                }
                out.append(token(.comparison, op))
            case "\"", "'", "\u{201C}", "\u{201D}":
                let close: Character = ch == "'" ? "'" : (ch == "\"" ? "\"" : "\u{201D}")
                advance()
                var text = ""
                var closed = false
                while i < chars.count {
                    let c = chars[i]
                    if c == close || (close == "\u{201D}" && c == "\"") { advance(); closed = true; break }
                    if c == "\\" && i + 1 < chars.count { advance(); text.append(chars[i]); advance(); continue }
                    if c == "\n" { break }
                    text.append(c)
                    advance()
                }
                if !closed {
                    throw AudienceFilterError(.unterminatedString, "this string has no closing quote",
                                              line: startLine, column: startColumn, source: source)
                }
                out.append(token(.string, text))
            default:
                guard isWordCharacter(ch) else {
                    throw AudienceFilterError(.unexpectedCharacter, "unexpected character \"\(ch)\"",
                                              line: startLine, column: startColumn, source: source)
                }
                var text = ""
                while i < chars.count, isWordCharacter(chars[i]) { text.append(chars[i]); advance() }
                out.append(token(.word, text))
            }
        }
        out.append(AudienceToken(kind: .end, text: "", line: line, column: column))
        return out
    }

    /// Letters, digits and `_ - . @ + / :` make up bare words (product ids, dates, e-mail parts).
    static func isWordCharacter(_ ch: Character) -> Bool {
        ch.isLetter || ch.isNumber || "_-.@+/:#&%".contains(ch)
    }
}
