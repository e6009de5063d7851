import CCurl
import Foundation
import Synchronization
import Testing
@testable import TrackhubCore

@Suite("CurlHTTPClient")
struct CurlHTTPClientTests {
    static let token = "EAAGsecretTOKEN1234567890"

    /// A server that answers by path, the way the tests below need it.
    static func makeServer() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let path = String(request.target.prefix { $0 != "?" })
            switch path {
            case "/echo":
                return .respond(status: 200, body: request.body)
            case "/fail":
                return .respond(status: 500, body: Array(#"{"error":{"code":2}}"#.utf8))
            case "/slow":
                return .respond(status: 200, body: Array("late".utf8), delay: .seconds(3))
            case "/nothing":
                return .closeWithoutResponse
            case "/redirect":
                return .respond(status: 302, headers: ["Location: http://127.0.0.1:1/elsewhere"])
            case "/throttled":
                return .respond(status: 400, body: Array(#"{"error":{"code":4}}"#.utf8),
                                headers: ["Retry-After: 7", #"X-Business-Use-Case-Usage: {"1":[{"estimated_time_to_regain_access":3}]}"#])
            case "/close":
                return .respond(status: 200, body: Array("bye".utf8), close: true)
            default:
                if path.hasPrefix("/bytes/"), let count = Int(path.dropFirst("/bytes/".count)) {
                    return .respond(status: 200, body: [UInt8](repeating: UInt8(ascii: "x"), count: count))
                }
                return .respond(status: 200, body: Array(#"{"events_received":1}"#.utf8))
            }
        }
    }

    @Test("POST capturing response headers: the named ones, by the name given, case-insensitively; none on failure")
    func captureHeaders() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let (outcome, headers) = await offPool {
            client.post(url: server.url("/throttled"), body: Array("{}".utf8), capturing: ThrottleHint.headerNames + ["x-absent"],
                        timeout: .seconds(5))
        }
        #expect(outcome.status == 400)
        #expect(headers == ["retry-after": "7", "x-business-use-case-usage": #"{"1":[{"estimated_time_to_regain_access":3}]}"#])
        // The handle forgets them: the next exchange captures only its own.
        let (plain, none) = await offPool { client.post(url: server.url("/echo"), body: Array("{}".utf8), capturing: ["retry-after"], timeout: .seconds(5)) }
        #expect(plain.status == 200 && none.isEmpty)
        let (failed, nothing) = await offPool { client.post(url: server.url("/nothing"), body: Array("{}".utf8), capturing: ["retry-after"], timeout: .seconds(5)) }
        #expect(failed.status == nil && nothing.isEmpty)
    }

    @Test("POST 200: body, default headers and the exact request bytes")
    func post200() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(userAgent: "trackhub-test")
        let payload = Array(#"{"data":[{"event_name":"Purchase"}]}"#.utf8)

        let outcome = await offPool { client.post(url: server.url("/echo?access_token=\(Self.token)"), body: payload, timeout: .seconds(5)) }

        guard case .response(let status, let body, let latency) = outcome else {
            Issue.record("expected a response, got \(outcome)")
            return
        }
        #expect(status == 200)
        #expect(body == payload)
        #expect(latency > .zero && latency < .seconds(5))
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.target == "/echo?access_token=\(Self.token)")
        #expect(seen.body == payload)
        #expect(seen.headerValues("content-type") == ["application/json"])
        #expect(seen.header("expect") == nil)
        #expect(seen.header("user-agent") == "trackhub-test")
        #expect(seen.header("content-length") == "\(payload.count)")
    }

    @Test("a caller's Content-Type replaces the JSON default instead of adding a second one")
    func explicitContentType() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(
            url: server.url("/echo"),
            body: Array("a=b".utf8),
            headers: ["content-type: application/x-www-form-urlencoded", "X-Trace: 42"],
            timeout: .seconds(5)
        ) }
        #expect(outcome.status == 200)
        let seen = try #require(server.requests.first)
        #expect(seen.headerValues("content-type") == ["application/x-www-form-urlencoded"])
        #expect(seen.header("x-trace") == "42")
    }

    @Test("POST with an empty body sends Content-Length 0 and nothing else")
    func emptyBody() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(url: server.url("/echo"), body: [], timeout: .seconds(5)) }
        #expect(outcome.status == 200)
        #expect(outcome.body == [])
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.header("content-length") == "0")
    }

    @Test("GET carries the bearer header and no body or Content-Type")
    func getWithBearer() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.get(url: server.url("/v1/payments/123"), headers: ["Authorization: Bearer APP_USR-1"], timeout: .seconds(5)) }
        #expect(outcome.status == 200)
        #expect(outcome.body == Array(#"{"events_received":1}"#.utf8))
        let seen = try #require(server.requests.first)
        #expect(seen.method == "GET")
        #expect(seen.target == "/v1/payments/123")
        #expect(seen.header("authorization") == "Bearer APP_USR-1")
        #expect(seen.header("content-type") == nil)
        #expect(seen.body.isEmpty)
    }

    @Test("HTTP 500 is a response, not a transport failure")
    func status500() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(url: server.url("/fail"), body: Array("{}".utf8), timeout: .seconds(5)) }
        guard case .response(let status, let body, _) = outcome else {
            Issue.record("expected a response, got \(outcome)")
            return
        }
        #expect(status == 500)
        #expect(String(decoding: body, as: UTF8.self) == #"{"error":{"code":2}}"#)
    }

    @Test("redirects are returned, never followed")
    func redirectNotFollowed() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(url: server.url("/redirect"), body: Array("{}".utf8), timeout: .seconds(5)) }
        #expect(outcome.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test("a server slower than the timeout gives .timeout within the bound")
    func timeout() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(
            url: server.url("/slow?access_token=\(Self.token)"),
            body: Array("{}".utf8),
            timeout: .milliseconds(300)
        ) }
        guard case .failure(let kind, let message, let latency) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        // The server would answer after 3 s; the client gives up at its 300 ms budget.
        #expect(kind == .timeout)
        #expect(latency >= .milliseconds(290))
        #expect(latency < .milliseconds(1500), "timed out after \(latency), budget 300 ms")
        #expect(!message.contains(Self.token) && !message.contains("access_token") && !message.contains("127.0.0.1"))
    }

    @Test("nothing listening gives .connect, quickly")
    func connectionRefused() async throws {
        let client = try CurlHTTPClient()
        let port = LoopbackHTTPServer.refusedPort()
        let outcome = await offPool { client.post(
            url: "http://127.0.0.1:\(port)/v25.0/123/events?access_token=\(Self.token)",
            body: Array("{}".utf8),
            timeout: .seconds(5)
        ) }
        guard case .failure(let kind, let message, let latency) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(kind == .connect)
        #expect(latency < .seconds(2))
        #expect(!message.isEmpty)
        #expect(!message.contains(Self.token) && !message.contains("access_token") && !message.contains("\(port)"))
    }

    @Test("a peer that does not speak TLS gives .tls")
    func tlsHandshakeFailure() async throws {
        let server = try LoopbackHTTPServer(greeting: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)) { _ in
            .closeWithoutResponse
        }
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(
            url: "https://127.0.0.1:\(server.port)/v25.0/123/events?access_token=\(Self.token)",
            body: Array("{}".utf8),
            timeout: .seconds(5)
        ) }
        guard case .failure(let kind, let message, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(kind == .tls, "message: \(message)")
        #expect(!message.contains(Self.token))
        #expect(server.connectionCount == 1)
    }

    @Test("a connection closed without an answer gives .sendOrReceive")
    func emptyReply() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(url: server.url("/nothing?access_token=\(Self.token)"), body: Array("{}".utf8), timeout: .seconds(5)) }
        guard case .failure(let kind, let message, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(kind == .sendOrReceive)
        #expect(!message.contains(Self.token))
    }

    @Test("the body cap admits exactly the limit, aborts one byte more, and the client stays usable")
    func bodyCap() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(maxResponseBytes: 4096)

        let atLimit = await offPool { client.get(url: server.url("/bytes/4096"), timeout: .seconds(5)) }
        #expect(atLimit.status == 200)
        #expect(atLimit.body?.count == 4096)

        let over = await offPool { client.get(url: server.url("/bytes/4097?access_token=\(Self.token)"), timeout: .seconds(5)) }
        guard case .failure(let kind, let message, _) = over else {
            Issue.record("expected a failure, got \(over)")
            return
        }
        #expect(kind == .other)
        #expect(message.contains("4096-byte limit"))
        #expect(!message.contains(Self.token))

        let after = await offPool { client.post(url: server.url("/echo"), body: Array("again".utf8), timeout: .seconds(5)) }
        #expect(after.body == Array("again".utf8))
    }

    @Test("the default cap is 1 MiB")
    func defaultCap() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        #expect(await offPool { client.get(url: server.url("/bytes/\(1 << 20)"), timeout: .seconds(10)) }.body?.count == 1 << 20)
        #expect(await offPool { client.get(url: server.url("/bytes/\((1 << 20) + 1)"), timeout: .seconds(10)) }.failureKind == .other)
    }

    @Test("three requests reuse one keep-alive connection")
    func keepAlive() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        #expect(await offPool { client.post(url: server.url("/echo"), body: Array("1".utf8), timeout: .seconds(5)) }.body == Array("1".utf8))
        #expect(await offPool { client.get(url: server.url("/ok"), timeout: .seconds(5)) }.status == 200)
        #expect(await offPool { client.post(url: server.url("/echo"), body: Array("3".utf8), timeout: .seconds(5)) }.body == Array("3".utf8))
        #expect(server.requests.count == 3)
        #expect(server.connectionCount == 1)
        #expect(Set(server.requests.map(\.connection)) == [1])
    }

    @Test("a server-closed connection is replaced transparently")
    func reconnectAfterClose() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        #expect(await offPool { client.get(url: server.url("/close"), timeout: .seconds(5)) }.body == Array("bye".utf8))
        #expect(await offPool { client.get(url: server.url("/ok"), timeout: .seconds(5)) }.status == 200)
        #expect(server.connectionCount == 2)
    }

    @Test("a header line with CR/LF is refused before anything is sent")
    func headerInjection() async throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let outcome = await offPool { client.post(
            url: server.url("/echo"),
            body: Array("{}".utf8),
            headers: ["X-Note: a\r\nX-Evil: 1"],
            timeout: .seconds(5)
        ) }
        #expect(outcome.failureKind == .other)
        #expect(server.requests.isEmpty)
        #expect(server.connectionCount == 0)
    }

    @Test("failure messages never carry the URL, whatever went wrong")
    func noTokenInMessages() async throws {
        let client = try CurlHTTPClient()
        let urls = [
            "ftp://127.0.0.1/v25.0/123/events?access_token=\(Self.token)",
            "http://127.0.0.1:99999/v25.0/123/events?access_token=\(Self.token)",
            "not a url at all access_token=\(Self.token)",
        ]
        for url in urls {
            let outcome = await offPool { client.post(url: url, body: Array("{}".utf8), timeout: .seconds(2)) }
            guard case .failure(let kind, let message, _) = outcome else {
                Issue.record("expected a failure for \(url), got \(outcome)")
                continue
            }
            #expect(kind == .other)
            #expect(!message.isEmpty)
            #expect(!message.contains(Self.token) && !message.contains("access_token"))
        }
    }

    @Test("libcurl result codes map to the documented kinds")
    func classification() {
        #expect(CurlHTTPClient.classify(CURLE_OPERATION_TIMEDOUT) == .timeout)
        #expect(CurlHTTPClient.classify(CURLE_COULDNT_CONNECT) == .connect)
        #expect(CurlHTTPClient.classify(CURLE_COULDNT_RESOLVE_HOST) == .connect)
        #expect(CurlHTTPClient.classify(CURLE_SSL_CONNECT_ERROR) == .tls)
        #expect(CurlHTTPClient.classify(CURLE_PEER_FAILED_VERIFICATION) == .tls)
        #expect(CurlHTTPClient.classify(CURLE_SEND_ERROR) == .sendOrReceive)
        #expect(CurlHTTPClient.classify(CURLE_RECV_ERROR) == .sendOrReceive)
        #expect(CurlHTTPClient.classify(CURLE_GOT_NOTHING) == .sendOrReceive)
        #expect(CurlHTTPClient.classify(CURLE_PARTIAL_FILE) == .sendOrReceive)
        #expect(CurlHTTPClient.classify(CURLE_URL_MALFORMAT) == .other)
        #expect(CurlHTTPClient.classify(CURLE_WRITE_ERROR) == .other)
    }

    @Test("timeouts become whole milliseconds, rounded up, never 0 (libcurl's 'no timeout')")
    func milliseconds() {
        #expect(CurlHTTPClient.milliseconds(.milliseconds(1500)) == 1500)
        #expect(CurlHTTPClient.milliseconds(.microseconds(1)) == 1)
        #expect(CurlHTTPClient.milliseconds(.microseconds(2500)) == 3)
        #expect(CurlHTTPClient.milliseconds(.zero) == 1)
        #expect(CurlHTTPClient.milliseconds(.seconds(-3)) == 1)
        #expect(CurlHTTPClient.milliseconds(.seconds(10_000_000)) == 86_400_000)
    }
}
