/// Gathers the evidence the assistant judges (status, the ledger, the last webhooks and their
/// outcome, match statistics) for the tenants in scope.
public protocol TroubleshootingEvidenceReader: Sendable {
    func evidence(scope: InsightScope) async throws -> TroubleshootingEvidence
}
