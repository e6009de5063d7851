/// The console's *Ao vivo* figures (polled by its SSE stream).
public protocol LiveStatusReader: Sendable {
    func liveStatus(scope: InsightScope) async throws -> LiveStatus
}
