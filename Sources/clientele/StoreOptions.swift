import ArgumentParser
import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation

/// The `--db` option every command that reads or writes a shop shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The shop's database file (SQLite). Default: $CLIENTELE_DB.", valueName: "PATH"))
    var db: String?

    /// The database path from the flag, else the environment.
    func path() throws -> String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["CLIENTELE_DB"], !env.isEmpty { return env }
        throw ValidationError("Name the shop's database with --db PATH (or set CLIENTELE_DB). Try `clientele demo` for a demo shop.")
    }

    /// Opens (creating when `create`) the store.
    func open(create: Bool) throws -> SQLiteOrderStore {
        try Self.open(path: path(), create: create)
    }

    /// Opens (creating when `create`) the store at `path`.
    static func open(path: String, create: Bool) throws -> SQLiteOrderStore {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError("There is no database at \(path). Import orders first (clientele import FILE --db \(path)) or create a demo shop (clientele demo --db \(path)).")
        }
        return try SQLiteOrderStore(path: path)
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
