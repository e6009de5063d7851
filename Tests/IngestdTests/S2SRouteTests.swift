import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubCore
@testable import ingestd

/// `POST /s2s/{event}` in process: the ingest key from the snapshot, what the envelope says
/// about the end user (never the server's connection), and the refusals.
@Suite("s2s route")
struct S2SRouteTests {
    static func headers(key: String? = IngestRouteHarness.ingestKey, userAgent: String = "python-requests/2.31 (seller bot)",
                        forwardedFor: String? = nil) -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        h[.userAgent] = userAgent
        if let key { h[.authorization] = "Bearer " + key }
        if let forwardedFor { h[HTTPField.Name("X-Forwarded-For")!] = forwardedFor }
        return h
    }

    @Test("a keyed server event: 202; the envelope names the server as reporter and holds no server IP or user agent")
    func acceptedWithoutServerContext() async throws {
        let h = IngestRouteHarness()
        let body = #"{"click_id":"01jabcdefghjkmnpqrstvwxyz0","event_id":"lead-7","user":{"email":"Canary.Bot@Example.com"}}"#
        let r = try await h.withApp { client in
            try await client.execute(uri: "/s2s/lead", method: .post, headers: Self.headers(), body: ByteBuffer(string: body))
        }
        #expect(r.status == .accepted, "\(r.text)")
        #expect(r.json?["event_id"] as? String == "lead-7")
        #expect(r.headers[.accessControlAllowOrigin] == nil, "a server call gets no CORS headers")
        let appended = h.sink.appended
        #expect(appended.count == 1)
        let envelope = try #require(appended.first?.envelope)
        #expect(envelope.tenant == IngestRouteHarness.tenant, "the key names the tenant")
        let track = try #require(envelope.track)
        #expect(track.reporter == .server)
        #expect(track.ip == nil && track.userAgent == nil, "the server's connection is not the person's")
        #expect(track.clickId == "01jabcdefghjkmnpqrstvwxyz0")
        #expect(!String(decoding: try envelope.encoded(), as: UTF8.self).contains("Canary"), "personal data sealed")
    }

    @Test("explicit client_ip_address / client_user_agent are kept as the end user's; the tenant may be named if it is the key's")
    func explicitEndUser() async throws {
        let h = IngestRouteHarness()
        let body = #"{"tenant":"acme","session_id":"s-1","client_ip_address":"2001:DB8::7","client_user_agent":"Mozilla/5.0 (iPhone) buyer","fbp":"fb.1.1596403881668.1116446470"}"#
        let r = try await h.withApp { client in
            try await client.execute(uri: "/s2s/initiate_checkout", method: .post, headers: Self.headers(forwardedFor: "198.51.100.9"),
                                     body: ByteBuffer(string: body))
        }
        #expect(r.status == .accepted, "\(r.text)")
        let track = try #require(h.sink.appended.first?.envelope.track)
        #expect(track.ip == "2001:db8::7", "canonical form")
        #expect(track.userAgent == "Mozilla/5.0 (iPhone) buyer")
        #expect(track.fbp == "fb.1.1596403881668.1116446470")
        #expect(track.reporter == .server)
    }

    @Test("no key, a read-API key, an unknown key: 401 problem+json with WWW-Authenticate, nothing appended")
    func refusedKeys() async throws {
        let h = IngestRouteHarness()
        let body = #"{"click_id":"01jabcdefghjkmnpqrstvwxyz0"}"#
        let keys: [String?] = [nil, "thk_" + String(repeating: "5a", count: 32), "ths_" + String(repeating: "5b", count: 32), "Basic abc"]
        let answers = try await h.withApp { client in
            var out: [TestResponse] = []
            for key in keys {
                var headers = Self.headers(key: nil)
                if let key { headers[.authorization] = key.hasPrefix("Basic") ? key : "Bearer " + key }
                out.append(try await client.execute(uri: "/s2s/lead", method: .post, headers: headers, body: ByteBuffer(string: body)))
            }
            return out
        }
        for r in answers {
            #expect(r.status == .unauthorized)
            #expect(r.headers[.contentType] == "application/problem+json")
            #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(r.json?["type"] as? String == "urn:trackhub:problem:unauthorized")
            #expect(!r.text.contains("5a5a") && !r.text.contains("5b5b"), "a key is never echoed")
        }
        #expect(h.sink.appended.isEmpty)
    }

    @Test("another tenant named in the body: 403; a bad client_ip_address: 400 naming it; nothing appended")
    func refusedBodies() async throws {
        let h = IngestRouteHarness()
        let (mismatch, badIP, browserRoute) = try await h.withApp { client in
            (try await client.execute(uri: "/s2s/lead", method: .post, headers: Self.headers(),
                                      body: ByteBuffer(string: #"{"tenant":"other","click_id":"01jabcdefghjkmnpqrstvwxyz0"}"#)),
             try await client.execute(uri: "/s2s/lead", method: .post, headers: Self.headers(),
                                      body: ByteBuffer(string: #"{"click_id":"01jabcdefghjkmnpqrstvwxyz0","client_ip_address":"10.0.0.300"}"#)),
             // /track ignores client_ip_address: a browser cannot vouch for another address.
             try await client.execute(uri: "/track/lead", method: .post, headers: [.origin: IngestRouteHarness.origin],
                                      body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s","client_ip_address":"203.0.113.50"}"#)))
        }
        #expect(mismatch.status == .forbidden)
        #expect(mismatch.json?["type"] as? String == "urn:trackhub:problem:tenant-mismatch")
        #expect(badIP.status == .badRequest)
        #expect((badIP.json?["errors"] as? [[String: String]])?.first?["field"] == "client_ip_address")
        #expect(browserRoute.status == .accepted)
        #expect(h.sink.appended.count == 1)
        #expect(h.sink.appended.first?.envelope.track?.ip != "203.0.113.50")
        #expect(h.sink.appended.first?.envelope.track?.reporter == nil, "a browser envelope is written as before")
    }

    @Test("a bot's event by telegram_user_id (number or digit string): 202, only the hash in the envelope; a bad id: 400 naming it")
    func telegramUser() async throws {
        let h = IngestRouteHarness()
        let (number, text, bad, browser) = try await h.withApp { client in
            (try await client.execute(uri: "/s2s/lead", method: .post, headers: Self.headers(),
                                      body: ByteBuffer(string: #"{"telegram_user_id":6100000001,"event_id":"tg-lead-1"}"#)),
             try await client.execute(uri: "/s2s/initiate_checkout", method: .post, headers: Self.headers(),
                                      body: ByteBuffer(string: #"{"telegram_user_id":"6100000001","value":97,"currency":"BRL"}"#)),
             try await client.execute(uri: "/s2s/lead", method: .post, headers: Self.headers(),
                                      body: ByteBuffer(string: #"{"telegram_user_id":"@joao"}"#)),
             // A browser cannot speak for a Telegram user: /track ignores the member (and needs an identifier).
             try await client.execute(uri: "/track/lead", method: .post, headers: [.origin: IngestRouteHarness.origin],
                                      body: ByteBuffer(string: #"{"tenant":"acme","telegram_user_id":6100000001}"#)))
        }
        #expect(number.status == .accepted, "\(number.text)")
        #expect(text.status == .accepted, "\(text.text)")
        let hash = TelegramUserIdentity.externalID(userID: 6_100_000_001)
        #expect(h.sink.appended.map { $0.envelope.track?.telegramUser } == [hash, hash])
        #expect(h.sink.appended.allSatisfy { $0.envelope.track?.clickId == nil })
        for appended in h.sink.appended {
            #expect(!String(decoding: try appended.envelope.encoded(), as: UTF8.self).contains("6100000001"), "the id itself never reaches the stream")
        }
        #expect(bad.status == .badRequest)
        #expect((bad.json?["errors"] as? [[String: String]])?.first?["field"] == "telegram_user_id")
        #expect(browser.status == .badRequest, "\(browser.text)")
        #expect(h.sink.appended.count == 2)
    }
}
