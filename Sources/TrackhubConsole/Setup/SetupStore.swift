import Foundation
public import TrackhubCore

/// Setup sessions, their messages and the actions the assistant took (`setup_sessions`,
/// `setup_messages`, `setup_action_logs`): one open session per tenant, resumed on return.
public struct SetupStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    /// The tenant's open session (id and state), or nil.
    public func open(tenant: String) async throws -> (id: Int, state: SetupState)? {
        try await pool.withConnection { conn in
            let rows = try conn.query(
                "SELECT id, state::text AS state FROM setup_sessions WHERE tenant_id = $1 AND status = 'open' ORDER BY id DESC LIMIT 1",
                [.string(tenant)])
            guard !rows.isEmpty, let id = try rows.int(0, "id") else { return nil }
            let state = (try rows.string(0, "state")).flatMap { try? JSONDecoder().decode(SetupState.self, from: Data($0.utf8)) }
            return (id, state ?? SetupState())
        }
    }

    /// Saves `state` into the tenant's open session (created when there is none); returns its id.
    @discardableResult
    public func save(tenant: String, userID: Int, state: SetupState) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(state), as: UTF8.self)
        // The column counts the six steps; a finished setup (live) stays on 6 and open, so
        // the assistant still shows its evidence and the seller can check a page again.
        let step = min(state.currentStep, SetupState.steps.count)
        return try await pool.withConnection { conn in
            let updated = try conn.query(
                """
                UPDATE setup_sessions SET state = $2::jsonb, step = $3, updated_at = now()
                WHERE id = (SELECT id FROM setup_sessions WHERE tenant_id = $1 AND status = 'open' ORDER BY id DESC LIMIT 1)
                RETURNING id
                """, [.string(tenant), .string(json), .int(step)])
            if let id = try updated.isEmpty ? nil : updated.int(0, "id") { return id }
            let inserted = try conn.query(
                "INSERT INTO setup_sessions (tenant_id, user_id, step, state) VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
                [.string(tenant), .int(userID), .int(step), .string(json)])
            return try inserted.int(0, "id") ?? 0
        }
    }

    /// One message of the conversation (what the user did, what the assistant answered).
    public func message(session: Int, author: String, step: Int, _ body: String) async throws {
        try await pool.withConnection {
            try $0.query("INSERT INTO setup_messages (session_id, author, step, body) VALUES ($1, $2, $3, $4)",
                         [.int(session), .string(author), .int(step), .string(body)])
        }
    }

    /// One action the assistant took and its outcome; `detail` is evidence JSON (never a secret).
    public func action(session: Int, step: Int, action: String, outcome: String, detail: [String: String]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(detail), as: UTF8.self)
        try await pool.withConnection {
            try $0.query("INSERT INTO setup_action_logs (session_id, step, action, outcome, detail) VALUES ($1, $2, $3, $4, $5::jsonb)",
                         [.int(session), .int(step), .string(action), .string(outcome), .string(json)])
        }
    }

    /// The conversation so far, oldest first.
    public func messages(session: Int) async throws -> [(author: String, body: String)] {
        try await pool.withConnection { conn in
            let rows = try conn.query("SELECT author, body FROM setup_messages WHERE session_id = $1 ORDER BY id", [.int(session)])
            return try rows.indices.map { (try rows.string($0, "author") ?? "", try rows.string($0, "body") ?? "") }
        }
    }
}
