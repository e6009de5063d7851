import HTTPTypes
import Hummingbird
import NIOCore

/// A Server-Sent Events answer for the live parts of the console (Ao vivo, step 3's "aguardando
/// o webhook de teste"): `retry:` first (how long EventSource waits to reconnect), then one
/// event per `interval` from `next`, at most `events`, ending early when `next` says it was the
/// last. Ending after a bounded number keeps a connection from outliving a graceful shutdown by
/// long; the browser simply reconnects.
enum ConsoleEventStream {
    struct Event: Sendable {
        var name: String
        /// One line of JSON.
        var data: String
        /// No more events after this one.
        var last: Bool = false
    }

    static func response(events: Int, interval: Duration, _ next: @escaping @Sendable () async -> Event) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for n in 0..<events where !Task.isCancelled {
                let event = await next()
                try await writer.write(ByteBuffer(string: "event: \(event.name)\ndata: \(event.data)\n\n"))
                if event.last { break }
                if n + 1 < events { try await Task.sleep(for: interval) }
            }
            try await writer.finish(nil)
        })
    }
}
