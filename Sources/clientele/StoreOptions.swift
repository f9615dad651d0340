import ArgumentParser
import ClienteleCore
import ClientelePostgres
import ClienteleServer
import ClienteleSQLite
import ClienteleStore
import Foundation

/// The `--db` option every command that reads or writes a shop shares: a SQLite file or a PostgreSQL URL
/// (docs/postgres.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The shop's database: a SQLite file, or a PostgreSQL URL (postgres://user:password@host:5432/database). Default: $CLIENTELE_DATABASE_URL, else $CLIENTELE_DB.", valueName: "PATH|URL"))
    var db: String?

    /// The database from the flag, else `CLIENTELE_DATABASE_URL`, else `CLIENTELE_DB`: a file path or a URL.
    func path() throws -> String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        for name in ["CLIENTELE_DATABASE_URL", "CLIENTELE_DB"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        throw ValidationError("Name the shop's database with --db PATH (a SQLite file) or --db postgres://… (or set CLIENTELE_DATABASE_URL or CLIENTELE_DB). Try `clientele demo` for a demo shop.")
    }

    /// Opens (creating when `create`) the store.
    func open(create: Bool) throws -> any OrderStore {
        try Self.open(path: path(), create: create)
    }

    /// Whether `path` names a PostgreSQL database (postgres:// or postgresql://) rather than a SQLite file.
    static func isPostgres(_ path: String) -> Bool { PostgresLocation.isURL(path) }

    /// Opens the store at `path`: a SQLite file (created when `create`; a missing file is an error otherwise), or
    /// a PostgreSQL database (whose tables are created on first use; connecting happens then too).
    static func open(path: String, create: Bool) throws -> any OrderStore {
        if isPostgres(path) {
            return try PostgresOrderStore(url: path)
        }
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError("There is no database at \(path). Import orders first (clientele import FILE --db \(path)) or create a demo shop (clientele demo --db \(path)).")
        }
        return try SQLiteOrderStore(path: path)
    }

    /// Whether the database at `path` exists already: a SQLite file on disk; a PostgreSQL database always
    /// (Clientele never creates the database itself, only its tables).
    static func exists(_ path: String) -> Bool {
        isPostgres(path) || FileManager.default.fileExists(atPath: path)
    }

    /// `path` as messages show it: a PostgreSQL URL without its password.
    static func display(_ path: String) -> String {
        isPostgres(path) ? PostgresLocation.redact(path) : path
    }

    /// Where the files derived from the shop live, without their extension (`.snapshot`, `.model.json`): beside a
    /// SQLite file (PATH.snapshot), and for PostgreSQL in this user's cache directory,
    /// `$XDG_CACHE_HOME/clientele/<hash of the URL without its password>/shop` (~/.cache when XDG_CACHE_HOME is
    /// unset), created on demand.
    static func filesBase(for path: String) -> String {
        guard isPostgres(path) else { return path }
        let key = (try? PostgresLocation(url: path).description) ?? PostgresLocation.redact(path)
        let environment = ProcessInfo.processInfo.environment
        let cacheHome = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()) + "/.cache"
        let directory = cacheHome + "/clientele/" + stableHash(key)
        // Only this user may look inside: the snapshot there holds customer data.
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        return directory + "/shop"
    }

    /// The snapshot cache file of the shop at `path`.
    static func snapshotPath(for path: String) -> String { filesBase(for: path) + ".snapshot" }

    /// The saved fit (`clientele fit`) of the shop at `path`.
    static func modelPath(for path: String) -> String { filesBase(for: path) + ".model.json" }

    /// The shop at `path` ready to serve: the store, its snapshot cache, the built-in audiences seeded.
    static func openServerShop(path: String, requireSignIn: Bool = false) async throws -> ShopService {
        if isPostgres(path) {
            let store = try PostgresOrderStore(url: path)
            try await store.prepare()
            return try await ClienteleServer.openShop(store: store, cachePath: snapshotPath(for: path), requireSignIn: requireSignIn)
        }
        return try await ClienteleServer.openShop(path: path, requireSignIn: requireSignIn)
    }

    /// FNV-1a of `text`'s bytes as 16 hex digits: the same on every run (Swift's `Hasher` is seeded per process).
    private static func stableHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// An error whose text is exactly what the user reads.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Whether standard output is a terminal (colour and progress bars only then).
var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
/// Whether standard error is a terminal.
var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
