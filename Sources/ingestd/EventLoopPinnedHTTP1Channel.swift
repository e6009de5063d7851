import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 channel, with each connection's request loop running on that
/// connection's event loop (an ``EventLoopTaskExecutor`` preference) instead of Swift's global
/// pool. Behaviour is exactly `HTTP1Channel`'s; only the threads change. Why: the pool hop on
/// every request (and back for the answer) cost more CPU than ingestd's own work on a click.
struct EventLoopPinnedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// `.http1()` with every connection pinned to its event loop (``EventLoopPinnedHTTP1Channel``).
    static func http1PinnedToEventLoop(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            EventLoopPinnedHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
