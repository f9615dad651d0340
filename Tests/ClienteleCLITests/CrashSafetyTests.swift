import Foundation
import Testing

/// Kills `clientele` with SIGKILL in the middle of a write and checks that the database then holds exactly the
/// content from before the command or exactly the content after it, and that the command can be run again.
/// The content is what the CLI shows of the store (docs/reliability.md): the customers report over all history,
/// the shop settings and the saved audiences. "old" and "new" are computed on clean copies of the same database,
/// one untouched and one where the command ran to the end; a killed copy must match one of them byte for byte.
@Suite("Crash safety: SIGKILL during a write leaves the old or the new content", .serialized)
struct CrashSafetyTests {
    /// The import's orders: 2,000 first, then 10,000 more of another seed whose ids 1001…3000 replace the first
    /// file's (both demo files number their orders from 1001).
    static let firstOrders = 2_000
    static let secondOrders = 10_000

    /// Copies the database `from` (with its `-wal` and `-shm` files when present, never its snapshot cache) to `to`.
    static func copyDatabase(_ ws: Workspace, _ from: String, _ to: String) throws {
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm", ".snapshot"] { try? fm.removeItem(atPath: ws.path(to + suffix)) }
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: ws.path(from + suffix)) {
            try fm.copyItem(atPath: ws.path(from + suffix), toPath: ws.path(to + suffix))
        }
    }

    /// Runs `args` and records an issue when the command does not exit 0.
    @discardableResult
    static func succeed(_ ws: Workspace, _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await ws.run(args)
        #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// What the CLI shows of the store in `db`: the customers report over all history (JSON), the shop settings and
    /// the saved audiences (JSON). With `dropTimestamps` the audiences' `createdAt`/`updatedAt` lines are left out
    /// (a new audience is stamped with the wall clock, so two clean runs differ there). A failing command makes
    /// the text say so, which then matches neither reference.
    static func content(_ ws: Workspace, _ db: String, dropTimestamps: Bool = false) async throws -> String {
        let report = try await ws.run(["report", "customers", "--db", db, "--from", "2000-01-01", "--to", "2100-01-01",
                                       "--as-of", "2100-01-01", "--top", "50", "--format", "json"])
        let shop = try await ws.run(["shop", "--db", db])
        let audiences = try await ws.run(["audience", "list", "--db", db, "--as-of", "2100-01-01", "--format", "json"])
        var text = ""
        for (name, r) in [("report", report), ("shop", shop), ("audiences", audiences)] {
            text += "== \(name)\n"
            guard r.succeeded else { text += "FAILED \(r)\n"; continue }
            var out = r.stdout
            if dropTimestamps {
                out = out.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains("\"createdAt\"") && !$0.contains("\"updatedAt\"") }
                    .joined(separator: "\n")
            }
            text += out + "\n"
        }
        return text
    }

    /// Starts `clientele args…` in `ws`, sends it SIGKILL after `delay` when it is still running, and waits for it
    /// to end. Returns whether the kill was sent while it ran.
    static func runKilled(_ ws: Workspace, _ args: [String], after delay: Duration) async throws -> Bool {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = args
        process.currentDirectoryURL = ws.url
        var env = ProcessInfo.processInfo.environment
        env["CLIENTELE_DB"] = nil
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in continuation.yield(); continuation.finish() }
        try process.run()
        if delay > .zero { try await Task.sleep(for: delay) }
        var killed = false
        if process.isRunning {
            killed = kill(process.processIdentifier, SIGKILL) == 0
        }
        for await _ in stream { break }
        return killed
    }

    /// The kill delays: `count` spread evenly over `duration` (the middle of each slice), plus a few at the very
    /// start and right at the end.
    static func delays(over duration: Duration, count: Int) -> [Duration] {
        var delays = (0..<count).map { duration * ((Double($0) + 0.5) / Double(count)) }
        delays += [.zero, .milliseconds(2), duration * 0.97, duration * 0.99]
        return delays
    }

    /// Tallies how many killed copies held the old and the new content.
    struct Outcomes: CustomStringConvertible {
        var old = 0, new = 0, neither = 0, killedWhileRunning = 0, newAfterKill = 0
        var description: String {
            "\(old + new + neither) kill points (\(killedWhileRunning) sent while running): \(old) old, \(new) new "
                + "(\(newAfterKill) of them killed while running), \(neither) neither"
        }
    }

    @Test("SIGKILL at 54 points of a 10,000-order import: the store is the old or the new one; importing again succeeds")
    func killedImport() async throws {
        try await Workspace.with { ws in
            try await Self.succeed(ws, ["demo", "--csv", "one.csv", "--no-db", "--orders", String(Self.firstOrders),
                                        "--seed", "1", "--end-date", "2025-06-30", "--quiet"])
            try await Self.succeed(ws, ["demo", "--csv", "two.csv", "--no-db", "--orders", String(Self.secondOrders),
                                        "--seed", "2", "--end-date", "2025-06-30", "--quiet"])
            try await Self.succeed(ws, ["shop", "--db", "a.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK"])
            try await Self.succeed(ws, ["import", "one.csv", "--db", "a.sqlite", "--rates", "one.rates.csv"])
            // The first look seeds the built-in audiences (stamped with the clock), so every copy shares them.
            _ = try await Self.content(ws, "a.sqlite")
            let old = try await Self.content(ws, "a.sqlite")
            #expect(!old.contains("FAILED"), "\(old)")

            let importTwo = ["import", "two.csv", "--db", "ref.sqlite", "--rates", "two.rates.csv"]
            try Self.copyDatabase(ws, "a.sqlite", "ref.sqlite")
            let duration = try await ContinuousClock().measure {
                let r = try await Self.succeed(ws, importTwo)
                // 10,000 new ids, of which the 2,000 of the first file are replaced.
                #expect(summaryRows(r.stdout)["Stored"] == "8000 inserted, 2000 replaced, 0 unchanged", "\(r)")
            }
            let new = try await Self.content(ws, "ref.sqlite")
            #expect(!new.contains("FAILED"), "\(new)")
            #expect(new != old)
            // The first run reads a cold file: time two more and spread the kills over the quickest.
            var quickest = duration
            for _ in 0..<2 {
                try Self.copyDatabase(ws, "a.sqlite", "t.sqlite")
                let args = ["import", "two.csv", "--db", "t.sqlite", "--rates", "two.rates.csv"]
                quickest = min(quickest, try await ContinuousClock().measure { try await Self.succeed(ws, args) })
            }

            var outcomes = Outcomes()
            for (k, delay) in Self.delays(over: quickest, count: 50).enumerated() {
                try Self.copyDatabase(ws, "a.sqlite", "k.sqlite")
                let args = ["import", "two.csv", "--db", "k.sqlite", "--rates", "two.rates.csv"]
                let killed = try await Self.runKilled(ws, args, after: delay)
                if killed { outcomes.killedWhileRunning += 1 }
                let after = try await Self.content(ws, "k.sqlite")
                if after == old { outcomes.old += 1 }
                else if after == new { outcomes.new += 1; if killed { outcomes.newAfterKill += 1 } }
                else {
                    outcomes.neither += 1
                    Issue.record("kill point \(k) after \(delay): the store is neither the old nor the new one:\n\(after)")
                }
                // The next import runs to the end and gives the new store.
                try await Self.succeed(ws, args)
                let again = try await Self.content(ws, "k.sqlite")
                #expect(again == new, "kill point \(k) after \(delay): importing again did not give the new store")
            }
            print("crash safety, import of \(Self.secondOrders) orders taking \(quickest): \(outcomes)")
            #expect(outcomes.neither == 0)
            #expect(outcomes.old + outcomes.new == 54)
        }
    }

    @Test("SIGKILL at 24 points of a shop-settings change: the settings are the old or the new ones; changing again succeeds")
    func killedSettingsChange() async throws {
        try await Workspace.with { ws in
            try await Self.succeed(ws, ["demo", "--csv", "one.csv", "--no-db", "--orders", String(Self.firstOrders),
                                        "--seed", "1", "--end-date", "2025-06-30", "--quiet"])
            try await Self.succeed(ws, ["shop", "--db", "a.sqlite", "--name", "Gammel Butik", "--timezone", "Europe/Copenhagen",
                                        "--currency", "DKK", "--locale", "da_DK"])
            try await Self.succeed(ws, ["import", "one.csv", "--db", "a.sqlite", "--rates", "one.rates.csv"])
            _ = try await Self.content(ws, "a.sqlite")
            let old = try await Self.content(ws, "a.sqlite")
            #expect(!old.contains("FAILED"), "\(old)")

            // The currency stays (the shop holds orders); the time zone moves every order's shop date.
            func change(_ db: String) -> [String] {
                ["shop", "--db", db, "--name", "Ny Butik", "--timezone", "America/New_York", "--locale", "en_US"]
            }
            try Self.copyDatabase(ws, "a.sqlite", "ref.sqlite")
            let duration = try await ContinuousClock().measure { try await Self.succeed(ws, change("ref.sqlite")) }
            let new = try await Self.content(ws, "ref.sqlite")
            #expect(!new.contains("FAILED"), "\(new)")
            #expect(new != old)
            #expect(new.contains("Ny Butik") && new.contains("America/New_York"))

            var outcomes = Outcomes()
            for (k, delay) in Self.delays(over: duration, count: 20).enumerated() {
                try Self.copyDatabase(ws, "a.sqlite", "k.sqlite")
                let killed = try await Self.runKilled(ws, change("k.sqlite"), after: delay)
                if killed { outcomes.killedWhileRunning += 1 }
                let after = try await Self.content(ws, "k.sqlite")
                if after == old { outcomes.old += 1 }
                else if after == new { outcomes.new += 1; if killed { outcomes.newAfterKill += 1 } }
                else {
                    outcomes.neither += 1
                    Issue.record("kill point \(k) after \(delay): the settings are neither the old nor the new ones:\n\(after)")
                }
                try await Self.succeed(ws, change("k.sqlite"))
                let again = try await Self.content(ws, "k.sqlite")
                #expect(again == new, "kill point \(k) after \(delay): changing again did not give the new settings")
            }
            print("crash safety, settings change taking \(duration): \(outcomes)")
            #expect(outcomes.neither == 0)
            #expect(outcomes.old + outcomes.new == 24)
        }
    }

    @Test("SIGKILL at 24 points of an audience save: the audiences are the old or the new ones; saving again succeeds")
    func killedAudienceSave() async throws {
        try await Workspace.with { ws in
            try await Self.succeed(ws, ["demo", "--csv", "one.csv", "--no-db", "--orders", String(Self.firstOrders),
                                        "--seed", "1", "--end-date", "2025-06-30", "--quiet"])
            try await Self.succeed(ws, ["shop", "--db", "a.sqlite", "--timezone", "Europe/Copenhagen", "--currency", "DKK"])
            try await Self.succeed(ws, ["import", "one.csv", "--db", "a.sqlite", "--rates", "one.rates.csv"])
            _ = try await Self.content(ws, "a.sqlite")
            let old = try await Self.content(ws, "a.sqlite", dropTimestamps: true)
            #expect(!old.contains("FAILED"), "\(old)")

            func create(_ db: String) -> [String] {
                ["audience", "create", "big-spenders", "--filter", "orders >= 2 and revenue > 1000", "--db", db]
            }
            try Self.copyDatabase(ws, "a.sqlite", "ref.sqlite")
            let duration = try await ContinuousClock().measure { try await Self.succeed(ws, create("ref.sqlite")) }
            let new = try await Self.content(ws, "ref.sqlite", dropTimestamps: true)
            #expect(!new.contains("FAILED"), "\(new)")
            #expect(new != old)
            #expect(new.contains("big-spenders"))

            var outcomes = Outcomes()
            for (k, delay) in Self.delays(over: duration, count: 20).enumerated() {
                try Self.copyDatabase(ws, "a.sqlite", "k.sqlite")
                let killed = try await Self.runKilled(ws, create("k.sqlite"), after: delay)
                if killed { outcomes.killedWhileRunning += 1 }
                let after = try await Self.content(ws, "k.sqlite", dropTimestamps: true)
                if after == old {
                    outcomes.old += 1
                    // Not saved: saving again succeeds.
                    try await Self.succeed(ws, create("k.sqlite"))
                } else if after == new {
                    outcomes.new += 1
                    if killed { outcomes.newAfterKill += 1 }
                    // Saved: the name is taken, and saying so changes nothing.
                    let r = try await ws.run(create("k.sqlite"))
                    #expect(r.status != 0, "kill point \(k): a second audience of the same name was accepted:\n\(r)")
                } else {
                    outcomes.neither += 1
                    Issue.record("kill point \(k) after \(delay): the audiences are neither the old nor the new ones:\n\(after)")
                }
                let again = try await Self.content(ws, "k.sqlite", dropTimestamps: true)
                #expect(again == new, "kill point \(k) after \(delay): saving again did not give the new audiences")
            }
            print("crash safety, audience save taking \(duration): \(outcomes)")
            #expect(outcomes.neither == 0)
            #expect(outcomes.old + outcomes.new == 24)
        }
    }
}
