import Crypto
import Foundation
import TrackhubCore

/// The operations whose cost per event decides the daemons' throughput: what ingestd does per
/// request (click id, envelope encoding, webhook verification, sealing) and what dispatchd
/// does per event (envelope decoding, user_data normalising and hashing, CAPI JSON, batch
/// bodies, gateway parsing). Inputs are `Samples` and the gateway fixtures in `Tests/Fixtures`.
enum MicroCases {
    static func all(fixtures: String) throws -> [MicroCase] {
        let now = Date()
        let keys = KeyRing(keys: [(id: "k1", bytes: Array(repeating: 7, count: 32))])
        let normalizer = UserDataNormalizer()
        let user = Samples.user(42)
        let hashed = normalizer.normalize(user)
        let clickID = ClickID.generate(now: now)
        let click = Samples.click(id: clickID, n: 42, tenant: "demo", slug: "demo", now: now)
        let clickBytes = try click.encoded()
        let leadID = ClickID.generate(now: now)
        let userContext = SealContext.envelopeUser(tenant: "demo", envelope: leadID)
        let sealedUser = try keys.seal(JSONEncoder().encode(user), for: userContext)
        let lead = Samples.track(event: "lead", id: leadID, clickID: clickID, n: 42, tenant: "demo",
                                 user: sealedUser, now: now)
        let leadBytes = try lead.encoded()
        let event = CAPIEvent(
            eventName: .lead, eventTime: Int(now.timeIntervalSince1970), eventId: "ev.\(clickID)", actionSource: .website,
            eventSourceUrl: "https://lp.loja.test/oferta", referrerUrl: "https://l.facebook.com/",
            userData: CAPIUserData(hashed: hashed, fbc: click.click?.fbc, fbp: click.click?.fbp, clientIpAddress: "203.0.113.9",
                                   clientUserAgent: Samples.userAgent))
        let eventJSON = try event.jsonData()
        let thousand = Array(repeating: eventJSON, count: 1000)

        var cases: [MicroCase] = [
            MicroCase(name: "ingest.click_id", unit: "one click id (ULID, 80 random bits)") { blackHole(ClickID.generate(now: now)) },
            MicroCase(name: "ingest.envelope_encode_click", unit: "one click envelope to JSON") { blackHole(try! click.encoded()) },
            MicroCase(name: "ingest.seal_user_data", unit: "one user_data JSON sealed (AES-256-GCM)") {
                blackHole(try! keys.seal(JSONEncoder().encode(user), for: userContext))
            },
            MicroCase(name: "dispatch.envelope_decode_click", unit: "one click envelope from JSON") { blackHole(try! Envelope.decode(clickBytes)) },
            MicroCase(name: "dispatch.envelope_decode_lead", unit: "one lead envelope (sealed user) from JSON") { blackHole(try! Envelope.decode(leadBytes)) },
            MicroCase(name: "dispatch.open_user_data", unit: "one sealed user_data opened and decoded") {
                blackHole(try! JSONDecoder().decode(RawUserData.self, from: keys.open(sealedUser, for: userContext)))
            },
            MicroCase(name: "dispatch.normalize_hash_user_data", unit: "one full user_data (11 fields) normalised + SHA-256") {
                blackHole(normalizer.normalize(user, now: now))
            },
            MicroCase(name: "dispatch.capi_event_json", unit: "one Lead event with full hashed user_data to JSON") { blackHole(try! event.jsonData()) },
            MicroCase(name: "dispatch.capi_body_1000", unit: "request body from 1000 encoded events") {
                blackHole(try! CAPIRequestBody(events: thousand).jsonData())
            },
            MicroCase(name: "dispatch.capi_build_1000", unit: "1000 events encoded + request body") {
                var events: [Data] = []
                events.reserveCapacity(1000)
                for _ in 0..<1000 { events.append(try! event.jsonData()) }
                blackHole(try! CAPIRequestBody(events: events).jsonData())
            },
        ]
        cases += try webhookCases(fixtures: fixtures, now: now)
        return cases
    }

    /// Verification (ingestd) and parsing (dispatchd) of each gateway's webhook fixture.
    static func webhookCases(fixtures: String, now: Date) throws -> [MicroCase] {
        func load(_ path: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: fixtures + "/" + path) else {
                throw Options.UsageError(description: "fixture \(fixtures)/\(path) not found")
            }
            return Array(data)
        }
        let json = "application/json"
        let parses: [(Gateway, String, String)] = [
            (.hotmart, "hotmart/purchase_approved.json", json), (.kiwify, "kiwify/order_approved.json", json),
            (.eduzz, "eduzz/invoice_paid.json", json), (.monetizze, "monetizze/approved_form.txt", "application/x-www-form-urlencoded"),
            (.stripe, "stripe/checkout_session_completed_paid.json", json), (.mercadopago, "mercadopago/webhook_payment.json", json),
        ]
        var cases: [MicroCase] = []
        for (gateway, path, contentType) in parses {
            let body = try load(path)
            let query = gateway == .mercadopago
                ? QueryString.parse(String(decoding: try load("mercadopago/webhook_payment.query.txt"), as: UTF8.self)) : []
            // Fail loudly if a fixture stops parsing: timing an error path would be meaningless.
            switch GatewayParser.parse(gateway: gateway, account: "main", body: body, contentType: contentType, query: query,
                                       headers: [:], receivedAt: now) {
            case .conversion, .needsFetch: break
            case let other: throw Options.UsageError(description: "\(path) does not parse: \(other)")
            }
            cases.append(MicroCase(name: "dispatch.parse_\(gateway.rawValue)", unit: "\(path) (\(body.count) bytes) parsed") {
                blackHole(GatewayParser.parse(gateway: gateway, account: "main", body: body, contentType: contentType, query: query,
                                              headers: [:], receivedAt: now))
            })
        }
        let payment = try load("mercadopago/payment_approved_pix.json")
        cases.append(MicroCase(name: "dispatch.parse_mercadopago_payment", unit: "mercadopago/payment_approved_pix.json (\(payment.count) bytes) parsed") {
            blackHole(GatewayParser.parseMercadoPagoPayment(account: "main", json: payment, receivedAt: now))
        })

        let kiwify = try load("kiwify/order_approved.json")
        let secret = "bench-KIWIFY"
        let signature = HMAC<Insecure.SHA1>.authenticationCode(for: kiwify, using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
        let query = [("signature", signature)]
        guard case .ok = WebhookAuthenticator.verify(gateway: .kiwify, rawBody: kiwify, headers: { _ in nil }, query: query,
                                                           secrets: [secret], now: now) else {
            throw Options.UsageError(description: "the kiwify signature does not verify")
        }
        cases.append(MicroCase(name: "ingest.verify_kiwify", unit: "HMAC-SHA1 signature of a \(kiwify.count)-byte body checked") {
            blackHole(WebhookAuthenticator.verify(gateway: .kiwify, rawBody: kiwify, headers: { _ in nil }, query: query,
                                                  secrets: [secret], now: now))
        })
        return cases
    }
}
