/// A failure while writing demo files; `description` is the sentence the user reads.
public struct DemoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, RawRepresentable {
        /// The code's name.
        public var rawValue: String
        /// A code with the given name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A file could not be opened for writing.
        public static let cannotOpen = Code(rawValue: "cannotOpen")
        /// Writing to an open file failed.
        public static let writeFailed = Code(rawValue: "writeFailed")
    }

    /// The kind of failure.
    public var code: Code
    /// The message for the user, naming the file.
    public var description: String

    /// An error of `code` with the user-facing `description`.
    public init(code: Code, description: String) {
        self.code = code
        self.description = description
    }
}
