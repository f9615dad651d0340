import Foundation
import Testing

/// `clientele token` and `clientele user`: secrets shown once and stored only as hashes; `serve` refuses a
/// non-loopback address until someone can sign in.
@Suite("clientele token and user")
struct AccessCLITests {
    /// Whether the file at `path` (or its WAL beside it) contains `text`'s bytes.
    static func fileContains(_ path: String, _ text: String) throws -> Bool {
        var found = false
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            found = found || data.range(of: Data(text.utf8)) != nil
        }
        return found
    }

    @Test func aTokenIsPrintedOnceListedByIdAndStoredOnlyAsAHash() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "300", "--seed", "2", "--end-date", "2025-06-30", "--quiet")
            let created = try await ws.succeed("token", "create", "--role", "viewer", "--name", "weekly report", "--db", "shop.sqlite")
            let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("clt_") && token.count == 47)
            #expect(created.stderr.contains("only time the token is shown"))
            let list = try await ws.succeed("token", "list", "--db", "shop.sqlite")
            #expect(list.stdout.contains("viewer") && list.stdout.contains("weekly report"))
            #expect(!list.stdout.contains(token) && !list.stdout.contains(String(token.dropFirst(4).prefix(20))))
            #expect(try !Self.fileContains(ws.path("shop.sqlite"), String(token.dropFirst(4))), "the secret is not in the database")
            let id = try #require(list.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
            #expect(id.hasPrefix("tok_"))
            try await ws.succeed("token", "revoke", id, "--db", "shop.sqlite")
            #expect(try await ws.succeed("token", "list", "--db", "shop.sqlite").stdout == "No tokens.\n")
            let again = try await ws.run("token", "revoke", id, "--db", "shop.sqlite")
            #expect(!again.succeeded && again.stderr.contains("There is no token \(id)"))
            let badRole = try await ws.run("token", "create", "--role", "owner", "--db", "shop.sqlite")
            #expect(!badRole.succeeded)
        }
    }

    @Test func aUsersPasswordIsStoredOnlyAsAnScryptHash() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "300", "--seed", "2", "--end-date", "2025-06-30", "--quiet")
            let password = "Tr0ub4dor&3-horse"
            let added = try await CLI.run(["user", "add", "anna", "--role", "admin", "--password-stdin", "--db", "shop.sqlite"],
                                          in: ws.url, input: password + "\n")
            #expect(added.succeeded, "\(added)")
            #expect(added.stdout == "Added anna (admin).\n")
            #expect(try !Self.fileContains(ws.path("shop.sqlite"), password))
            #expect(try Self.fileContains(ws.path("shop.sqlite"), "scrypt$15$8$1$"))
            let short = try await CLI.run(["user", "add", "bo", "--role", "viewer", "--password-stdin", "--db", "shop.sqlite"],
                                          in: ws.url, input: "short\n")
            #expect(!short.succeeded && short.stderr.contains("at least 10 characters"))
            let noTerminal = try await ws.run("user", "add", "bo", "--role", "viewer", "--db", "shop.sqlite")
            #expect(!noTerminal.succeeded && noTerminal.stderr.contains("--password-stdin"))
            let changed = try await CLI.run(["user", "add", "anna", "--role", "viewer", "--password-stdin", "--db", "shop.sqlite"],
                                            in: ws.url, input: "another long password\n")
            #expect(changed.stdout == "Changed anna (viewer); their sessions ended.\n")
            let list = try await ws.succeed("user", "list", "--db", "shop.sqlite")
            #expect(list.stdout.contains("anna") && list.stdout.contains("viewer") && !list.stdout.contains("bo "))
            try await ws.succeed("user", "remove", "anna", "--db", "shop.sqlite")
            #expect(try await ws.succeed("user", "list", "--db", "shop.sqlite").stdout == "No users.\n")
        }
    }

    @Test func serveRefusesAnOutsideAddressUntilSomeoneCanSignIn() async throws {
        try await Workspace.with { ws in
            try await ws.succeed("demo", "--db", "shop.sqlite", "--orders", "300", "--seed", "2", "--end-date", "2025-06-30", "--quiet")
            let refused = try await ws.run("serve", "--db", "shop.sqlite", "--host", "0.0.0.0", "--port", "1")
            #expect(!refused.succeeded)
            #expect(refused.stderr.contains("every request must sign in first"))
            let forced = try await ws.run("serve", "--db", "shop.sqlite", "--require-sign-in", "--port", "1")
            #expect(!forced.succeeded && forced.stderr.contains("needs someone to sign in"))
        }
    }
}
