/// An error from an order store. `description` is the sentence a user reads: it never contains SQL or
/// customer data; `debugDescription` adds the underlying cause for logs.
public struct StoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is; a growable set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The database file could not be opened or created.
        public static let cannotOpen = Code("cannotOpen")
        /// The file is not a Clientele database (not SQLite, or another application's database).
        public static let notAClienteleDatabase = Code("notAClienteleDatabase")
        /// The database was written by a newer Clientele (it has migrations this version does not know).
        public static let newerDatabase = Code("newerDatabase")
        /// An order breaks a store rule (negative total, returned more than bought, …).
        public static let invalidOrder = Code("invalidOrder")
        /// The same order id appears twice in one batch.
        public static let duplicateOrderId = Code("duplicateOrderId")
        /// Stored data cannot be read back (damaged or edited by hand).
        public static let corruptData = Code("corruptData")
        /// An audience breaks a store rule (empty name or filter).
        public static let invalidAudience = Code("invalidAudience")
        /// A shop handle breaks the rule (1–64 characters of a-z, 0-9, - and _).
        public static let invalidShopHandle = Code("invalidShopHandle")
        /// The database holds no shop with the handle asked for.
        public static let noSuchShop = Code("noSuchShop")
        /// A token, user or session breaks a store rule (an empty or too long name, a token id taken).
        public static let invalidCredential = Code("invalidCredential")
        /// Any other storage failure (disk full, I/O error, database busy …).
        public static let storageFailure = Code("storageFailure")

        /// The code's name, e.g. `invalidOrder`.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// The safe, user-facing sentence.
    public var message: String
    /// The underlying cause, for logs only (may contain SQL).
    public var underlying: String?

    /// An error of `code` with the user-facing `message` and an optional cause for logs.
    public init(_ code: Code, _ message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The user-facing sentence (`message`).
    public var description: String { message }

    /// The sentence with its code and underlying cause, for logs.
    public var debugDescription: String {
        guard let underlying else { return "StoreError.\(code): \(message)" }
        return "StoreError.\(code): \(message) (\(underlying))"
    }
}
