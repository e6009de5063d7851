/// Reads what a ``SupportBundle`` holds for the tenants in scope.
public protocol SupportBundleSource: Sendable {
    /// `application` is the caller's own version line(s) ("trackhub" → its version); the
    /// store adds Postgres', Redis' and the schema's. `diagnoses` are the assistant's answers
    /// of the conversation that ended in "falar com o suporte".
    func supportBundle(scope: InsightScope, application: [(String, String)], diagnoses: [Diagnosis]) async throws -> SupportBundle
}
