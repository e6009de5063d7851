import Foundation
import TrackhubCore

/// The Ajuda conversation (`help_messages`) and the support cases opened from it
/// (`support_cases`, migration 21). Every text a user typed is scrubbed
/// (``SupportRedaction/scrub(_:)``: e-mails, phones, token-like runs) before it is stored (the
/// assistant's own lines name pixels and orders, never a buyer, and are kept as said), and
/// only the newest ``keptPerUser`` messages of each user are kept. Blocking calls run on the
/// ``PostgresPool``'s threads.
struct HelpDeskStore: Sendable {
    let pool: PostgresPool

    /// Messages kept per user (older ones are deleted as new ones arrive).
    static let keptPerUser = 50
    /// Messages a case carries: the end of the conversation that led to it.
    static let caseConversation = 10

    /// Stores one line of `user`'s conversation (a user's line scrubbed), and drops what falls beyond ``keptPerUser``.
    func record(user: Int, author: HelpMessage.Author, level: String? = nil, body: String) async throws {
        try await pool.withConnection { c in
            try c.query("INSERT INTO help_messages (user_id, author, level, body) VALUES ($1, $2, $3, $4)",
                        [.int(user), .string(author.rawValue), level.map(PostgresValue.string),
                         .string(author == .user ? SupportRedaction.scrub(body) : body)])
            try c.query("""
                DELETE FROM help_messages WHERE user_id = $1 AND id <= (
                    SELECT id FROM help_messages WHERE user_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)
                """, [.int(user), .int(Self.keptPerUser)])
        }
    }

    /// The newest `limit` lines of `user`'s conversation, oldest first.
    func conversation(user: Int, limit: Int) async throws -> [HelpMessage] {
        try await pool.withConnection { c in
            let r = try c.query("""
                SELECT author, level, body, created_at AS at FROM (
                    SELECT * FROM help_messages WHERE user_id = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id
                """, [.int(user), .int(limit)])
            return try Self.messages(r)
        }
    }

    /// Opens a case for `user` with the end of their conversation and the redacted `bundle`
    /// (``SupportBundle/json()``); returns it (its notice still `noOperatorChat` until
    /// ``setNotice(case:_:)``).
    func open(user: ConsoleUser, bundle: String) async throws -> SupportCase {
        let tenants = user.allTenants ? [] : user.tenants
        let id = try await pool.withConnection { c -> Int in
            let r = try c.query("""
                INSERT INTO support_cases (user_id, user_name, tenants, summary, conversation, bundle, notified)
                SELECT $1, $2, $3::text[],
                       coalesce((SELECT body FROM help_messages WHERE user_id = $1 AND author = 'user' ORDER BY id DESC LIMIT 1), ''),
                       coalesce((SELECT jsonb_agg(jsonb_build_object('author', author, 'level', level, 'body', body, 'at', created_at) ORDER BY id)
                                 FROM (SELECT * FROM help_messages WHERE user_id = $1 ORDER BY id DESC LIMIT $4) m), '[]'),
                       $5::jsonb, 'none'
                RETURNING id
                """, [.int(user.id), .string(SupportRedaction.scrub(user.greetingName)), .textArray(tenants),
                      .int(Self.caseConversation), .string(bundle)])
            return try r.int(0, "id") ?? 0
        }
        guard let opened = try await find(id: id) else { throw HelpDeskError.notFound(id) }
        return opened
    }

    /// Records how the operator was told.
    func setNotice(case id: Int, _ outcome: SupportCaseNotice.Outcome) async throws {
        try await pool.withConnection {
            try $0.query("UPDATE support_cases SET notified = $2 WHERE id = $1", [.int(id), .string(outcome.stored)])
        }
    }

    /// The cases, open ones first, newest first within each.
    func cases(limit: Int) async throws -> [SupportCase] {
        try await pool.withConnection { c in
            let r = try c.query("""
                SELECT id, user_id, user_name, tenants, summary, notified, status, created_at, closed_at FROM support_cases
                ORDER BY status = 'open' DESC, id DESC LIMIT $1
                """, [.int(limit)])
            return try r.indices.map { try Self.supportCase(r, $0, conversation: []) }
        }
    }

    /// How many cases are open (what the Ajuda page tells an owner).
    func openCount() async throws -> Int {
        try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM support_cases WHERE status = 'open'").int(0, "n") ?? 0 }
    }

    /// One case with its conversation.
    func find(id: Int) async throws -> SupportCase? {
        try await pool.withConnection { c in
            let r = try c.query("""
                SELECT id, user_id, user_name, tenants, summary, notified, status, created_at, closed_at FROM support_cases WHERE id = $1
                """, [.int(id)])
            guard !r.isEmpty else { return nil }
            let lines = try c.query("""
                SELECT e->>'author' AS author, e->>'level' AS level, e->>'body' AS body, (e->>'at')::timestamptz AS at
                FROM support_cases s, jsonb_array_elements(s.conversation) WITH ORDINALITY AS x(e, n) WHERE s.id = $1 ORDER BY n
                """, [.int(id)])
            return try Self.supportCase(r, 0, conversation: try Self.messages(lines))
        }
    }

    /// The support bundle kept with a case (JSON), or nil.
    func bundle(case id: Int) async throws -> String? {
        try await pool.withConnection { c in
            let r = try c.query("SELECT bundle::text AS bundle FROM support_cases WHERE id = $1", [.int(id)])
            return r.isEmpty ? nil : try r.string(0, "bundle")
        }
    }

    /// Closes an open case; false when it was not open.
    func close(case id: Int, by user: Int) async throws -> Bool {
        try await pool.withConnection { c in
            try !c.query("""
                UPDATE support_cases SET status = 'closed', closed_at = now(), closed_by = $2 WHERE id = $1 AND status = 'open' RETURNING id
                """, [.int(id), .int(user)]).isEmpty
        }
    }

    private static func messages(_ r: PostgresRows) throws -> [HelpMessage] {
        try r.indices.map { i in
            HelpMessage(author: HelpMessage.Author(rawValue: try r.string(i, "author") ?? "") ?? .user, level: try r.string(i, "level"),
                        body: try r.string(i, "body") ?? "", at: try r.date(i, "at") ?? Date(timeIntervalSince1970: 0))
        }
    }

    private static func supportCase(_ r: PostgresRows, _ i: Int, conversation: [HelpMessage]) throws -> SupportCase {
        SupportCase(id: try r.int(i, "id") ?? 0, userID: try r.int(i, "user_id"), userName: try r.string(i, "user_name") ?? "",
                    tenants: (try r.textArray(i, "tenants") ?? []).compactMap { $0 }, summary: try r.string(i, "summary") ?? "",
                    conversation: conversation, notice: SupportCaseNotice.Outcome(stored: try r.string(i, "notified") ?? "none"),
                    status: SupportCase.Status(rawValue: try r.string(i, "status") ?? "") ?? .open,
                    openedAt: try r.date(i, "created_at") ?? Date(timeIntervalSince1970: 0), closedAt: try r.date(i, "closed_at"))
    }
}
