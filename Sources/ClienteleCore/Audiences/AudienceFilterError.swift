/// A filter that cannot be read, with where: `description` is what the user reads, e.g.
///
///     filter:1:27: expected a number after ">=", found "abc"
///       orders >= 2 and revenue >= abc
///                                  ^
public struct AudienceFilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of mistake this is; a growable set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Nothing but blanks.
        public static let emptyFilter = Code("emptyFilter")
        /// A character that starts no token (`$`, `;` …).
        public static let unexpectedCharacter = Code("unexpectedCharacter")
        /// A quoted string without its closing quote.
        public static let unterminatedString = Code("unterminatedString")
        /// A field name is missing or unknown.
        public static let unknownField = Code("unknownField")
        /// The operator after a field is missing or does not apply to it.
        public static let badOperator = Code("badOperator")
        /// A value is missing or of the wrong kind (a word where a number belongs …).
        public static let badValue = Code("badValue")
        /// A parenthesis is missing, or something follows where `and`, `or` or the end belongs.
        public static let badStructure = Code("badStructure")
        /// The filter is longer than `AudienceFilter.maxLength` characters.
        public static let tooLong = Code("tooLong")
        /// Parentheses and `not` nest deeper than `AudienceFilter.maxDepth`.
        public static let tooDeep = Code("tooDeep")

        /// The code's name.
        public var description: String { name }
    }

    /// The kind of mistake.
    public var code: Code
    /// The sentence without the location, e.g. `expected a number after ">=", found "abc"`.
    public var message: String
    /// 1-based line of the mistake in the filter text.
    public var line: Int
    /// 1-based column (in characters) of the mistake.
    public var column: Int
    /// The filter line the mistake is on (for the caret display).
    public var sourceLine: String

    /// An error of `code` at `line`:`column` of `source`.
    public init(_ code: Code, _ message: String, line: Int, column: Int, source: String) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        sourceLine = line - 1 < lines.count ? String(lines[line - 1]).replacingTrailingCR() : ""
    }

    /// `filter:LINE:COLUMN: message`.
    public var location: String { "filter:\(line):\(column): \(message)" }

    /// The location line, then the filter line and a caret under the mistake (each indented by two spaces).
    public var description: String {
        var caret = ""
        for (i, ch) in sourceLine.enumerated() where i < column - 1 { caret.append(ch == "\t" ? "\t" : " ") }
        if sourceLine.count < column - 1 { caret += String(repeating: " ", count: column - 1 - sourceLine.count) }
        // Control characters other than tabs could move a terminal's cursor: show them as U+FFFD.
        let shown = String(String.UnicodeScalarView(sourceLine.unicodeScalars.map {
            $0 == "\t" || !TextTable.isControl($0) ? $0 : "\u{FFFD}"
        }))
        return location + "\n  " + shown + "\n  " + caret + "^"
    }
}

extension String {
    /// The string without one trailing carriage return.
    fileprivate func replacingTrailingCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
