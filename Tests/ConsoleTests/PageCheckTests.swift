import Foundation
import Testing
import TrackhubConsole
import TrackhubCore

/// Setup step 5's pure parts: the address policy (SSRF), the HTML scan, and the checker's walk
/// and verdict over an in-memory fetcher.
@Suite("Console: landing-page check")
struct PageCheckTests {
    // MARK: Policy

    @Test("every special-purpose block is refused; public addresses pass", arguments: [
        ("127.0.0.1", PageFetchPolicy.AddressClass.loopback), ("127.8.9.10", .loopback), ("::1", .loopback),
        ("10.0.0.5", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("100.64.0.1", .privateNetwork), ("fd00:ec2::254", .privateNetwork),
        ("fc00::1", .privateNetwork), ("64:ff9b::a00:1", .privateNetwork),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal),
        ("0.0.0.0", .reserved), ("224.0.0.1", .reserved), ("255.255.255.255", .reserved), ("192.0.2.7", .reserved),
        ("::", .reserved), ("::7f00:1", .reserved), ("ff02::1", .reserved), ("2001:db8::1", .reserved),
        ("8.8.8.8", .publicInternet), ("172.32.0.1", .publicInternet), ("2606:4700::1111", .publicInternet),
        ("::ffff:10.0.0.1", .privateNetwork), ("::ffff:127.0.0.1", .loopback),
    ])
    func classify(address: String, expected: PageFetchPolicy.AddressClass) throws {
        #expect(PageFetchPolicy.classify(try #require(IPAddress(address))) == expected, "\(address)")
    }

    @Test("a URL is refused before any lookup when it is not http(s), carries credentials, or is a refused literal")
    func urls() {
        let policy = PageFetchPolicy()
        #expect(policy.check(url: "https://loja.com.br/curso?x=1") == .success(.init(scheme: "https", host: "loja.com.br", port: 443)))
        #expect(policy.check(url: "http://Loja.com.br:8080/") == .success(.init(scheme: "http", host: "loja.com.br", port: 8080)))
        for url in ["javascript:alert(1)", "file:///etc/passwd", "ftp://loja.com.br/", "gopher://x/", "loja.com.br", "https://", "//loja.com.br/x"] {
            #expect(policy.check(url: url) == .failure(.notWebAddress), "\(url)")
        }
        #expect(policy.check(url: "https://ana:senha@loja.com.br/") == .failure(.credentials))
        #expect(policy.check(url: "http://127.0.0.1:8080/") == .failure(.loopback))
        #expect(policy.check(url: "http://[::1]/") == .failure(.loopback))
        #expect(policy.check(url: "http://169.254.169.254/latest/meta-data/") == .failure(.linkLocal))
        #expect(policy.check(url: "http://[fd00:ec2::254]/") == .failure(.privateNetwork))
        #expect(policy.check(url: "http://[fe80::1%25eth0]/") == .failure(.notWebAddress))
        #expect(PageFetchPolicy(allowLoopback: true).check(url: "http://127.0.0.1:8080/lp")
            == .success(.init(scheme: "http", host: "127.0.0.1", port: 8080)))
    }

    @Test("resolved addresses: any refused one refuses the host; loopback only when allowed; IPv4 preferred")
    func addresses() throws {
        let policy = PageFetchPolicy()
        let public4 = try #require(IPAddress("203.0.114.10")), public6 = try #require(IPAddress("2606:4700::1111"))
        #expect(policy.check(addresses: [public6, public4]) == .success(public4))
        #expect(policy.check(addresses: [public4, try #require(IPAddress("10.0.0.1"))]) == .failure(.privateNetwork))
        #expect(policy.check(addresses: []) == .failure(.unresolved))
        let loopback = try #require(IPAddress("127.0.0.1"))
        #expect(policy.check(addresses: [loopback]) == .failure(.loopback))
        let open = PageFetchPolicy(allowLoopback: true)
        #expect(open.check(addresses: [loopback]) == .success(loopback))
        #expect(open.check(addresses: [loopback, try #require(IPAddress("169.254.169.254"))]) == .failure(.linkLocal))
    }

    @Test("the system resolver: a literal is itself, localhost is loopback, an .invalid name is nothing")
    func resolver() {
        #expect(HostResolver.addresses(of: "127.0.0.1") == [IPAddress("127.0.0.1")!])
        let local = HostResolver.addresses(of: "localhost")
        #expect(!local.isEmpty && local.allSatisfy { $0.isLoopback })
        #expect(HostResolver.addresses(of: "nao-existe.invalid").isEmpty)
        // Numeric forms the resolver accepts end up as the address they mean, then the policy decides.
        #expect(HostResolver.addresses(of: "2130706433") == [IPAddress("127.0.0.1")!])
    }

    // MARK: HTML scan

    @Test("finds /t.js (absolute, relative, any case, unquoted) and counts checkout links by gateway")
    func scan() {
        let html = """
            <html><head><SCRIPT SRC="https://track.loja.com.br/t.js" data-tenant="ana" defer></SCRIPT></head>
            <body><a href="https://pay.hotmart.com/X1?off=a&amp;b=c">Comprar</a> <a href=https://go.hotmart.com/Y>Comprar</a>
            <form action='https://pay.kiwify.com.br/abc' method=get></form><a href="/sobre">Sobre</a>
            <a data-href="https://pay.hotmart.com/ignorado">x</a><img src="data:image/png;base64,AAAA"></body></html>
            """
        let found = LandingPageScan.scan(html: Array(html.utf8), pageURL: "https://loja.com.br/curso")
        #expect(found.scriptURL == "https://track.loja.com.br/t.js")
        #expect(found.checkouts == [.init(gateway: "Hotmart", parameter: "sck", count: 2), .init(gateway: "Kiwify", parameter: "sck", count: 1)])
        let relative = LandingPageScan.scan(html: Array(#"<script src="/t.js?v=2"></script>"#.utf8), pageURL: "https://track.loja.com.br/lp")
        #expect(relative.scriptURL == "https://track.loja.com.br/t.js?v=2")
        let none = LandingPageScan.scan(html: Array(#"<script src="https://cdn.site.com/tracker.js"></script>"#.utf8), pageURL: "https://x.com/")
        #expect(none.scriptURL == nil && none.checkouts.isEmpty)
    }

    // MARK: The walk

    /// Pages by URL prefix (the checker adds its test ids to the query); anything else is refused.
    struct Pages: PageFetcher {
        var answers: [(prefix: String, outcome: PageFetchOutcome)]
        var redirectKeepingQuery: [String: String] = [:]

        func fetch(_ url: String, policy: PageFetchPolicy) async -> PageFetchOutcome {
            for (from, to) in redirectKeepingQuery where url.hasPrefix(from) {
                let query = URLComponents(string: url)?.percentEncodedQuery.map { "?" + $0 } ?? ""
                return .response(status: 301, location: to + query, body: [], truncated: false)
            }
            return answers.first { url.hasPrefix($0.prefix) }?.outcome ?? .refused(.privateNetwork)
        }
    }

    static let withScript = Array(#"<script src="https://track.loja.com.br/t.js"></script><a href="https://pay.hotmart.com/X">Comprar</a>"#.utf8)
    static let clickID = ClickID.generate()

    func page(_ body: [UInt8]) -> PageFetchOutcome { .response(status: 200, location: nil, body: body, truncated: false) }

    @Test("/go → landing page with /t.js: ready; the fbclid was recorded at /go; checkout links counted")
    func goToPage() async {
        let pages = Pages(answers: [
            ("https://track.loja.com.br/go/ana-lp?fbclid=", .response(status: 302, location: "https://loja.com.br/lp?th_cid=\(Self.clickID)&utm_source=FB",
                                                                    body: [], truncated: false)),
            ("https://loja.com.br/lp?th_cid=\(Self.clickID)", page(Self.withScript)),
        ])
        let report = await LandingPageChecker(fetcher: pages, policy: PageFetchPolicy())
            .check(start: "https://track.loja.com.br/go/ana-lp", trackhubHost: "track.loja.com.br", fbclid: "TESTE")
        #expect(report.outcome == .ready)
        #expect(report.hops.map(\.trackhub) == [true, false] && report.hops.map(\.clickID) == [true, true])
        #expect(report.hops.map(\.fbclid) == [true, false] && report.fbclidLostAt == nil, "/go keeps the fbclid server-side by design")
        #expect(report.checkouts == [.init(gateway: "Hotmart", parameter: "sck", count: 1)] && !report.scriptOtherHost)
    }

    @Test("a redirect that drops the query loses the click id at that hop")
    func dropsQuery() async {
        let pages = Pages(answers: [
            ("https://loja.com.br/antiga", .response(status: 301, location: "/lp", body: [], truncated: false)),
            ("https://loja.com.br/lp", page(Self.withScript)),
        ])
        let report = await LandingPageChecker(fetcher: pages, policy: PageFetchPolicy()).check(start: "https://loja.com.br/antiga", trackhubHost: "track.loja.com.br")
        #expect(report.outcome == .clickLost && report.clickLostAt == 1 && report.fbclidLostAt == 1)
        #expect(report.hops.map(\.url).last == "https://loja.com.br/lp")
    }

    @Test("a redirect that keeps the query, then a page without /t.js: script missing")
    func noScript() async {
        var pages = Pages(answers: [("https://loja.com.br/lp", page(Array("<html><a href=https://pay.hotmart.com/X>Comprar</a></html>".utf8)))])
        pages.redirectKeepingQuery = ["https://loja.com.br/antiga": "https://loja.com.br/lp"]
        let report = await LandingPageChecker(fetcher: pages, policy: PageFetchPolicy()).check(start: "https://loja.com.br/antiga", trackhubHost: nil)
        #expect(report.outcome == .scriptMissing && report.clickLostAt == nil && report.hops.count == 2 && report.hops.allSatisfy(\.clickID))
    }

    @Test("a checkout link stops at the gateway (not fetched) with the click id in its address")
    func handoff() async {
        let pages = Pages(answers: [
            ("https://track.loja.com.br/go/ana", .response(status: 302, location: "https://pay.hotmart.com/X?sck=\(Self.clickID)", body: [], truncated: false)),
        ])
        let report = await LandingPageChecker(fetcher: pages, policy: PageFetchPolicy()).check(start: "https://track.loja.com.br/go/ana", trackhubHost: "track.loja.com.br")
        #expect(report.outcome == .ready && report.checkoutGateway == "Hotmart" && report.hops.count == 2 && report.hops[1].status == nil)
    }

    @Test("a /go that does not redirect, a loop, a refused hop, an unreachable page, an error page")
    func failures() async {
        let checker = { (pages: Pages) in LandingPageChecker(fetcher: pages, policy: PageFetchPolicy(maxRedirects: 3)) }
        var report = await checker(Pages(answers: [("https://track.loja.com.br/go/x", page(Array("not found".utf8)))]))
            .check(start: "https://track.loja.com.br/go/x", trackhubHost: "track.loja.com.br")
        #expect(report.outcome == .linkNotFound)
        report = await checker(Pages(answers: [], redirectKeepingQuery: ["https://a.com/1": "https://a.com/2", "https://a.com/2": "https://a.com/1"]))
            .check(start: "https://a.com/1", trackhubHost: nil)
        #expect(report.outcome == .tooManyRedirects && report.hops.count == 4)
        report = await checker(Pages(answers: [("https://a.com/", .response(status: 302, location: "http://10.0.0.1/admin", body: [], truncated: false))]))
            .check(start: "https://a.com/", trackhubHost: nil)
        #expect(report.outcome == .refused && report.refusal == .privateNetwork && report.hops.count == 2)
        report = await checker(Pages(answers: [("https://a.com/", .failed(.tls))])).check(start: "https://a.com/", trackhubHost: nil)
        #expect(report.outcome == .unreachable && report.failure == "tls")
        report = await checker(Pages(answers: [("https://a.com/", .response(status: 503, location: nil, body: [], truncated: false))]))
            .check(start: "https://a.com/", trackhubHost: nil)
        #expect(report.outcome == .httpError && report.finalStatus == 503)
    }

    @Test("/t.js from another host is a note; the test ids are appended before a fragment")
    func otherHostAndFragment() async {
        let pages = Pages(answers: [("https://loja.com.br/lp", page(Array(#"<script src="https://outro.com/t.js"></script>"#.utf8)))])
        let report = await LandingPageChecker(fetcher: pages, policy: PageFetchPolicy()).check(start: "https://loja.com.br/lp#topo", trackhubHost: "track.loja.com.br")
        #expect(report.outcome == .ready && report.scriptOtherHost)
        #expect(report.hops[0].url.hasSuffix("&utm_source=FB#topo") && report.hops[0].url.contains("?fbclid=TrackhubTeste_"))
    }
}
