/// One problem found while importing: where it is (file, line, column, value) and the sentence the user reads.
///
/// `description` is exactly what is shown, e.g. `orders.csv:1043: quantity "two" is not a whole number`.
public struct ImportError: Error, CustomStringConvertible, Hashable, Sendable {
    /// What kind of problem this is; a growable set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `invalidQuantity`.
        public let name: String
        /// A code named `name`.
        public init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }

        /// The file does not exist or cannot be read.
        public static let unreadableFile = Code("unreadableFile")
        /// The file has no bytes (or only a byte order mark).
        public static let emptyFile = Code("emptyFile")
        /// The file has a header but no data rows.
        public static let noOrders = Code("noOrders")
        /// A quoted field is never closed, or text follows a closing quote.
        public static let badQuote = Code("badQuote")
        /// A byte order mark in the middle of the file.
        public static let byteOrderMark = Code("byteOrderMark")
        /// Bytes that are not UTF-8.
        public static let invalidUTF8 = Code("invalidUTF8")
        /// A record whose field count differs from the header's.
        public static let fieldCount = Code("fieldCount")
        /// A record longer than the limit.
        public static let lineTooLong = Code("lineTooLong")
        /// The same column name twice in the header.
        public static let duplicateColumn = Code("duplicateColumn")
        /// Required columns are missing from the header.
        public static let missingColumns = Code("missingColumns")
        /// The header matches no known format.
        public static let unknownFormat = Code("unknownFormat")
        /// A required field is empty.
        public static let emptyField = Code("emptyField")
        /// A timestamp that cannot be read, has no offset or names no real date and time.
        public static let invalidTimestamp = Code("invalidTimestamp")
        /// A status other than placed or cancelled.
        public static let invalidStatus = Code("invalidStatus")
        /// A currency code that is not ISO 4217.
        public static let invalidCurrency = Code("invalidCurrency")
        /// An amount that is not a decimal, has too many decimals, is too large or is negative.
        public static let invalidAmount = Code("invalidAmount")
        /// A quantity that is not a whole number in range.
        public static let invalidQuantity = Code("invalidQuantity")
        /// A country that is not a two-letter code.
        public static let invalidCountry = Code("invalidCountry")
        /// Lines of one order that disagree on an order-level field.
        public static let disagreement = Code("disagreement")
        /// An order in a foreign currency with no rate to convert it.
        public static let missingRate = Code("missingRate")
        /// A rate table line that cannot be used.
        public static let invalidRate = Code("invalidRate")
        /// A converted amount that does not fit.
        public static let conversionOverflow = Code("conversionOverflow")
        /// The shop's stored reporting currency is not a known code.
        public static let invalidSettings = Code("invalidSettings")
        /// The import's amounts add up to more than one import may hold.
        public static let sumTooLarge = Code("sumTooLarge")
        /// The header has more columns than an order file may have.
        public static let tooManyColumns = Code("tooManyColumns")
    }

    /// The kind of problem.
    public var code: Code
    /// The file's name as given by the user.
    public var file: String
    /// The physical line (header = 1), when the problem has one.
    public var line: Int?
    /// The column's name, when the problem is in one field.
    public var column: String?
    /// The offending value, when there is one.
    public var value: String?
    /// The sentence after the location, e.g. `quantity "two" is not a whole number`.
    public var message: String

    /// An error of kind `code` at `file:line` with the user-facing `message`.
    public init(_ code: Code, file: String, line: Int? = nil, column: String? = nil, value: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    /// `file:line: message` (or `file: message` without a line).
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Why an import was rejected: the first errors found (up to a limit) and how many there were in all.
/// Nothing is written to the store when this is thrown.
public struct ImportFailure: Error, CustomStringConvertible, Sendable {
    /// The errors kept, in the order found (at most `ImportFailure.limit`).
    public var errors: [ImportError]
    /// How many errors were found in all.
    public var totalCount: Int

    /// How many errors are kept per run.
    public static let limit = 100

    /// A failure listing `errors` out of `totalCount`.
    public init(errors: [ImportError], totalCount: Int? = nil) {
        self.errors = errors
        self.totalCount = totalCount ?? errors.count
    }

    /// The errors, one per line, then `… and N more` when some were left out.
    public var description: String {
        var lines = errors.map(\.description)
        if totalCount > errors.count { lines.append("… and \(totalCount - errors.count) more") }
        return lines.joined(separator: "\n")
    }
}

/// Collects errors up to the limit and counts the rest.
struct ErrorLog {
    var errors: [ImportError] = []
    var total = 0

    mutating func add(_ error: ImportError) {
        total += 1
        if errors.count < ImportFailure.limit { errors.append(error) }
    }

    var isEmpty: Bool { total == 0 }

    var failure: ImportFailure { ImportFailure(errors: errors, totalCount: total) }
}

/// Shows a field's value in a message: quoted, shortened when very long.
func quoted(_ value: String) -> String {
    if value.count > 60 { return "\"" + value.prefix(57) + "…\"" }
    return "\"" + value + "\""
}
