/// The one way personal fields leave the append-only ledger (``Migrations/privacy``): a
/// transaction sets `trackhub.ledger_redaction` for itself (`SET LOCAL`), the trigger then lets
/// it change `payload` only, and each row's `user_data` (hashed identifiers, IP, user agent,
/// cookies) becomes `{}` while the payload names who did it — the audit row of the same
/// transaction. The row, its outcome and Meta's answer stay, so every count stays.
///
/// Used by the erasure of one person (``PersonalDataEraser``, audited in `privacy_requests`)
/// and by retention (``RetentionRunner``, audited in `retention_runs`).
public enum LedgerRedaction {
    /// Who redacted a row: the key written into its payload, beside the audit row's id.
    public enum Audit: String, Sendable {
        /// A person's erasure: `privacy_requests.id`.
        case erasure = "trackhub_redacted"
        /// Expiry of personal fields past the tenant's period: `retention_runs.id`.
        case retention = "trackhub_expired"
    }

    /// Empties `user_data` in the ledger rows `ids` (those with an object payload) and marks
    /// them with `audit: auditID`; returns how many rows changed.
    ///
    /// - Precondition: `connection` is inside the transaction that also writes the audit row.
    @discardableResult
    public static func removeUserData(ids: [Int], audit: Audit, auditID: Int, connection pg: PostgresConnection) throws -> Int {
        precondition(pg.isInTransaction, "a ledger redaction must share its audit row's transaction")
        guard !ids.isEmpty else { return 0 }
        try pg.execute("SET LOCAL trackhub.ledger_redaction = 'on'")
        let updated = try pg.query("""
            UPDATE dispatch_attempts SET payload = jsonb_set(payload, '{user_data}', '{}'::jsonb) || jsonb_build_object('\(audit.rawValue)', $2::bigint)
            WHERE id = ANY($1::bigint[]) AND payload IS NOT NULL AND jsonb_typeof(payload) = 'object'
            """, [.textArray(ids.map(String.init)), .int(auditID)])
        try pg.execute("SET LOCAL trackhub.ledger_redaction = 'off'")
        return updated.affectedRows
    }
}
