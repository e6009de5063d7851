import HTTPTypes
import Hummingbird
import NIOCore

/// The request context for ingestd: Hummingbird's core storage plus the TCP peer address,
/// which the client-IP resolution needs (X-Forwarded-For is trusted only from proxies).
struct IngestRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are collected with explicit per-route limits; this is only the outer bound.
    var maxUploadSize: Int { 1 << 20 }

    var peerIP: String? { remoteAddress?.ipAddress }
}
