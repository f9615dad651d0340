import ClienteleCore

/// A saved, named audience filter (METRICS.md, "Audiences"; the language is in docs/audiences.md).
public struct SavedAudience: Hashable, Sendable {
    /// The audience's name, unique per shop (compared by bytes).
    public var name: String
    /// The filter text as the user wrote it.
    public var filter: String
    /// When it was first saved (given by the caller; the store has no clock).
    public var createdAt: Instant
    /// When it was last changed.
    public var updatedAt: Instant
    /// Whether it is one of the built-in audiences a new shop starts with (still editable and deletable).
    public var builtIn: Bool

    /// An audience `name` with `filter`.
    public init(name: String, filter: String, createdAt: Instant, updatedAt: Instant, builtIn: Bool = false) {
        self.name = name
        self.filter = filter
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.builtIn = builtIn
    }

    /// Checks the rules every store enforces: a non-empty name of at most 200 characters without control
    /// characters, a non-empty filter. Throws `StoreError.Code.invalidAudience`.
    public static func validate(_ audience: SavedAudience) throws(StoreError) {
        let name = audience.name
        if name.trimmingSpaces.isEmpty { throw StoreError(.invalidAudience, "an audience needs a name") }
        if name.count > 200 { throw StoreError(.invalidAudience, "the audience name is longer than 200 characters") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw StoreError(.invalidAudience, "the audience name contains a control character")
        }
        if audience.filter.trimmingSpaces.isEmpty {
            throw StoreError(.invalidAudience, "audience \"\(name)\" has an empty filter")
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingSpaces: Substring {
        let s = self[...]
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = s.firstIndex(where: { !isSpace($0) }), let end = s.lastIndex(where: { !isSpace($0) }) else { return "" }
        return s[start...end]
    }
}
