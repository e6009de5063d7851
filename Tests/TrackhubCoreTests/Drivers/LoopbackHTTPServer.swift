import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately tiny blocking HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for the
/// CurlHTTPClient tests: one accept thread plus one thread per connection, keep-alive by
/// default, canned replies from a handler. It records every connection and request so tests
/// can assert on what actually crossed the wire (methods, headers, bodies, connection reuse).
final class LoopbackHTTPServer: Sendable {
    struct Request: Sendable {
        let method: String
        let target: String
        /// Header names lower-cased; repeated headers keep every value.
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        /// 1-based number of the TCP connection this request arrived on.
        let connection: Int

        func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }

        func headerValues(_ name: String) -> [String] {
            headers.filter { $0.name == name.lowercased() }.map(\.value)
        }
    }

    enum Reply: Sendable {
        /// Waits `delay`, then answers; `close` adds `Connection: close` and closes the socket.
        case respond(status: Int, body: [UInt8] = [], headers: [String] = [], delay: Duration = .zero, close: Bool = false)
        /// Closes the connection without writing anything (libcurl: "Empty reply from server").
        case closeWithoutResponse
    }

    private struct State {
        var stopped = false
        var connections = 0
        var openConnections = 0
        var maxOpenConnections = 0
        var requests: [Request] = []
        var clientSockets: Set<Int32> = []
    }

    let port: Int
    private let listenSocket: Int32
    private let handler: @Sendable (Request) -> Reply
    private let greeting: [UInt8]?
    private let state = Mutex(State())

    /// - Parameter greeting: when set, every connection is sent these bytes at once and
    ///   closed without reading (a non-TLS peer for TLS tests); `handler` is then unused.
    init(greeting: [UInt8]? = nil, handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        self.greeting = greeting
        let fd = socket(AF_INET, Self.streamType, 0)
        guard fd >= 0 else { throw LoopbackError("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw LoopbackError("bind/listen: errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenSocket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let acceptThread = Thread { [self] in acceptLoop() }
        acceptThread.name = "loopback-http-accept"
        acceptThread.start()
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var connectionCount: Int { state.withLock { $0.connections } }
    var maxConcurrentConnections: Int { state.withLock { $0.maxOpenConnections } }
    var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting, closes every client connection; threads exit within ~50 ms.
    func stop() {
        let sockets: Set<Int32>? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.clientSockets
        }
        guard let sockets else { return }
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        defer { close(listenSocket) }
        while !isStopped {
            guard Self.waitReadable(listenSocket) else { continue }
            let client = accept(listenSocket, nil, nil)
            guard client >= 0 else { continue }
            let number: Int? = state.withLock { state in
                guard !state.stopped else { return nil }
                state.connections += 1
                state.openConnections += 1
                state.maxOpenConnections = max(state.maxOpenConnections, state.openConnections)
                state.clientSockets.insert(client)
                return state.connections
            }
            guard let number else {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client, connection: number) }
            thread.name = "loopback-http-conn-\(number)"
            thread.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            state.withLock { state in
                state.openConnections -= 1
                state.clientSockets.remove(fd)
            }
            close(fd)
        }
        if let greeting {
            _ = sendAll(fd, greeting)
            return
        }
        var buffer: [UInt8] = []
        while !isStopped {
            guard let request = readRequest(fd, buffer: &buffer, connection: connection) else { return }
            state.withLock { $0.requests.append(request) }
            switch handler(request) {
            case .closeWithoutResponse:
                return
            case .respond(let status, let body, let headers, let delay, let closeAfter):
                if delay > .zero { sleepUnlessStopped(delay) }
                if isStopped { return }
                var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
                for header in headers { head += header + "\r\n" }
                if closeAfter { head += "Connection: close\r\n" }
                head += "\r\n"
                guard sendAll(fd, Array(head.utf8) + body), !closeAfter else { return }
            }
        }
    }

    /// Reads one request (head + Content-Length body); nil when the peer closed or we stop.
    private func readRequest(_ fd: Int32, buffer: inout [UInt8], connection: Int) -> Request? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(terminator, in: buffer)
            if headEnd == nil, !receive(fd, into: &buffer) { return nil }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        let headers: [(name: String, value: String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
        let bodyStart = headEnd! + terminator.count
        while buffer.count < bodyStart + length {
            if !receive(fd, into: &buffer) { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return Request(
            method: String(requestLine[0]),
            target: String(requestLine[1]),
            headers: headers,
            body: body,
            connection: connection
        )
    }

    /// Appends what is available; false on EOF, error or stop.
    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        while !isStopped {
            guard Self.waitReadable(fd) else { continue }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            return false
        }
        return false
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                // MSG_NOSIGNAL: a client that gave up (timeout) must not SIGPIPE the test run.
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func sleepUnlessStopped(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !isStopped, ContinuousClock.now < deadline {
            usleep(5_000)
        }
    }

    /// Polls for up to 50 ms so loops notice `stop()` promptly.
    private static func waitReadable(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 50) > 0
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 302: "Found"
        case 400: "Bad Request"
        case 500: "Internal Server Error"
        default: "Status"
        }
    }

    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamType = SOCK_STREAM
    #endif

    /// A loopback port on which nothing listens: bound, never `listen`ed, then closed.
    static func refusedPort() -> Int {
        let fd = socket(AF_INET, streamType, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct LoopbackError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a blocking call (a `CurlHTTPClient` request) on a thread of its own and awaits its
/// result, so tests never block the cooperative pool that every other test shares.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = "curl-test-call"
        thread.start()
    }
}
