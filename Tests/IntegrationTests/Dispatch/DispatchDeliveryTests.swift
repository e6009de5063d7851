import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

extension DispatchEndToEndTests {
    @Suite("delivery")
    struct Delivery {
        @Test("clicks and page events reach Meta as the right events, once each, with hashed identities; the ledger tells the story")
        func clicksAndPageEvents() async throws {
            try await withDispatchFixture("delivery") { f in
                let pixel = DispatchFixture.pixelA
                let email = " Ana.Silva@Example.COM "
                let phone = "(11) 98765-4321"
                let page = "https://lp.shop.example/oferta?utm_source=fb"

                // A click with Meta's click id and a _fbp cookie, and one without fbclid.
                let click = try await f.click(fbclid: "IwAR-test_Ab9")
                let bareClick = try await f.click(fbclid: nil, fbp: nil)

                // Page events from the landing page, tied to the first click.
                let pageviewID = DispatchTestData.unique("pv")
                let leadID = DispatchTestData.unique("lead")
                let pv = try await f.track("pageview", ["click_id": click, "event_id": pageviewID, "page_url": page])
                #expect(pv.status == 202)
                let leadBody: [String: Any] = ["click_id": click, "event_id": leadID, "page_url": page,
                                               "user": ["email": email, "phone": phone]]
                let lead = try await f.track("lead", leadBody)
                #expect(lead.status == 202)
                // No browser event id: the server derives one (th.<envelope id>).
                let checkout = try await f.track("initiate_checkout", ["click_id": click, "page_url": page, "value": 97.5, "currency": "BRL",
                                                                     "user": ["email": email, "phone": phone]])
                #expect(checkout.status == 202)
                let checkoutEnvelope = try #require(checkout.json?["id"] as? String)
                let checkoutID = "th.\(checkoutEnvelope)"
                // The subject declined ad tracking: stored, never sent.
                let declinedID = DispatchTestData.unique("declined")
                let declined = try await f.track("lead", ["session_id": "s-declined", "event_id": declinedID, "page_url": page, "consent": false,
                                                          "user": ["email": "declined@example.com"]])
                #expect(declined.status == 202)

                let expected: [String: String] = [click: "PageView", bareClick: "PageView", pageviewID: "PageView",
                                                  leadID: "Lead", checkoutID: "InitiateCheckout"]
                try await f.waitDelivered(expected.keys, pixel: pixel)
                try await f.eventually("consent_blocked recorded") { try !f.ledger(eventID: declinedID, outcome: "consent_blocked").isEmpty }

                // The same browser event again (a page reload): recorded as a duplicate, not sent.
                let again = try await f.track("lead", leadBody)
                #expect(again.status == 202)
                try await f.eventually("duplicate recorded") { try !f.ledger(eventID: leadID, outcome: "skipped_duplicate").isEmpty }
                try await f.waitIdle()

                // At Meta: exactly these events, once each, with the right names.
                let accepted = f.meta.acceptedEvents()
                #expect(accepted.count == expected.count, "accepted: \(accepted.map { "\($0.eventName)/\($0.eventID ?? "-")" })")
                #expect(f.meta.duplicates().isEmpty)
                for (id, name) in expected {
                    #expect(f.meta.acceptedCount(pixel: pixel, eventName: name, eventID: id) == 1, "\(name) \(id)")
                }
                #expect(f.meta.acceptedCount(eventID: declinedID) == 0)
                #expect(f.meta.requests().allSatisfy { $0.tokenFingerprint == FakeMeta.tokenFingerprint(f.tokenA) })

                // user_data: identities hashed (64 hex, Meta's normalisation), the rest in clear.
                let emailHash = DispatchTestData.sha256("ana.silva@example.com")
                // E.164 with Brazil's 55 added; a Brazilian mobile is also sent in its pre-2016
                // 8-digit form (MetaNormalize.phone, brazilMobileBothForms), 9-digit form first.
                let phoneHashes = [DispatchTestData.sha256("5511987654321"), DispatchTestData.sha256("551187654321")]
                for id in [leadID, checkoutID] {
                    let event = try #require(accepted.first { $0.eventID == id })
                    let user = try #require(event["user_data"])
                    let em = (user["em"]?.arrayValue ?? []).compactMap { $0.stringValue }
                    let ph = (user["ph"]?.arrayValue ?? []).compactMap { $0.stringValue }
                    #expect(em == [emailHash])
                    #expect(ph == phoneHashes)
                    #expect(em.allSatisfy(DispatchTestData.isHex64) && ph.allSatisfy(DispatchTestData.isHex64))
                    #expect(user["fbc"]?.stringValue?.hasPrefix("fb.1.") == true)
                    #expect(user["fbc"]?.stringValue?.hasSuffix(".IwAR-test_Ab9") == true)
                    #expect(user["fbp"]?.stringValue == "fb.1.1596403881668.1116446470")
                    #expect(user["client_ip_address"]?.stringValue == "127.0.0.1")
                    #expect(user["client_user_agent"]?.stringValue == "Mozilla/5.0 (dispatch test)")
                    #expect(event.actionSource == "website")
                    #expect(event["event_source_url"]?.stringValue == page)
                }
                let checkoutEvent = try #require(accepted.first { $0.eventID == checkoutID })
                #expect(checkoutEvent["custom_data"]?["value"]?.doubleValue == 97.5)
                #expect(checkoutEvent["custom_data"]?["currency"]?.stringValue == "BRL")
                let clickEvent = try #require(accepted.first { $0.eventID == click })
                let clickUser = try #require(clickEvent["user_data"])
                #expect(clickUser["em"] == nil && clickUser["ph"] == nil)
                #expect(clickUser["fbc"]?.stringValue?.hasSuffix(".IwAR-test_Ab9") == true)
                #expect(clickUser["fbp"]?.stringValue == "fb.1.1596403881668.1116446470")
                #expect(clickUser["client_ip_address"]?.stringValue == "127.0.0.1")
                #expect(clickUser["client_user_agent"]?.stringValue == "Mozilla/5.0 (dispatch test)")
                #expect(clickEvent["event_source_url"]?.stringValue == "https://pay.hotmart.com/X1234")
                let bareUser = try #require(accepted.first { $0.eventID == bareClick }?["user_data"])
                #expect(bareUser["fbc"] == nil && bareUser["fbp"] == nil)

                // The ledger: one `sent` row per event, 200 and the fbtrace_id of the request that carried it.
                let requests = Dictionary(uniqueKeysWithValues: f.meta.requests().map { ($0.sequence, $0) })
                for (id, name) in expected {
                    let rows = try f.ledger(eventID: id)
                    let sent = rows.filter { $0.outcome == "sent" }
                    #expect(sent.count == 1, "\(id): \(rows)")
                    #expect(rows.allSatisfy { $0.outcome == "sent" || ($0.outcome == "skipped_duplicate" && id == leadID) }, "\(rows)")
                    guard let row = sent.first else { continue }
                    #expect(row.eventName == name && row.pixel == pixel && row.attempt == 1)
                    #expect(row.httpStatus == 200)
                    #expect(row.hasPayload)
                    let carrier = accepted.first { $0.eventID == id }.flatMap { requests[$0.requestSequence] }
                    #expect(row.fbtraceID != nil && row.fbtraceID == carrier?.fbtraceID)
                }
                #expect(try f.ledger(eventID: leadID, outcome: "skipped_duplicate").count == 1)
                let blocked = try f.ledger(eventID: declinedID)
                #expect(blocked.map(\.outcome) == ["consent_blocked"])
                #expect(try f.deadLetters().isEmpty)

                // Logs name events by id and never carry personal data or tokens in clear.
                let logs = f.workerLogs
                #expect(DispatchFixture.sentEventIDs(in: logs).count == expected.count)
                for secret in ["Ana.Silva", "ana.silva", "98765", "declined@example.com", f.tokenA, f.tokenB] {
                    #expect(!logs.contains(secret), "log leaks \(secret.prefix(4))…")
                }
            }
        }
    }
}
