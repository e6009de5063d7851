import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TrackhubCore

/// The part of `/track` and `/s2s` after the caller was admitted: the event's identifiers as
/// its reporter can vouch for them (``EndUserContext/reported(by:connectionIP:connectionUserAgent:explicit:)``),
/// personal data sealed, the envelope made durable, `202 {"status":"accepted",…}`.
struct TrackEventAcceptor: Sendable {
    let deps: IngestDependencies

    /// The path's event name, its stream priority and the configuration in force: 404 for an
    /// unknown event, 503 before the first snapshot.
    func route(_ context: IngestRequestContext) throws -> (event: String, priority: StreamPriority, snapshot: CompiledSnapshot) {
        let event = context.parameters.get("event") ?? ""
        guard let priority = PixelEventCatalog.priority(of: event) else { throw Problem.notFound("unknown event \(event)") }
        guard let snapshot = deps.snapshots.snapshot else { throw Problem.notReady }
        return (event, priority, snapshot)
    }

    func accept(_ parsed: TrackRequestValidator.Parsed, tenant: String, priority: StreamPriority, reporter: EventReporter,
                connectionIP: String?, connectionUserAgent: String?) async throws -> Response {
        var track = parsed.track
        // Page URLs keep only campaign and click-id parameters: no personal data from a URL.
        track.pageUrl = track.pageUrl.map(deps.urlQueryAllowList.filtered)
        track.referrer = track.referrer.map(deps.urlQueryAllowList.filtered)
        let person = EndUserContext.reported(by: reporter, connectionIP: connectionIP, connectionUserAgent: connectionUserAgent,
                                             explicit: parsed.explicit)
        track.ip = person.ip
        track.userAgent = person.userAgent
        let now = Date()
        let envelopeID = ClickID.generate(now: now)
        if let user = parsed.user {
            // Personal data is sealed before it leaves the process (Redis never holds it in
            // clear), bound to this tenant and envelope.
            track.user = try Envelope.sealUser(user, tenant: tenant, envelopeID: envelopeID, keys: deps.keys)
        }
        let envelope = Envelope(id: envelopeID, kind: .track,
                                receivedAt: Int64(now.timeIntervalSince1970 * 1000), tenant: tenant, track: track)
        let durability = try await deps.append(envelope, priority: priority)
        deps.logger.debug("track event accepted", metadata: [
            LogKey.envelopeID: "\(envelope.id)", LogKey.trackEvent: "\(track.event)", LogKey.durability: "\(durability.label)",
            LogKey.clickID: "\(track.clickId ?? "-")", LogKey.reporter: "\(reporter.rawValue)",
        ])
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        let eventID = track.eventId.map { ",\"event_id\":\(jsonString($0))" } ?? ""
        let json = "{\"status\":\"accepted\",\"id\":\"\(envelope.id)\"\(eventID)}"
        return Response(status: .accepted, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
