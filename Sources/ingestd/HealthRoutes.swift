import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import TrackhubCore

/// `/healthz` (the process is up), `/readyz` (it can accept events: a snapshot is loaded and
/// Redis is writable or the spool has room) and `/metrics` (Prometheus text format).
struct HealthRoutes: Sendable {
    let deps: IngestDependencies
    let registry: PrometheusCollectorRegistry

    func healthz(_ request: Request, context: IngestRequestContext) -> Response {
        json(.ok, "{\"status\":\"ok\"}")
    }

    func readyz(_ request: Request, context: IngestRequestContext) -> Response {
        let status = deps.sink.status
        let version = deps.snapshots.snapshot?.version
        let ready = Self.isReady(deps)
        let body = """
        {"ready":\(ready),"snapshot_version":\(version.map(String.init) ?? "null"),\
        "redis_connected":\(status.redisConnected),"spool_usable":\(status.spoolUsable),"spool_pending":\(status.spoolPending),\
        "spool_bytes":\(status.spoolBytes),"spool_full":\(status.spoolFull),"redis_memory_high":\(status.redisMemoryHigh)}
        """
        return json(ready ? .ok : .serviceUnavailable, body)
    }

    /// Ready: a snapshot is loaded and events can be made durable (Redis writable and below its
    /// memory watermark, or the spool usable and under 90% of its cap —
    /// ``EnvelopeSinkStatus/canAccept``). `/readyz` and systemd's `READY=1` use this same rule.
    static func isReady(_ deps: IngestDependencies) -> Bool {
        deps.snapshots.snapshot != nil && deps.sink.status.canAccept
    }

    func metrics(_ request: Request, context: IngestRequestContext) -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
