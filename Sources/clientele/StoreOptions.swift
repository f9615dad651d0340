import ArgumentParser
import ClienteleCore
import ClientelePostgres
import ClienteleServer
import ClienteleSQLite
import ClienteleStore
import Foundation

/// The `--db` and `--shop` options every command that reads or writes a shop shares: a SQLite file or a
/// PostgreSQL URL (docs/postgres.md), and the shop in it (docs/shops.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The shop's database: a SQLite file, or a PostgreSQL URL (postgres://user:password@host:5432/database). Default: $CLIENTELE_DATABASE_URL, else $CLIENTELE_DB.", valueName: "PATH|URL"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The shop in the database, by its handle (clientele shop list). Default: $CLIENTELE_SHOP, else the database's only shop.", valueName: "NAME"))
    var shop: String?

    /// The database from the flag, else `CLIENTELE_DATABASE_URL`, else `CLIENTELE_DB`: a file path or a URL.
    func path() throws -> String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        for name in ["CLIENTELE_DATABASE_URL", "CLIENTELE_DB"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        throw ValidationError("Name the shop's database with --db PATH (a SQLite file) or --db postgres://… (or set CLIENTELE_DATABASE_URL or CLIENTELE_DB). Try `clientele demo` for a demo shop.")
    }

    /// The shop named by `--shop`, else by `CLIENTELE_SHOP`; nil when neither names one.
    func namedShop() -> String? { Self.namedShop(shop) }

    /// `flag`, else `CLIENTELE_SHOP` (empty counts as unset).
    static func namedShop(_ flag: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment["CLIENTELE_SHOP"], !value.isEmpty { return value }
        return nil
    }

    /// Opens the shop's store: see `ShopTarget.resolve` for which shop and what is created.
    func open(_ creating: ShopTarget.Creating) async throws -> any OrderStore {
        try await resolve(creating).store
    }

    /// The shop named by the options (or the database's only shop) and its store.
    func resolve(_ creating: ShopTarget.Creating) async throws -> (target: ShopTarget, store: any OrderStore) {
        try await ShopTarget.resolve(path: path(), named: namedShop(), creating: creating)
    }

    /// Whether `path` names a PostgreSQL database (postgres:// or postgresql://) rather than a SQLite file.
    static func isPostgres(_ path: String) -> Bool { PostgresLocation.isURL(path) }

    /// The message for a SQLite file that does not exist.
    static func missingDatabaseMessage(_ path: String) -> String {
        "There is no database at \(path). Import orders first (clientele import FILE --db \(path)) or create a demo shop (clientele demo --db \(path))."
    }

    /// Opens the database at `path` with its shops: a SQLite file (created when `create`; a missing file is an
    /// error otherwise), or a PostgreSQL database (whose tables are created on first use; connecting happens then).
    static func openDatabase(path: String, create: Bool) throws -> any ShopDatabase {
        if isPostgres(path) {
            return try PostgresShopDatabase(url: path)
        }
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError(missingDatabaseMessage(path))
        }
        return try SQLiteShopDatabase(path: path)
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

    /// Where the files derived from shop `shop` live, without their extension (`.snapshot`, `.model.json`): beside
    /// a SQLite file (PATH for the shop "default", PATH.<handle> for the others), and for PostgreSQL in this user's
    /// cache directory, `$XDG_CACHE_HOME/clientele/<hash of the URL without its password>/shop` (`shop.<handle>`
    /// for shops other than "default"; ~/.cache when XDG_CACHE_HOME is unset), created on demand.
    static func filesBase(for path: String, shop: String = ShopHandle.defaultHandle) -> String {
        let suffix = shop == ShopHandle.defaultHandle ? "" : "." + shop
        guard isPostgres(path) else { return path + suffix }
        let key = (try? PostgresLocation(url: path).description) ?? PostgresLocation.redact(path)
        let environment = ProcessInfo.processInfo.environment
        let cacheHome = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()) + "/.cache"
        let directory = cacheHome + "/clientele/" + stableHash(key)
        // Only this user may look inside: the snapshot there holds customer data.
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        return directory + "/shop" + suffix
    }

    /// The snapshot cache file of shop `shop` of the database at `path`.
    static func snapshotPath(for path: String, shop: String = ShopHandle.defaultHandle) -> String {
        filesBase(for: path, shop: shop) + ".snapshot"
    }

    /// The saved fit (`clientele fit`) of shop `shop` of the database at `path`.
    static func modelPath(for path: String, shop: String = ShopHandle.defaultHandle) -> String {
        filesBase(for: path, shop: shop) + ".model.json"
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

/// Prints rows (the first is the header) as columns two spaces apart, left-aligned but for the `rightAligned`
/// column indexes, without trailing blanks; control characters are shown as "?".
func printColumns(_ rows: [[String]], rightAligned: Set<Int> = []) {
    let clean = rows.map { $0.map { String($0.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) }) } }
    let widths = (0..<(clean.first?.count ?? 0)).map { i in clean.map { $0[i].count }.max() ?? 0 }
    for row in clean {
        let cells = row.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return rightAligned.contains(i) ? pad + cell : cell + pad
        }
        var line = cells.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        print(line)
    }
}
