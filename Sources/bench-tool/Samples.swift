import Foundation
import TrackhubCore

/// Realistic inputs for the benchmarks, shaped like what ingestd writes for a click from a
/// Meta ad, a landing page's events, and the gateways' sale notifications (same fields as the
/// integration tests' samples). Every value is synthetic; emails use the `.test` domain.
enum Samples {
    static let userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.108]"

    /// A full `user_data` as a checkout collects it (every field Meta accepts).
    static func user(_ n: Int) -> RawUserData {
        RawUserData(email: "  Comprador.\(n)@Cliente.TEST ", phone: "(11) 98765-\(String(format: "%04d", n % 10_000))",
                    firstName: "Mariana", lastName: "Souza Lima", city: "São Paulo", state: "SP", zip: "04101-300",
                    country: "Brasil", dateOfBirth: "1990-05-17", gender: "F", externalId: "cust-\(n)")
    }

    static func ip(_ n: Int) -> String { "203.0.\(113 + n % 3).\(1 + n % 250)" }

    /// A click on `/go/{slug}` from a Meta ad (fbclid → fbc, the browser's `_fbp`).
    static func click(id: String, n: Int, tenant: String, slug: String, now: Date) -> Envelope {
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        let fbclid = "IwAR\(n)x2Kq9ZtYbVnM3sP0aLhQwErTy7uIoP"
        return Envelope(
            id: id, kind: .click, receivedAt: ms, tenant: tenant,
            click: .init(slug: slug, pixel: nil, clickId: id, ip: ip(n), userAgent: userAgent,
                         referrer: "https://l.facebook.com/", utm: ["utm_source": "facebook", "utm_medium": "cpc",
                                                                    "utm_campaign": "bench_\(n % 7)", "utm_content": "video_\(n % 3)"],
                         fbclid: fbclid, gclid: nil, ttclid: nil, fbc: "fb.1.\(ms).\(fbclid)", fbp: "fb.1.\(ms - 86_400_000).\(1_000_000_000 + n)",
                         destination: "https://pay.hotmart.com/X00000000X?off=demo&sck=\(id)&src=\(id)"))
    }

    /// A `POST /track/{event}` from the tracking script: `pageview` without personal data,
    /// `lead` with a sealed full user_data.
    static func track(event: String, id: String, clickID: String, n: Int, tenant: String, user: Sealed?, now: Date) -> Envelope {
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        return Envelope(
            id: id, kind: .track, receivedAt: ms, tenant: tenant,
            track: .init(event: event, clickId: clickID, sessionId: "s\(n / 3)", eventId: "ev.\(id)",
                         pageUrl: "https://lp.loja.test/oferta?th_cid=\(clickID)", referrer: "https://l.facebook.com/",
                         fbp: "fb.1.\(ms - 86_400_000).\(1_000_000_000 + n)", fbc: nil, ip: ip(n), userAgent: userAgent,
                         consent: true, user: user))
    }

    /// A Hotmart v2 PURCHASE_APPROVED body with the click id in `purchase.origin.sck`.
    static func hotmartBody(transaction: String, clickID: String, n: Int, now: Date) -> [UInt8] {
        let ms = Int64(now.timeIntervalSince1970 * 1000)
        return Array("""
        {"id":"\(UUID().uuidString.lowercased())","creation_date":\(ms),"event":"PURCHASE_APPROVED","version":"2.0.0","data":{\
        "product":{"id":3865432,"ucode":"7c1d9a52-55e4-4b5e-a1f0-9d3e8c2b1a44","name":"Curso Confeitaria Lucrativa","has_co_production":false},\
        "affiliates":[{"affiliate_code":"","name":""}],\
        "buyer":{"email":"comprador.\(n)@cliente.test","name":"Mariana Souza Lima","first_name":"Mariana","last_name":"Souza Lima",\
        "checkout_phone_code":"55","checkout_phone":"1198765\(String(format: "%04d", n % 10_000))","document":"123.456.789-09","document_type":"CPF",\
        "address":{"city":"São Paulo","country":"Brasil","country_iso":"BR","state":"SP","neighborhood":"Vila Mariana","zipcode":"04101-300",\
        "address":"Rua Domingos de Morais","number":"1200","complement":"apto 52"}},\
        "producer":{"name":"Doces da Ana Cursos Ltda"},\
        "commissions":[{"value":19.27,"source":"MARKETPLACE","currency_value":"BRL"},{"value":177.73,"source":"PRODUCER","currency_value":"BRL"}],\
        "purchase":{"approved_date":\(ms),"full_price":{"value":197.0,"currency_value":"BRL"},"price":{"value":197.0,"currency_value":"BRL"},\
        "original_offer_price":{"value":297.0,"currency_value":"BRL"},"checkout_country":{"name":"Brasil","iso":"BR"},\
        "order_bump":{"is_order_bump":false},"origin":{"xcod":"cmpA","sck":"\(clickID)"},"buyer_ip":"\(ip(n))",\
        "order_date":\(ms - 60_000),"status":"APPROVED","transaction":"\(transaction)","payment":{"installments_number":1,"type":"CREDIT_CARD"},\
        "offer":{"code":"k2x9p0qa","coupon_code":""},"invoice_by":"HOTMART","business_model":"I","is_funnel":false}},\
        "hottok":"bench-hottok"}
        """.utf8)
    }

    /// A Kiwify `order_approved` body with the click id in `TrackingParameters.sck`.
    static func kiwifyBody(order: String, clickID: String, n: Int, now: Date) -> [UInt8] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: -3 * 3600)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        let when = f.string(from: now)
        return Array("""
        {"order_id":"\(order)","order_ref":"Xk9TqP2","order_status":"paid","product_type":"membership","payment_method":"credit_card",\
        "store_id":"Qm3vR8sLzT1aBc4","installments":3,"card_type":"mastercard","card_last4digits":"4417","card_rejection_reason":null,\
        "sale_type":"producer","created_at":"\(when)","updated_at":"\(when)","approved_date":"\(when)","refunded_at":null,\
        "webhook_event_type":"order_approved","Product":{"product_id":"8d1e4f7a-0b2c-4c9d-a3e5-6f7a8b9c0d1e","product_name":"Método Planilha Rica"},\
        "Customer":{"full_name":"Mariana Souza Lima","first_name":"Mariana","email":"comprador.\(n)@cliente.test",\
        "mobile":"+551198765\(String(format: "%04d", n % 10_000))","CPF":"12345678909","ip":"\(ip(n))","city":"São Paulo","state":"SP","zipcode":"04101300"},\
        "Commissions":{"charge_amount":14790,"product_base_price":14790,"product_base_price_currency":"BRL","kiwify_fee":1342,"currency":"BRL","my_commission":13448},\
        "TrackingParameters":{"src":null,"sck":"\(clickID)","utm_source":"facebook","utm_medium":"cpc","utm_campaign":"planilha_lal_1",\
        "utm_content":"video_03","utm_term":null,"s1":null,"s2":null,"s3":null},"Subscription":null,"subscription_id":null}
        """.utf8)
    }

    /// A sale notification as ingestd stores it after authenticating it (raw body sealed).
    static func sale(id: String, gateway: Gateway, body: [UInt8], tenant: String, keys: KeyRing, now: Date) throws -> Envelope {
        Envelope(id: id, kind: .webhook, receivedAt: Int64(now.timeIntervalSince1970 * 1000), tenant: tenant,
                 webhook: .init(gateway: gateway.rawValue, account: "main", contentType: "application/json", query: [],
                                headers: gateway == .hotmart ? ["User-Agent": "Hotmart-Webhook/2.0"] : [:],
                                body: try keys.seal(body, for: .webhookBody(tenant: tenant, envelope: id))))
    }
}
