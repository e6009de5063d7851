import Foundation
import NIOPosix
import TrackhubCore

/// A deliberately small HTTP/1.1 client for integration tests: it sends the request line and
/// headers exactly as given (so tests can send hostile paths like `//evil.com` that a URL
/// library would normalise), never follows redirects, and returns status, headers and body.
/// Blocking socket I/O runs on a dedicated thread pool, not the cooperative pool.
enum RawHTTP {
    struct Response: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// Lives as long as the test process (a harness, not a service: nothing to shut down).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    static func request(port: Int, method: String, target: String, headers: [(String, String)] = [],
                        body: [UInt8] = [], timeout: Duration = .seconds(10)) async throws -> Response {
        try await pool.runIfActive {
            try send(port: port, method: method, target: target, headers: headers, body: body, timeout: timeout)
        }
    }

    static func get(port: Int, _ target: String, headers: [(String, String)] = []) async throws -> Response {
        try await request(port: port, method: "GET", target: target, headers: headers)
    }

    static func post(port: Int, _ target: String, json: String, headers: [(String, String)] = []) async throws -> Response {
        try await request(port: port, method: "POST", target: target,
                          headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    /// A blocking TCP connection to 127.0.0.1:`port` whose reads and writes time out after
    /// `timeout`; the caller closes it.
    private static func connectLoopback(port: Int, timeout: timeval) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed") }
        var tv = timeout
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let failure = errno
            close(fd)
            throw HarnessError("connect to \(port) failed: errno \(failure)")
        }
        return fd
    }

    private static func send(port: Int, method: String, target: String, headers: [(String, String)],
                             body: [UInt8], timeout: Duration) throws -> Response {
        let fd = try connectLoopback(port: port, timeout: timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0))
        defer { close(fd) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, out.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer (413) before reading everything
            sent += n
        }
        var received: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buf[0..<n])
        }
        return try parse(received)
    }

    /// Opens a connection, sends `first`, then one byte of `drip` every `dripInterval` (a
    /// slowloris), and returns how long the server took to close it — nil when it was still
    /// open after `limit`.
    static func timeUntilClosed(port: Int, first: [UInt8], drip: [UInt8] = [], dripInterval: Duration = .milliseconds(300),
                                limit: Duration) async throws -> Duration? {
        try await pool.runIfActive {
            // Reads wake every 100 ms, so the drip keeps its pace and the close is seen at once.
            let fd = try connectLoopback(port: port, timeout: timeval(tv_sec: 0, tv_usec: 100_000))
            defer { close(fd) }
            let start = ContinuousClock.now
            if !first.isEmpty { _ = first.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, first.count, Int32(MSG_NOSIGNAL)) } }
            var next = 0
            var lastDrip = start
            var buf = [UInt8](repeating: 0, count: 4096)
            while ContinuousClock.now - start < limit {
                let n = recv(fd, &buf, buf.count, 0)
                if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return ContinuousClock.now - start }
                if next < drip.count, ContinuousClock.now - lastDrip >= dripInterval {
                    let sent = drip.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + next, 1, Int32(MSG_NOSIGNAL)) }
                    if sent < 0 { return ContinuousClock.now - start }
                    next += 1
                    lastDrip = ContinuousClock.now
                }
            }
            return nil
        }
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        let sep: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = (0..<max(0, raw.count - 3)).first(where: { Array(raw[$0..<$0 + 4]) == sep }) else {
            throw HarnessError("no HTTP response (\(raw.count) bytes)")
        }
        let head = String(decoding: raw[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HarnessError("bad status line \(head[0])") }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(raw[(headEnd + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            guard let lineEnd = (i..<data.count - 1).first(where: { data[$0] == 13 && data[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText, radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            out.append(contentsOf: data[start..<min(data.count, start + size)])
            i = start + size + 2
        }
        return out
    }
}
