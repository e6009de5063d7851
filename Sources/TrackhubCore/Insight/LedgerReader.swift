/// Reads the ledger for the console's *Registro*: search by order id, click id, event id, or a
/// buyer's e-mail/phone (hashed before the query), and one event's timeline.
///
/// A protocol so the console's routes can be tested over an in-memory ledger; production is
/// ``PostgresInsightStore``.
public protocol LedgerReader: Sendable {
    /// The normalisers of the tenants in `scope`, to hash an e-mail or phone the way the
    /// dispatch hashed it for those tenants (``LedgerSearchQuery/parse(_:normalizers:)``).
    func searchNormalizers(scope: InsightScope) async throws -> [UserDataNormalizer]

    /// Everything `query` names, within `scope`, at most `limit` of each kind.
    func search(_ query: LedgerSearchQuery, scope: InsightScope, limit: Int) async throws -> LedgerSearchResult

    /// One event with all its attempts; nil when it does not exist or is outside `scope`.
    func event(_ key: LedgerEventKey, scope: InsightScope) async throws -> LedgerEventDetail?
}
