import Testing
@testable import TrackhubCore

@Suite struct ClientIPResolverTests {
    let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8", "::1/128", "192.0.2.10", " fd00::/8 "])!

    @Test func untrustedPeerIgnoresForwardedFor() {
        #expect(resolver.resolve(peer: "203.0.113.7", forwardedFor: ["198.51.100.1"]) == "203.0.113.7")
    }

    @Test func trustedPeerUsesRightmostUntrustedEntry() {
        // The client put a fake entry first; our LB appended the real address.
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 203.0.113.7"]) == "203.0.113.7")
        // Two layers of our proxies.
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.7, 192.0.2.10, 10.1.1.1"]) == "203.0.113.7")
    }

    @Test func multipleHeaderValuesAreOneList() {
        #expect(resolver.resolve(peer: "::1", forwardedFor: ["6.6.6.6, 203.0.113.7", "10.0.0.9"]) == "203.0.113.7")
        #expect(resolver.resolve(peer: "::1", forwardedFor: ["203.0.113.7", "10.0.0.9, 10.0.0.8"]) == "203.0.113.7")
    }

    @Test func trustedPeerWithoutForwardedForIsTheClient() {
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["", " , "]) == "10.0.0.2")
    }

    @Test func allTrustedChainYieldsTheFurthestHop() {
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["10.0.0.3, 10.0.0.4"]) == "10.0.0.3")
    }

    @Test func canonicalisesAddresses() {
        #expect(resolver.resolve(peer: "::ffff:10.0.0.2", forwardedFor: ["2001:DB8:0::1"]) == "2001:db8::1")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["[2001:db8::7]:4711"]) == "2001:db8::7")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.7:51000"]) == "203.0.113.7")
        #expect(resolver.resolve(peer: "::ffff:203.0.113.7", forwardedFor: []) == "203.0.113.7")
        #expect(resolver.resolve(peer: "fd00::5", forwardedFor: ["198.51.100.4"]) == "198.51.100.4")
    }

    @Test func garbageIsNil() {
        #expect(resolver.resolve(peer: nil, forwardedFor: ["203.0.113.7"]) == nil)
        #expect(resolver.resolve(peer: "not-an-ip", forwardedFor: []) == nil)
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["unknown"]) == nil)
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.7, evil.example"]) == nil)
    }

    @Test func garbageLeftOfTheClientIsNeverReached() {
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["<script>, 203.0.113.7"]) == "203.0.113.7")
    }

    @Test func tooManyTrustedHopsIsNil() {
        let chain = Array(repeating: "10.0.0.1", count: ClientIPResolver.maxForwardedHops + 1).joined(separator: ",")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: [chain]) == nil)
        let ok = Array(repeating: "10.0.0.1", count: ClientIPResolver.maxForwardedHops - 1).joined(separator: ",")
        #expect(resolver.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.7," + ok]) == "203.0.113.7")
    }

    @Test func noTrustedProxiesMeansThePeer() throws {
        let none = try #require(ClientIPResolver(trustedProxies: []))
        #expect(none.resolve(peer: "10.0.0.2", forwardedFor: ["203.0.113.7"]) == "10.0.0.2")
        let blank = try #require(ClientIPResolver(trustedProxies: ["", "  "]))
        #expect(blank.trustedProxies.isEmpty)
    }

    @Test func invalidConfigurationIsRefused() {
        #expect(ClientIPResolver(trustedProxies: ["10.0.0.0/8", "10.0.0.0/33"]) == nil)
        #expect(ClientIPResolver(trustedProxies: ["proxy.internal"]) == nil)
    }

    @Test func isTrusted() {
        #expect(resolver.isTrusted(IPAddress("10.9.9.9")!))
        #expect(!resolver.isTrusted(IPAddress("192.0.2.11")!))
    }
}
