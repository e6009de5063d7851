import Testing
@testable import TrackhubCore

/// What a click keeps of its query string (issue 14): click ids, the documented utm_* names, a
/// few extra utm_* names, all within a byte budget that also pays for the redirect's copy.
@Suite("ClickParameters")
struct ClickParametersTests {
    @Test("a normal ad click keeps everything; first non-empty occurrence wins; other names are ignored")
    func normalClick() {
        let p = ClickParameters(query: [("utm_source", ""), ("utm_source", "fb"), ("utm_campaign", "launch"), ("utm_source", "x"),
                                        ("fbclid", "IwAR-Ab_9"), ("gclid", "g1"), ("email", "ana@example.com"), ("utm_custom", "c")])
        #expect(p.utm == ["utm_source": "fb", "utm_campaign": "launch", "utm_custom": "c"])
        #expect(p.forwarded.map(\.0) == ["utm_source", "utm_campaign"] && p.forwarded.map(\.1) == ["fb", "launch"])
        #expect(p.fbclid == "IwAR-Ab_9" && p.gclid == "g1" && p.ttclid == nil)
        #expect(p.dropped == 0)
    }

    @Test("110 utm_* parameters of 500 bytes: the budget holds, click ids and documented names come first")
    func floodIsBounded() {
        var query: [(String, String)] = (0..<104).map { ("utm_x\($0)", String(repeating: "v", count: 500)) }
        query += DestinationURLBuilder.passthroughParameters.map { ($0, String(repeating: "d", count: 500)) }
        query.append(("fbclid", "IwAR-" + String(repeating: "a", count: 100)))
        let limits = ClickParameters.Limits()
        let p = ClickParameters(query: query, limits: limits)
        #expect(p.charged <= limits.totalBytes)
        #expect(p.fbclid != nil)
        #expect(p.utm.keys.filter { $0.hasPrefix("utm_x") }.count <= limits.extraNames)
        #expect(p.utm["utm_source"] != nil)  // documented before extras
        let keptBytes = p.utm.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        #expect(keptBytes <= limits.totalBytes)
        #expect(p.dropped == query.count - p.utm.count - 1)
    }

    @Test("extra utm_* names: at most the configured number; names over 32 bytes are dropped")
    func extraNames() {
        let query = (0..<10).map { ("utm_e\($0)", "v") } + [("utm_" + String(repeating: "n", count: 40), "v")]
        let p = ClickParameters(query: query, limits: .init(extraNames: 3))
        #expect(p.utm.keys.sorted() == ["utm_e0", "utm_e1", "utm_e2"])
        #expect(p.dropped == 8)
        #expect(ClickParameters(query: query, limits: .init(extraNames: 0)).utm.isEmpty)
    }

    @Test("values are cut at a scalar boundary; a click id too long to keep whole is dropped, not cut")
    func cuts() {
        let p = ClickParameters(query: [("utm_term", String(repeating: "é", count: 300)), ("gclid", String(repeating: "g", count: 600))],
                                limits: .init(valueBytes: 101))
        #expect(p.utm["utm_term"] == String(repeating: "é", count: 50))
        #expect(p.gclid == nil && p.dropped == 1)
    }

    @Test("kept values are storable")
    func storable() {
        let p = ClickParameters(query: [("utm_source", "\u{0}x"), ("utm_\u{0}", "y"), ("ttclid", "t\u{0}")])
        #expect(p.utm == ["utm_source": "\u{FFFD}x", "utm_\u{FFFD}": "y"])
        #expect(p.ttclid == "t\u{FFFD}")
    }
}

@Suite("URLQueryAllowList")
struct URLQueryAllowListTests {
    let list = URLQueryAllowList(extra: ["ref"])

    @Test("personal data and tokens in a URL are dropped; campaign and click ids kept byte for byte, in order")
    func filters() {
        #expect(list.filtered("https://lp.example/obrigado?email=ana%40example.com&tel=%2B5511987654321&utm_source=fb&fbclid=IwAR-1&token=abc&ref=x")
                == "https://lp.example/obrigado?utm_source=fb&fbclid=IwAR-1&ref=x")
        #expect(list.filtered("https://lp.example/?token=abc") == "https://lp.example/")
        #expect(list.filtered("https://lp.example/p?UTM_SOURCE=a&utm%5Fmedium=b&sck=c&th_cid=d")
                == "https://lp.example/p?utm%5Fmedium=b&sck=c&th_cid=d")
        #expect(list.filtered("https://lp.example/p") == "https://lp.example/p")
    }

    @Test("user info and fragment are dropped")
    func userInfoAndFragment() {
        #expect(list.filtered("https://user:secret@lp.example/a?utm_id=1#access_token=xyz") == "https://lp.example/a?utm_id=1")
        #expect(list.filtered("https://lp.example?gclid=1&x=2#f") == "https://lp.example?gclid=1")
        #expect(list.filtered("https://lp.example/a@b?q=1") == "https://lp.example/a@b")
    }

    @Test("configured extras only for the names given")
    func extras() {
        #expect(URLQueryAllowList().filtered("https://a.example/?ref=1") == "https://a.example/")
        #expect(list.allows("ref") && list.allows("utm_anything") && list.allows("gbraid") && !list.allows("email"))
    }
}
