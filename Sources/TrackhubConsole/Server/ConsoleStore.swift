import Foundation
import HummingbirdBcrypt
import NIOPosix
public import TrackhubCore

/// The console's reads and writes in Postgres: users, sessions, the setup token, the audit, and
/// what Início shows. Every call runs on the ``PostgresPool``'s threads (libpq never blocks the
/// cooperative pool), and bcrypt runs on NIO's blocking thread pool for the same reason.
public struct ConsoleStore: Sendable {
    public let pool: PostgresPool
    /// bcrypt cost: 12 in production (about a quarter second per login on one core).
    public let bcryptCost: UInt8

    public init(pool: PostgresPool, bcryptCost: UInt8 = 12) {
        self.pool = pool
        self.bcryptCost = bcryptCost
    }

    // MARK: Users

    public func userCount() async throws -> Int {
        try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM console_users").int(0, "n") ?? 0 }
    }

    /// Creates a user with a bcrypt hash of `password`; the change is audited as done by `actor`.
    @discardableResult
    public func createUser(login: String, displayName: String, password: String, role: ConsoleRole,
                           allTenants: Bool, tenants: [String], actor: String) async throws -> ConsoleUser {
        let hash = try await bcryptHash(password)
        return try await pool.withConnection { connection in
            try connection.transaction { conn in try Self.insertUser(conn, login: login, displayName: displayName, hash: hash,
                                                                      role: role, allTenants: allTenants, tenants: tenants, actor: actor) }
        }
    }

    /// The first owner, created with the one-time setup token: the token is spent and the owner
    /// inserted in one transaction, so the token creates exactly one owner. Nil when the token
    /// is unknown, already used, or an owner already exists.
    public func createFirstOwner(setupToken: String, login: String, displayName: String, password: String) async throws -> ConsoleUser? {
        let hash = try await bcryptHash(password)
        let tokenHash = ConsoleToken.hash(setupToken)
        return try await pool.withConnection { connection in
            try connection.transaction { conn -> ConsoleUser? in
                let spent = try conn.query(
                    "UPDATE console_setup_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL RETURNING token_hash",
                    [.string(tokenHash)])
                guard !spent.isEmpty else { return nil }
                let owners = try conn.query("SELECT count(*) AS n FROM console_users WHERE role = 'owner'")
                guard try owners.int(0, "n") == 0 else { return nil }
                let user = try Self.insertUser(conn, login: login, displayName: displayName, hash: hash, role: .owner,
                                               allTenants: true, tenants: [], actor: login)
                try conn.query("UPDATE console_setup_tokens SET used_by = $1 WHERE token_hash = $2", [.int(user.id), .string(tokenHash)])
                return user
            }
        }
    }

    /// While no user exists, issues a fresh one-time setup token (earlier unused ones are
    /// dropped: only the value printed at the latest start works) and returns it; nil once
    /// someone can log in.
    public func issueSetupTokenIfNoUsers() async throws -> String? {
        let token = ConsoleToken.generate()
        let hash = ConsoleToken.hash(token)
        return try await pool.withConnection { connection in
            try connection.transaction { conn -> String? in
                guard try conn.query("SELECT count(*) AS n FROM console_users").int(0, "n") == 0 else { return nil }
                try conn.query("DELETE FROM console_setup_tokens WHERE used_at IS NULL")
                try conn.query("INSERT INTO console_setup_tokens (token_hash) VALUES ($1)", [.string(hash)])
                return token
            }
        }
    }

    /// The user whose login and password match, or nil (unknown login, wrong password, disabled).
    /// An unknown login still costs one bcrypt, so timing does not tell which logins exist.
    public func authenticate(login: String, password: String) async throws -> ConsoleUser? {
        let found = try await pool.withConnection { conn -> (ConsoleUser, String)? in
            let rows = try conn.query("SELECT * FROM console_users WHERE login = $1 AND disabled_at IS NULL", [.string(login)])
            guard !rows.isEmpty, let hash = try rows.string(0, "password_hash") else { return nil }
            return (try Self.user(rows, 0), hash)
        }
        let hash = found?.1 ?? Self.decoyHash
        let ok = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard ok, let user = found?.0 else { return nil }
        return user
    }

    /// A valid bcrypt hash of nothing anyone types, verified when the login is unknown.
    static let decoyHash = Bcrypt.hash(ConsoleToken.generate(), cost: 4)

    func bcryptHash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    // MARK: Sessions

    /// A new session for `user`: returns the cookie value (kept only by the browser) and the
    /// session's CSRF token (put in every form).
    public func createSession(for user: ConsoleUser, lifetimeSeconds: Int) async throws -> (token: String, csrf: String) {
        let token = ConsoleToken.generate()
        let csrf = ConsoleToken.generate()
        try await pool.withConnection { conn in
            try conn.query(
                "INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
                [.string(ConsoleToken.hash(token)), .int(user.id), .string(csrf), .double(Double(lifetimeSeconds))])
            // Old sessions go away as new ones are made: no separate sweeper.
            try conn.query("DELETE FROM console_sessions WHERE expires_at < now()")
        }
        return (token, csrf)
    }

    /// The live session the cookie value names, with its user; nil when unknown, expired, or
    /// the user was disabled.
    public func session(token: String) async throws -> ConsoleSession? {
        let hash = ConsoleToken.hash(token)
        return try await pool.withConnection { conn -> ConsoleSession? in
            let rows = try conn.query(
                """
                UPDATE console_sessions s SET last_seen_at = now() FROM console_users u
                WHERE s.token_hash = $1 AND s.expires_at > now() AND u.id = s.user_id AND u.disabled_at IS NULL
                RETURNING u.*, s.csrf_token
                """, [.string(hash)])
            guard !rows.isEmpty, let csrf = try rows.string(0, "csrf_token") else { return nil }
            return ConsoleSession(user: try Self.user(rows, 0), csrf: csrf, tokenHash: hash)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await pool.withConnection { try $0.query("DELETE FROM console_sessions WHERE token_hash = $1", [.string(tokenHash)]) }
    }

    public func setLanguage(_ language: ConsoleLanguage, userID: Int) async throws {
        try await pool.withConnection {
            try $0.query("UPDATE console_users SET language = $1 WHERE id = $2", [.string(language.rawValue), .int(userID)])
        }
    }

    // MARK: Tenants and audit

    /// Every tenant's id and name, by id.
    public func tenants() async throws -> [(id: String, name: String)] {
        try await pool.withConnection { conn in
            let rows = try conn.query("SELECT id, name FROM tenants ORDER BY id")
            return try rows.indices.map { (try rows.string($0, "id") ?? "", try rows.string($0, "name") ?? "") }
        }
    }

    /// Records who changed what (never a secret: callers pass a summary, not values).
    public func audit(actor: ConsoleUser?, login: String? = nil, tenant: String?, action: String, summary: String,
                      versionID: Int? = nil) async throws {
        try await pool.withConnection { conn in
            try Self.audit(conn, actorID: actor?.id, login: actor?.login ?? login ?? "system", tenant: tenant, action: action,
                           summary: summary, versionID: versionID)
        }
    }

    // MARK: Row mapping

    static func insertUser(_ conn: PostgresConnection, login: String, displayName: String, hash: String, role: ConsoleRole,
                           allTenants: Bool, tenants: [String], actor: String) throws -> ConsoleUser {
        let rows = try conn.query(
            """
            INSERT INTO console_users (login, display_name, password_hash, role, all_tenants, tenants)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING *
            """,
            [.string(login), .string(displayName), .string(hash), .string(role.rawValue), .bool(allTenants || role == .owner),
             .textArray(tenants)])
        let user = try user(rows, 0)
        try audit(conn, actorID: nil, login: actor, tenant: nil, action: "user.create",
                  summary: "\(login) (\(role.rawValue))", versionID: nil)
        return user
    }

    static func audit(_ conn: PostgresConnection, actorID: Int?, login: String, tenant: String?, action: String,
                      summary: String, versionID: Int?) throws {
        try conn.query(
            "INSERT INTO config_audit (user_id, user_login, tenant_id, action, summary, version_id) VALUES ($1, $2, $3, $4, $5, $6)",
            [actorID.map { .int($0) }, .string(login), tenant.map { .string($0) }, .string(action), .string(summary),
             versionID.map { .int($0) }])
    }

    static func user(_ rows: PostgresRows, _ row: Int) throws -> ConsoleUser {
        ConsoleUser(
            id: try rows.int(row, "id") ?? 0, login: try rows.string(row, "login") ?? "",
            displayName: try rows.string(row, "display_name") ?? "",
            role: ConsoleRole(rawValue: try rows.string(row, "role") ?? "") ?? .viewer,
            allTenants: try rows.bool(row, "all_tenants") ?? false,
            tenants: (try rows.textArray(row, "tenants") ?? []).compactMap { $0 },
            language: ConsoleLanguage(code: try rows.string(row, "language")))
    }
}

/// A logged-in browser: its user, the CSRF token its forms must carry, and the stored hash of its
/// cookie (to log it out).
public struct ConsoleSession: Sendable, Equatable {
    public let user: ConsoleUser
    public let csrf: String
    public let tokenHash: String
}
