/// Why a serialized snapshot was refused. A refused snapshot is rebuilt from the store, never trusted.
public struct SnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The data does not start with the snapshot magic `CLSNAP`.
        public static let notASnapshot = Code(name: "notASnapshot")
        /// The snapshot was written in a format version this build does not read.
        public static let unsupportedVersion = Code(name: "unsupportedVersion")
        /// The data ends before the snapshot does (or has bytes after it).
        public static let truncated = Code(name: "truncated")
        /// A checksum does not match: the bytes were changed after writing.
        public static let checksumMismatch = Code(name: "checksumMismatch")
        /// The checksums match but the content is inconsistent (counts, offsets or ids out of range).
        public static let malformed = Code(name: "malformed")

        public var description: String { name }
    }

    /// The kind of problem.
    public var code: Code
    /// The sentence shown to the user.
    public var description: String

    /// An error of `code` described by `description`.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
