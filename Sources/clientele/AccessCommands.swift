import ArgumentParser
import ClienteleCore
import ClienteleServer
import ClienteleStore
import Foundation

extension AccessRole: ExpressibleByArgument {}

/// `clientele token …`: API tokens for `serve` (docs/access.md).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens: create (shown once), list and revoke.",
        discussion: """
        Only a hash of each token is stored; the token itself is printed once, by create. Once the database holds
        a token (or a dashboard user), every request to clientele serve must send one:
          curl -H "Authorization: Bearer TOKEN" http://127.0.0.1:8080/api/v1/customers
        Examples:
          clientele token create --role viewer --name "weekly report" --db shop.sqlite
          clientele token list --db shop.sqlite
          clientele token revoke tok_AbC123xYz0 --db shop.sqlite
        """,
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self]
    )

    /// The store of the options' shop (`--db`, `--shop`) as an access store.
    static func open(_ options: StoreOptions) async throws -> any AccessStore {
        guard let store = try await options.open(.nothing) as? any AccessStore else {
            throw CLIError("This database cannot hold tokens or users.")
        }
        return store
    }
}

/// `clientele token create`.
struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token and print it (once).")
    @OptionGroup var store: StoreOptions
    @Option(help: "viewer (reads every page and figure) or admin (also imports, changes settings and audiences).")
    var role: AccessRole
    @Option(help: "A label for people, e.g. the script that uses it.") var name: String = ""

    func run() async throws {
        let access = try await TokenCommand.open(store)
        let token = Credentials.newToken()
        try await access.createToken(AccessToken(id: token.id, name: name, role: role, hash: token.hash,
                                                 createdAt: AudienceSupport.nowInstant()))
        print(token.secret)
        printError("Created \(role.rawValue) token \(token.id). This is the only time the token is shown: keep it in a password manager or a secret store.")
    }
}

/// `clientele token list`.
struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (never the secrets).")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let tokens = try await TokenCommand.open(store).listTokens()
        if tokens.isEmpty { print("No tokens."); return }
        printColumns([["id", "role", "created (UTC)", "name"]]
            + tokens.map { [$0.id, $0.role.rawValue, $0.createdAt.description, $0.name] })
    }
}

/// `clientele token revoke ID`.
struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: it stops working at once.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The token's id (clientele token list).") var id: String

    func run() async throws {
        guard try await TokenCommand.open(store).revokeToken(id: id) else {
            throw CLIError("There is no token \(id); clientele token list shows the ids.")
        }
        print("Revoked \(id).")
    }
}

/// `clientele user …`: people who sign in to the dashboard (docs/access.md).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Dashboard users: add (or change a password or role), list and remove.",
        discussion: """
        Passwords are stored only as scrypt hashes. The password is asked for on the terminal, or read from the
        first line of standard input with --password-stdin.
        Examples:
          clientele user add anna --role admin --db shop.sqlite
          printf '%s\\n' "$PASSWORD" | clientele user add bo --role viewer --password-stdin --db shop.sqlite
          clientele user list --db shop.sqlite
          clientele user remove bo --db shop.sqlite
        """,
        subcommands: [UserAdd.self, UserList.self, UserRemove.self]
    )
}

/// `clientele user add NAME`.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user, or give an existing one a new password and role (ending their sessions).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The sign-in name.") var name: String
    @Option(help: "viewer or admin.") var role: AccessRole
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    /// The fewest characters a password may have.
    static let minimumPasswordLength = 10

    func run() async throws {
        let access = try await TokenCommand.open(store)
        let password = try passwordStdin ? readLine(strippingNewline: true) ?? "" : Self.ask("Password for \(name): ")
        guard password.count >= Self.minimumPasswordLength else {
            throw CLIError("The password is too short: use at least \(Self.minimumPasswordLength) characters.")
        }
        if !passwordStdin, try Self.ask("Once more: ") != password { throw CLIError("The two passwords differ; nothing changed.") }
        let existed = try await access.user(name: name) != nil
        try await access.saveUser(AccessUser(name: name, role: role, passwordHash: try Credentials.hashPassword(password),
                                             createdAt: AudienceSupport.nowInstant()))
        print(existed ? "Changed \(name) (\(role.rawValue)); their sessions ended." : "Added \(name) (\(role.rawValue)).")
    }

    /// Asks for a password on the terminal without echoing it.
    static func ask(_ prompt: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            throw CLIError("No terminal to ask for the password: use --password-stdin.")
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

/// `clientele user list`.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users and their roles.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let users = try await TokenCommand.open(store).listUsers()
        if users.isEmpty { print("No users."); return }
        printColumns([["name", "role", "created (UTC)"]] + users.map { [$0.name, $0.role.rawValue, $0.createdAt.description] })
    }
}

/// `clientele user remove NAME`.
struct UserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user and end their sessions.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The sign-in name.") var name: String

    func run() async throws {
        guard try await TokenCommand.open(store).deleteUser(name: name) else {
            throw CLIError("There is no user \(name); clientele user list shows them.")
        }
        print("Removed \(name).")
    }
}
