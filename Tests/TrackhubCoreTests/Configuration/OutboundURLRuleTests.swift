import Testing
@testable import TrackhubCore

/// The Graph and Mercado Pago base URLs carry tokens and buyers' data: https, or plain http to a
/// loopback fake when the operator allows it — never plain http to another host.
@Suite("OutboundURLRule")
struct OutboundURLRuleTests {
    @Test("https is accepted with or without the loopback setting")
    func https() {
        for allow in [false, true] {
            #expect(OutboundURLRule.problem("https://graph.facebook.com", allowLoopbackHTTP: allow) == nil)
            #expect(OutboundURLRule.problem("https://127.0.0.1:8443", allowLoopbackHTTP: allow) == nil)
        }
    }

    @Test("http to a loopback host only when allowed", arguments: [
        "http://127.0.0.1:7600", "http://127.9.8.7", "http://localhost:9", "http://LOCALHOST", "http://[::1]:7600",
    ])
    func loopback(_ url: String) {
        #expect(OutboundURLRule.problem(url, allowLoopbackHTTP: true) == nil)
        let refused = OutboundURLRule.problem(url, allowLoopbackHTTP: false)
        #expect(refused?.contains("TRACKHUB_ALLOW_LOOPBACK_HTTP") == true)
    }

    @Test("http to any other host is refused even when loopback http is allowed", arguments: [
        "http://graph.facebook.com", "http://10.0.0.1:80", "http://127.0.0.1.evil.example", "http://localhost.evil.example",
        "http://[::2]", "http://[::ffff:10.0.0.1]", "http://128.0.0.1",
    ])
    func remoteHTTP(_ url: String) {
        #expect(OutboundURLRule.problem(url, allowLoopbackHTTP: true) != nil)
    }

    @Test("other schemes and relative or host-less URLs are refused", arguments: [
        "ftp://127.0.0.1", "graph.facebook.com", "https://", "file:///etc/passwd", "",
    ])
    func malformed(_ url: String) {
        #expect(OutboundURLRule.problem(url, allowLoopbackHTTP: true) != nil)
    }

    @Test("the resolver applies it to a setting and names the setting, not the value")
    func resolver() throws {
        let env = ["TRACKHUB_GRAPH_BASE_URL": "http://graph.facebook.com/", "TRACKHUB_MERCADOPAGO_BASE_URL": "http://127.0.0.1:9/"]
        let r = try SettingsResolver(flags: [:], environment: env)
        #expect(throws: SettingError.self) { _ = try r.outboundURL(DispatchSettings.graphBaseURL, allowLoopbackHTTP: true) }
        #expect(throws: SettingError.self) { _ = try r.outboundURL(DispatchSettings.mercadoPagoBaseURL, allowLoopbackHTTP: false) }
        #expect(try r.outboundURL(DispatchSettings.mercadoPagoBaseURL, allowLoopbackHTTP: true) == "http://127.0.0.1:9")
        #expect(try r.bool(DispatchSettings.allowLoopbackHTTP) == false)
        do {
            _ = try r.outboundURL(DispatchSettings.graphBaseURL, allowLoopbackHTTP: false)
        } catch let error as SettingError {
            #expect(error.description.contains("TRACKHUB_GRAPH_BASE_URL") && !error.description.contains("graph.facebook.com"))
        }
    }

    @Test("IPAddress.isLoopback: 127.0.0.0/8 and ::1 only")
    func isLoopback() throws {
        #expect(try #require(IPAddress("127.0.0.1")).isLoopback)
        #expect(try #require(IPAddress("127.255.0.9")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(try #require(IPAddress("::ffff:127.0.0.1")).isLoopback)
        #expect(!(try #require(IPAddress("126.0.0.1")).isLoopback))
        #expect(!(try #require(IPAddress("::")).isLoopback))
        #expect(!(try #require(IPAddress("::2")).isLoopback))
        #expect(!(try #require(IPAddress("10.0.0.1")).isLoopback))
    }
}
