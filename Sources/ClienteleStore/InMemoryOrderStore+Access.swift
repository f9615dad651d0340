import ClienteleCore

/// The in-memory store's credentials.
struct InMemoryAccess: Sendable {
    var tokens: [AccessToken] = []
    var users: [String: AccessUser] = [:]
    var sessions: [String: AccessSession] = [:]
}

extension InMemoryOrderStore: AccessStore {
    /// Stores a new token.
    public func createToken(_ token: AccessToken) throws {
        try Self.validateToken(token)
        guard !access.tokens.contains(where: { $0.id == token.id || $0.hash == token.hash }) else {
            throw StoreError(.invalidCredential, "a token with the id \(token.id) exists already")
        }
        access.tokens.append(token)
    }

    /// The tokens, oldest first.
    public func listTokens() -> [AccessToken] {
        access.tokens.sorted { ($0.createdAt.seconds, $0.id) < ($1.createdAt.seconds, $1.id) }
    }

    /// Deletes the token `id`.
    public func revokeToken(id: String) -> Bool {
        let before = access.tokens.count
        access.tokens.removeAll { $0.id == id }
        return access.tokens.count < before
    }

    /// Whose the token is (this store holds one shop, so never `.otherShop`).
    public func findToken(hash: String) -> TokenMatch {
        guard let token = access.tokens.first(where: { $0.hash == hash }) else { return .none }
        return .thisShop(role: token.role, id: token.id)
    }

    /// Inserts or replaces the user; replacing ends their sessions.
    public func saveUser(_ user: AccessUser) throws {
        try Self.validateUserName(user.name)
        access.sessions = access.sessions.filter { $0.value.user != user.name }
        var saved = user
        if let old = access.users[user.name] { saved.createdAt = old.createdAt }
        access.users[user.name] = saved
    }

    /// The users by name (bytes).
    public func listUsers() -> [AccessUser] {
        access.users.values.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// The user called `name`.
    public func user(name: String) -> AccessUser? { access.users[name] }

    /// Deletes the user and their sessions.
    public func deleteUser(name: String) -> Bool {
        access.sessions = access.sessions.filter { $0.value.user != name }
        return access.users.removeValue(forKey: name) != nil
    }

    /// Stores a new session.
    public func createSession(_ session: AccessSession) { access.sessions[session.hash] = session }

    /// The unexpired session with cookie hash `hash`.
    public func findSession(hash: String, now: Instant) -> AccessSession? {
        guard let session = access.sessions[hash], session.expiresAt.seconds > now.seconds else { return nil }
        return session
    }

    /// Ends the session and drops the expired ones.
    public func deleteSession(hash: String, now: Instant) {
        access.sessions = access.sessions.filter { $0.key != hash && $0.value.expiresAt.seconds > now.seconds }
    }

    /// Whether any token or user exists.
    public func hasCredentials() -> Bool { !access.tokens.isEmpty || !access.users.isEmpty }
}
