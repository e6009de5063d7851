import Foundation
import Testing
@testable import TrackhubCore

@Suite("CAPIEventValidator")
struct CAPIEventValidatorTests {
    let validator = CAPIEventValidator()
    let now = MetaTestSupport.now
    var nowSeconds: Int { Int(now.timeIntervalSince1970) }

    func validPurchase() -> CAPIEvent {
        CAPIEvent(
            eventName: .purchase, eventTime: nowSeconds - 60, eventId: "kiwify:123", actionSource: .website,
            eventSourceUrl: "https://pay.example.com/obrigado",
            userData: CAPIUserData(
                hashed: HashedUserData(em: [MetaHash.sha256Hex("a@b.com")]),
                fbc: "fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQ.AQ", fbp: "fb.1.1596403881668.1116446470",
                clientIpAddress: "2001:db8::1", clientUserAgent: "Mozilla/5.0"),
            customData: CAPICustomData(value: 97, currency: "brl"))
    }

    func fields(_ event: CAPIEvent) -> [String] {
        validator.violations(of: event, now: now).map(\.field)
    }

    @Test("A complete website purchase is valid")
    func valid() {
        #expect(validator.violations(of: validPurchase(), now: now).isEmpty)
        #expect(validator.verdict(for: validPurchase(), now: now) == .valid)
    }

    @Test("A server-only purchase needs no URL or user agent")
    func systemGenerated() {
        var event = validPurchase()
        event.actionSource = .systemGenerated
        event.eventSourceUrl = nil
        event.userData.clientUserAgent = nil
        #expect(validator.violations(of: event, now: now).isEmpty)
    }

    @Test("Required fields")
    func required() {
        var event = validPurchase()
        event.userData = CAPIUserData()
        event.eventSourceUrl = nil
        event.customData = nil
        let found = validator.violations(of: event, now: now)
        #expect(found.map(\.field) == [
            "user_data", "event_source_url", "user_data.client_user_agent", "custom_data.value", "custom_data.currency",
        ])
        #expect(found.allSatisfy { $0.reason == .missing && $0.kind == .invalid })

        var unnamed = validPurchase()
        unnamed.eventName = "  "
        #expect(validator.violations(of: unnamed, now: now) == [CAPIViolation(field: "event_name", reason: .missing)])
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        let field: String
        let change: String
        let mutate: @Sendable (inout CAPIEvent) -> Void
        init(_ field: String, _ change: String, _ mutate: @escaping @Sendable (inout CAPIEvent) -> Void) {
            self.field = field
            self.change = change
            self.mutate = mutate
        }
        var testDescription: String { change }
    }

    static let malformedCases: [MalformedCase] = [
        MalformedCase("user_data.client_ip_address", "userData.clientIpAddress = \"1.2.3.4, 10.0.0.1\"") { e in e.userData.clientIpAddress = "1.2.3.4, 10.0.0.1" },
        MalformedCase("user_data.client_ip_address", "userData.clientIpAddress = \"999.1.1.1\"") { e in e.userData.clientIpAddress = "999.1.1.1" },
        MalformedCase("user_data.fbc", "userData.fbc = \"IwAR2F4-dbP0l7Mn1IawQQ\"") { e in e.userData.fbc = "IwAR2F4-dbP0l7Mn1IawQQ" },
        MalformedCase("user_data.fbc", "userData.fbc = \"fb.1.1554763741205\"") { e in e.userData.fbc = "fb.1.1554763741205" },
        MalformedCase("user_data.fbp", "userData.fbp = \"fb.1.1596403881668.abc\"") { e in e.userData.fbp = "fb.1.1596403881668.abc" },
        MalformedCase("event_source_url", "eventSourceUrl = \"/obrigado\"") { e in e.eventSourceUrl = "/obrigado" },
        MalformedCase("event_source_url", "eventSourceUrl = \"ftp://x.com/a\"") { e in e.eventSourceUrl = "ftp://x.com/a" },
        MalformedCase("custom_data.currency", "customData?.currency = \"R$\"") { e in e.customData?.currency = "R$" },
        MalformedCase("custom_data.currency", "customData?.currency = \"REAL\"") { e in e.customData?.currency = "REAL" },
        MalformedCase("custom_data.value", "customData?.value = -1") { e in e.customData?.value = -1 },
        MalformedCase("custom_data.value", "customData?.value = .nan") { e in e.customData?.value = .nan },
        MalformedCase("custom_data.num_items", "customData?.numItems = -2") { e in e.customData?.numItems = -2 },
        MalformedCase("event_time", "eventTime = 0") { e in e.eventTime = 0 },
    ]

    @Test("Malformed values", arguments: malformedCases)
    func malformed(_ c: MalformedCase) {
        var event = validPurchase()
        c.mutate(&event)
        let found = validator.violations(of: event, now: now)
        #expect(found.count == 1)
        #expect(found.first?.field == c.field)
        #expect(found.first?.kind == .invalid)
        if case .malformed = found.first?.reason {} else { Issue.record("expected .malformed, got \(found)") }
    }

    @Test("custom_data.extra may not reuse a typed key")
    func reservedExtraKey() {
        var event = validPurchase()
        event.customData?.extra = ["currency": "USD", "content_name": "ok"]
        let found = validator.violations(of: event, now: now)
        #expect(found == [CAPIViolation(field: "custom_data.currency", reason: .reservedKey)])
    }

    @Test("Older than 7 days minus the 5-minute margin is expired, routed apart from invalid")
    func expired() {
        var event = validPurchase()
        let limit = 7 * 86_400 - 300
        event.eventTime = nowSeconds - limit
        #expect(validator.violations(of: event, now: now).isEmpty)
        event.eventTime = nowSeconds - limit - 1
        let found = validator.violations(of: event, now: now)
        #expect(found == [CAPIViolation(field: "event_time", reason: .tooOld(ageSeconds: limit + 1, limitSeconds: limit))])
        #expect(found.first?.kind == .expired)
        #expect(validator.verdict(for: event, now: now) == .expired(found))
    }

    @Test("Invalid wins over expired in the verdict, all violations kept")
    func invalidWins() {
        var event = validPurchase()
        event.eventTime = nowSeconds - 30 * 86_400
        event.customData = nil
        guard case .invalid(let found) = validator.verdict(for: event, now: now) else {
            Issue.record("expected .invalid")
            return
        }
        #expect(found.map(\.kind).contains(.expired))
        #expect(found.map(\.kind).contains(.invalid))
    }

    @Test("physical_store events have 62 days")
    func physicalStore() {
        var event = validPurchase()
        event.actionSource = .physicalStore
        event.eventTime = nowSeconds - 30 * 86_400
        #expect(validator.violations(of: event, now: now).isEmpty)
        event.eventTime = nowSeconds - 62 * 86_400
        #expect(validator.violations(of: event, now: now).map(\.kind) == [.expired])
    }

    @Test("More than 10 minutes in the future is invalid")
    func future() {
        var event = validPurchase()
        event.eventTime = nowSeconds + 600
        #expect(validator.violations(of: event, now: now).isEmpty)
        event.eventTime = nowSeconds + 601
        #expect(validator.violations(of: event, now: now)
            == [CAPIViolation(field: "event_time", reason: .inFuture(aheadSeconds: 601, limitSeconds: 600))])
    }

    @Test("Limited Data Use consistency")
    func limitedDataUse() {
        var event = validPurchase()
        event.dataProcessingOptions = .limitedDataUse()
        #expect(fields(event).isEmpty)
        event.dataProcessingOptions = CAPIDataProcessingOptions(options: ["LDU"], country: 1)
        #expect(fields(event) == ["data_processing_options_state"])
        event.dataProcessingOptions = CAPIDataProcessingOptions(options: ["LDU"])
        #expect(fields(event).isEmpty, "Meta geolocates from the IP")
        event.userData.clientIpAddress = nil
        #expect(fields(event) == ["data_processing_options_state"])
        event.dataProcessingOptions = CAPIDataProcessingOptions(options: ["GDPR"], country: 2, state: 3)
        #expect(fields(event) == ["data_processing_options", "data_processing_options_country", "data_processing_options_state"])
        event.dataProcessingOptions = .notLimited
        #expect(fields(event).isEmpty)
    }

    @Test("Descriptions name the field and never the value")
    func descriptions() {
        var event = validPurchase()
        event.userData.clientIpAddress = "secret-value"
        let text = validator.violations(of: event, now: now).map(\.description).joined()
        #expect(text.contains("user_data.client_ip_address"))
        #expect(!text.contains("secret-value"))
    }

    @Test("Field formats", arguments: [
        ("203.0.113.7", true), ("::1", true), ("::ffff:192.0.2.1", true), ("2001:db8:0:0:0:0:2:1", true),
        ("", false), ("unknown", false), ("1.2.3", false), ("1.2.3.4:443", false), (" 1.2.3.4", false),
    ])
    func ipAddresses(_ value: String, _ valid: Bool) {
        #expect(CAPIFieldFormat.isValidIPAddress(value) == valid)
    }

    @Test("fbc/fbp shapes")
    func cookies() {
        #expect(CAPIFieldFormat.isValidFBC("fb.1.1554763741205.IwAR2F4-dbP0l7Mn1IawQQ"))
        #expect(CAPIFieldFormat.isValidFBC("fb.2.1554763741205.IwAR2F4_x.Ag"))
        #expect(!CAPIFieldFormat.isValidFBC("fb.1.1554763741205.a.b.c"))
        #expect(!CAPIFieldFormat.isValidFBC("fb.1..IwAR"))
        #expect(!CAPIFieldFormat.isValidFBC("fc.1.1554763741205.IwAR"))
        #expect(CAPIFieldFormat.isValidFBP("fb.1.1596403881668.1116446470"))
        #expect(CAPIFieldFormat.isValidFBP("fb.0.1596403881668.1116446470.AQ"))
        #expect(!CAPIFieldFormat.isValidFBP("fb.1.1596403881668.xyz"))
    }

    /// The byte-level checks answer exactly what the rules say when written with `split`
    /// (4–5 non-empty dot-separated segments, "fb", ≤ 2 digits, 10–13 digits, no whitespace;
    /// fbp: a digits-only fourth segment), over edge cases and a few thousand mutations.
    @Test("fbc/fbp byte-level checks agree with the split-based rules")
    func cookiesAgreeWithReference() {
        func reference(_ value: String) -> [Substring]? {
            guard !value.contains(where: \.isWhitespace) else { return nil }
            let s = value.split(separator: ".", omittingEmptySubsequences: false)
            let digits = { (x: Substring) in !x.isEmpty && x.utf8.allSatisfy { (0x30...0x39).contains($0) } }
            guard (4...5).contains(s.count), s[0] == "fb", s[1].count <= 2, digits(s[1]), (10...13).contains(s[2].count), digits(s[2]),
                  s.allSatisfy({ !$0.isEmpty }) else { return nil }
            return s
        }
        var inputs = ["", ".", "fb", "fb.", "fb.1", "fb.1.1554763741205", "fb.1.1554763741205.", "fb.1.1554763741205.x.",
                      "fb.123.1554763741205.x", "fb.1.155476374120.x", "fb.1.15547637412055.x", "fb.1.1554763741.x",
                      "fb.1.1554763741205.x.y", "fb.1.1554763741205.x.y.z", "FB.1.1554763741205.x", "fb.1.1554763741205.x y",
                      "fb.1.1554763741205.x\t", "fb.1.1554763741205.12ab", "fb.01.1554763741205.99", "fb.1.1554763741205.é",
                      "fb.1.1554763741205.x.\u{301}y", "fb.1.1554763741205.x\u{00A0}", "fb.١.1554763741205.1", "fb.1.1554763741205.x\u{2028}"]
        let alphabet: [Character] = ["f", "b", ".", "1", "0", "9", "x", " ", "é", "\u{301}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var chars = Array("fb.1.1554763741205.1116446470")
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0...chars.count, using: &rng)
                switch Int.random(in: 0...2, using: &rng) {
                case 0 where i < chars.count: chars.remove(at: i)
                case 1 where i < chars.count: chars[i] = alphabet.randomElement(using: &rng)!
                default: chars.insert(alphabet.randomElement(using: &rng)!, at: i)
                }
            }
            inputs.append(String(chars))
        }
        for value in inputs {
            let r = reference(value)
            #expect(CAPIFieldFormat.isValidFBC(value) == (r != nil), "fbc \(value.debugDescription)")
            #expect(CAPIFieldFormat.isValidFBP(value) == (r.map { $0[3].utf8.allSatisfy { (0x30...0x39).contains($0) } } ?? false),
                    "fbp \(value.debugDescription)")
        }
    }
}
