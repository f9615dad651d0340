import ClienteleCore

/// What a credential may do in its shop (docs/access.md): a viewer reads every page and figure; an admin also
/// imports, changes settings and audiences, and exports or forgets customers.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Codable {
    case viewer, admin

    /// Whether this role may do what `required` may.
    public func allows(_ required: AccessRole) -> Bool { self == .admin || required == .viewer }
}

/// An API token of one shop. The secret itself is never stored: only its SHA-256 (`hash`, hex), which is what a
/// request's token is compared with.
public struct AccessToken: Sendable, Hashable {
    /// The token's public id (shown by `clientele token list`, used by `revoke`).
    public var id: String
    /// A label for people ("reporting script").
    public var name: String
    /// What the token may do.
    public var role: AccessRole
    /// SHA-256 of the secret, 64 lowercase hex digits.
    public var hash: String
    /// When it was created.
    public var createdAt: Instant

    /// A token record.
    public init(id: String, name: String, role: AccessRole, hash: String, createdAt: Instant) {
        self.id = id
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
    }
}

/// A person who signs in to one shop's dashboard. `passwordHash` is a self-describing password-KDF string
/// (`scrypt$…`): the password itself is never stored.
public struct AccessUser: Sendable, Hashable {
    /// The sign-in name.
    public var name: String
    /// What the person may do.
    public var role: AccessRole
    /// The password's KDF hash with its parameters and salt.
    public var passwordHash: String
    /// When the user was created.
    public var createdAt: Instant

    /// A user record.
    public init(name: String, role: AccessRole, passwordHash: String, createdAt: Instant) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// A signed-in dashboard session: the cookie's secret is stored only as its SHA-256 (`hash`); `csrf` is the
/// token every form of the session must send back.
public struct AccessSession: Sendable, Hashable {
    /// SHA-256 of the cookie's secret, hex.
    public var hash: String
    /// The user signed in.
    public var user: String
    /// The user's role when the session began (removing the user ends the session).
    public var role: AccessRole
    /// The session's form token.
    public var csrf: String
    /// When the session ends.
    public var expiresAt: Instant

    /// A session record.
    public init(hash: String, user: String, role: AccessRole, csrf: String, expiresAt: Instant) {
        self.hash = hash
        self.user = user
        self.role = role
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}

/// Whose a presented token is.
public enum TokenMatch: Sendable, Hashable {
    /// A token of this store's shop, with its role and id.
    case thisShop(role: AccessRole, id: String)
    /// A valid token of another shop in the same database (the request is answered 404: no data, no hint).
    case otherShop
    /// No such token.
    case none
}

/// The credentials of a shop: API tokens, dashboard users and their sessions (docs/access.md). Tokens and
/// users belong to the store's shop; `findToken` looks across every shop of the database so that a token of
/// another shop is told apart from a wrong one.
public protocol AccessStore: Sendable {
    /// Stores a new token (its id must be unused).
    func createToken(_ token: AccessToken) async throws
    /// The shop's tokens, oldest first.
    func listTokens() async throws -> [AccessToken]
    /// Deletes the token `id` of this shop; `false` when there is none.
    func revokeToken(id: String) async throws -> Bool
    /// Whose the token with SHA-256 `hash` is.
    func findToken(hash: String) async throws -> TokenMatch
    /// Inserts the user, or replaces the one with the same name (a new password or role); replacing ends the
    /// user's sessions.
    func saveUser(_ user: AccessUser) async throws
    /// The shop's users by name.
    func listUsers() async throws -> [AccessUser]
    /// The user called `name`, or nil.
    func user(name: String) async throws -> AccessUser?
    /// Deletes the user and their sessions; `false` when there is none.
    func deleteUser(name: String) async throws -> Bool
    /// Stores a new session.
    func createSession(_ session: AccessSession) async throws
    /// The unexpired session of this shop with cookie hash `hash` at `now`, or nil.
    func findSession(hash: String, now: Instant) async throws -> AccessSession?
    /// Ends the session (and deletes every session expired at `now`).
    func deleteSession(hash: String, now: Instant) async throws
    /// Whether the database holds any token or user, for any shop: then every request must sign in.
    func hasCredentials() async throws -> Bool
}

extension AccessStore {
    /// Checks a user's sign-in name: 1–100 characters, no control characters.
    public static func validateUserName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError(.invalidCredential, "a user name is 1 to 100 characters without control characters")
        }
    }

    /// Checks a token record: an id and the SHA-256 of the secret as 64 lowercase hex digits.
    public static func validateToken(_ token: AccessToken) throws {
        guard !token.id.isEmpty, token.hash.utf8.count == 64,
              token.hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw StoreError(.invalidCredential, "a token needs an id and the SHA-256 of its secret as 64 hex digits")
        }
    }
}
