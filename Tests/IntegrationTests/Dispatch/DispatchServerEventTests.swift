import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

extension DispatchEndToEndTests {
    /// Issue 15 item 5: a seller's server reports events with an ingest key, and Meta gets the
    /// person's click context, not the server's.
    @Suite("server-to-server events")
    struct ServerEvents {
        static let browserIP = "177.20.30.4"
        static let browserUA = "Mozilla/5.0 (Linux; Android 14) s2s-test-click"
        static let serverIP = DispatchFixture.serverIP
        static let serverUA = DispatchFixture.serverUA

        @Test("click via /go from a phone, lead from the seller's server by click id: Meta gets the click's IP/UA/fbc; an explicit client_ip_address wins; a revoked key is refused")
        func serverEventKeepsClickContext() async throws {
            try await withDispatchFixture("s2s") { f in
                // The person clicks the ad on their phone (the proxy says who they are).
                let go = try await RawHTTP.get(port: f.ingestPort, "/go/\(DispatchFixture.slugA)?utm_source=fb&fbclid=IwAR-s2s_Q1",
                                               headers: [("User-Agent", Self.browserUA), ("X-Forwarded-For", Self.browserIP),
                                                         ("Cookie", "_fbp=fb.1.1596403881668.1116446470")])
                #expect(go.status == 302)
                let click = try #require(go.header("Set-Cookie").map { String($0.dropFirst("th_cid=".count).prefix { $0 != ";" }) })
                try await f.waitDelivered([click], pixel: DispatchFixture.pixelA)
                let clickFbc = try #require(f.meta.acceptedEvents().first { $0.eventID == click }?["user_data"]?["fbc"]?.stringValue)

                // The seller creates an ingest key; ingestd picks it up with the next snapshot.
                let key = try await f.liveIngestKey(tenant: DispatchFixture.tenantA)
                #expect(key.hasPrefix("ths_") && key.count == 68)
                // The e-mail is broken (no @): dropped and noted in the ledger, the lead kept.
                let probeLead = DispatchTestData.unique("s2s-lead")
                let accepted = try await f.s2s("lead", ["click_id": click, "event_id": probeLead,
                                                       "user": ["email": "joao.silva-gmail.com", "phone": "(11) 98765-4321"]], key: key)
                #expect(accepted.status == 202, "\(accepted.text)")

                // Lead from the server: everything from the click.
                try await f.waitDelivered([probeLead], pixel: DispatchFixture.pixelA)
                let lead = try #require(f.meta.acceptedEvents().first { $0.eventID == probeLead })
                #expect(lead.eventName == "Lead")
                #expect(lead["user_data"]?["client_ip_address"]?.stringValue == Self.browserIP)
                #expect(lead["user_data"]?["client_user_agent"]?.stringValue == Self.browserUA)
                #expect(lead["user_data"]?["fbc"]?.stringValue == clickFbc)
                #expect(lead["user_data"]?["fbp"]?.stringValue == "fb.1.1596403881668.1116446470")
                #expect(lead.actionSource == "website")

                // Issue 15 item 3: the ledger row says which identifier was dropped and why, not its value.
                let conn = try f.postgres()
                let notes = try conn.query("SELECT user_data_dropped::text AS note FROM dispatch_attempts WHERE event_id = $1",
                                           [.string(probeLead)])
                conn.close()
                let note = try #require(try notes.string(0, "note"))
                #expect(note.contains("\"field\": \"em\"") || note.contains("\"field\":\"em\""), "\(note)")
                #expect(!note.contains("joao") && !note.contains("gmail") && !note.contains("ph"), "\(note)")
                #expect(lead["user_data"]?["em"] == nil && lead["user_data"]?["ph"] != nil, "e-mail dropped, phone kept")

                // The server knows the buyer's own address (its checkout saw it): that one wins.
                let purchaseID = DispatchTestData.unique("s2s-checkout")
                let explicit = try await f.s2s("initiate_checkout", ["click_id": click, "event_id": purchaseID, "value": 97, "currency": "BRL",
                                                           "client_ip_address": "203.0.113.77"], key: key)
                #expect(explicit.status == 202, "\(explicit.text)")
                try await f.waitDelivered([purchaseID], pixel: DispatchFixture.pixelA)
                let purchase = try #require(f.meta.acceptedEvents().first { $0.eventID == purchaseID })
                #expect(purchase["user_data"]?["client_ip_address"]?.stringValue == "203.0.113.77")
                #expect(purchase["user_data"]?["client_user_agent"]?.stringValue == Self.browserUA, "the click still lends the rest")

                // No key, and a browser call stays as it was (its own IP wins).
                let noKey = try await f.s2s("lead", ["click_id": click], key: nil)
                #expect(noKey.status == 401 && noKey.header("Content-Type") == "application/problem+json")
                let browserLead = DispatchTestData.unique("browser-lead")
                let browser = try await RawHTTP.post(
                    port: f.ingestPort, "/track/lead",
                    json: #"{"tenant":"\#(DispatchFixture.tenantA)","click_id":"\#(click)","event_id":"\#(browserLead)"}"#,
                    headers: [("Origin", DispatchFixture.originA), ("User-Agent", "Mozilla/5.0 (desktop) later"), ("X-Forwarded-For", "177.99.0.1")])
                #expect(browser.status == 202)
                try await f.waitDelivered([browserLead], pixel: DispatchFixture.pixelA)
                let browserEvent = try #require(f.meta.acceptedEvents().first { $0.eventID == browserLead })
                #expect(browserEvent["user_data"]?["client_ip_address"]?.stringValue == "177.99.0.1")

                // Nothing the server sent about itself reached Meta.
                for e in f.meta.acceptedEvents() {
                    #expect(e["user_data"]?["client_ip_address"]?.stringValue != Self.serverIP)
                    #expect(e["user_data"]?["client_user_agent"]?.stringValue != Self.serverUA)
                }

                // Revoked: refused within a snapshot poll, and nothing appended.
                let listed = try await f.cli(["apikey", "list", "--tenant", DispatchFixture.tenantA])
                let id = try #require(listed.stdout.split(separator: "\n").first { $0.contains("\tingest\t") }?.split(separator: "\t").first)
                try await f.cli(["apikey", "revoke", "--tenant", DispatchFixture.tenantA, "--id", String(id)]).requireSuccess("apikey revoke")
                var refused = false
                let until = ContinuousClock.now + .seconds(15)
                while ContinuousClock.now < until, !refused {
                    refused = try await f.s2s("lead", ["session_id": "after-revoke"], key: key).status == 401
                    if !refused { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(refused, "a revoked key is refused")
                let metrics = try await RawHTTP.get(port: f.ingestPort, "/metrics")
                #expect(metrics.text.contains("trackhub_s2s_rejected_total{reason=\"missing\"}"))
                print("[s2s] lead ip=\(lead["user_data"]?["client_ip_address"]?.stringValue ?? "-") purchase ip=\(purchase["user_data"]?["client_ip_address"]?.stringValue ?? "-") revoked refused=\(refused)")
            }
        }
    }
}
