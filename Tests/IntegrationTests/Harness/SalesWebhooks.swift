import Foundation
import TrackhubCore

/// Signed gateway deliveries for the sales end-to-end tests: the shapes of the realistic
/// payloads in `Tests/Fixtures/<gateway>/` (same field names and nesting, current times, the
/// test's transaction, buyer and click id), signed the way each gateway signs (as in
/// ``GatewaySamples``) with the secrets of ``SalesFixture``'s configuration.
enum SalesWebhooks {
    struct Delivery: Sendable {
        let target: String
        let headers: [(String, String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A buyer as the checkout collected them (clear text: hashed by dispatchd).
    struct Buyer: Sendable {
        var email: String
        var firstName = "Mariana"
        var lastName = "Souza Lima"
        /// National number with area code, as Brazilian checkouts collect it.
        var phone = "11987654321"
        var city = "São Paulo"
        var state = "SP"
        var zip = "04101-300"
        var document = "123.456.789-09"
        var ip = "203.0.113.45"

        var fullName: String { "\(firstName) \(lastName)" }

        static func unique(_ tag: String) -> Buyer {
            Buyer(email: "\(tag).\(UUID().uuidString.prefix(6).lowercased())@cliente.test")
        }
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func ms(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970 * 1000) }

    /// Brasília wall-clock time (UTC−3, no DST), as Kiwify and Monetizze write dates.
    static func brasilia(_ d: Date, format: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: -3 * 3600)
        f.dateFormat = format
        return f.string(from: d)
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    // MARK: - Hotmart (v2, X-HOTMART-HOTTOK header)

    /// A Hotmart v2 purchase event; `sck` lands in `data.purchase.origin.sck`.
    static func hotmart(event: String = "PURCHASE_APPROVED", transaction: String, buyer: Buyer, sck: String?, src: String? = nil,
                        value: Double = 197.0, currency: String = "BRL", approvedAt: Date = Date(), sentAt: Date = Date(),
                        paymentType: String = "CREDIT_CARD", secret: String = SalesFixture.secret(.hotmart),
                        account: String = "main") -> Delivery {
        var origin: [String: Any] = ["xcod": "cmpA"]
        if let sck { origin["sck"] = sck }
        if let src { origin["src"] = src }
        let status = ["PURCHASE_COMPLETE": "COMPLETED", "PURCHASE_APPROVED": "APPROVED", "PURCHASE_BILLET_PRINTED": "BILLET_PRINTED",
                      "PURCHASE_REFUNDED": "REFUNDED"][event] ?? "STARTED"
        let body = json([
            "id": UUID().uuidString.lowercased(),
            "creation_date": ms(sentAt),
            "event": event,
            "version": "2.0.0",
            "data": [
                "product": ["id": 3_865_432, "ucode": "7c1d9a52-55e4-4b5e-a1f0-9d3e8c2b1a44", "name": "Curso Confeitaria Lucrativa",
                            "has_co_production": false],
                "affiliates": [["affiliate_code": "", "name": ""]],
                "buyer": [
                    "email": buyer.email, "name": buyer.fullName, "first_name": buyer.firstName, "last_name": buyer.lastName,
                    "checkout_phone_code": "55", "checkout_phone": buyer.phone, "document": buyer.document, "document_type": "CPF",
                    "address": ["city": buyer.city, "country": "Brasil", "country_iso": "BR", "state": buyer.state,
                                "neighborhood": "Vila Mariana", "zipcode": buyer.zip, "address": "Rua Domingos de Morais",
                                "number": "1200", "complement": "apto 52"],
                ] as [String: Any],
                "producer": ["name": "Doces da Ana Cursos Ltda"],
                "commissions": [["value": 19.27, "source": "MARKETPLACE", "currency_value": currency],
                                ["value": value - 19.27, "source": "PRODUCER", "currency_value": currency]],
                "purchase": [
                    "approved_date": ms(approvedAt),
                    "full_price": ["value": value, "currency_value": currency],
                    "price": ["value": value, "currency_value": currency],
                    "original_offer_price": ["value": 297.0, "currency_value": currency],
                    "checkout_country": ["name": "Brasil", "iso": "BR"],
                    "order_bump": ["is_order_bump": false],
                    "origin": origin,
                    "buyer_ip": buyer.ip,
                    "order_date": ms(approvedAt) - 60_000,
                    "status": status,
                    "transaction": transaction,
                    "payment": ["installments_number": 1, "type": paymentType],
                    "offer": ["code": "k2x9p0qa", "coupon_code": ""],
                    "invoice_by": "HOTMART",
                    "business_model": "I",
                    "is_funnel": false,
                ] as [String: Any],
            ] as [String: Any],
            "hottok": secret,
        ])
        return Delivery(target: "/webhooks/hotmart/\(account)",
                        headers: [("Content-Type", "application/json"), ("X-HOTMART-HOTTOK", secret), ("User-Agent", "Hotmart-Webhook/2.0")],
                        body: body)
    }

    // MARK: - Kiwify (?signature = HMAC-SHA1 of the body)

    /// A Kiwify order event; `sck` lands in `TrackingParameters.sck`.
    static func kiwify(event: String = "order_approved", orderID: String, buyer: Buyer, sck: String?, cents: Int = 14_790,
                       approvedAt: Date = Date(), secret: String = SalesFixture.secret(.kiwify)) -> Delivery {
        let when = brasilia(approvedAt, format: "yyyy-MM-dd HH:mm")
        let body = json([
            "order_id": orderID,
            "order_ref": "Xk9TqP2",
            "order_status": event == "order_approved" ? "paid" : "waiting_payment",
            "product_type": "membership",
            "payment_method": "credit_card",
            "store_id": "Qm3vR8sLzT1aBc4",
            "installments": 3,
            "card_type": "mastercard",
            "card_last4digits": "4417",
            "card_rejection_reason": NSNull(),
            "sale_type": "producer",
            "created_at": when,
            "updated_at": when,
            "approved_date": when,
            "refunded_at": NSNull(),
            "webhook_event_type": event,
            "Product": ["product_id": "8d1e4f7a-0b2c-4c9d-a3e5-6f7a8b9c0d1e", "product_name": "Método Planilha Rica"],
            "Customer": ["full_name": buyer.fullName, "first_name": buyer.firstName, "email": buyer.email,
                         "mobile": "+55" + buyer.phone, "CPF": buyer.document.filter(\.isNumber), "ip": buyer.ip,
                         "city": buyer.city, "state": buyer.state, "zipcode": buyer.zip.filter(\.isNumber)],
            "Commissions": ["charge_amount": cents, "product_base_price": cents, "product_base_price_currency": "BRL",
                            "kiwify_fee": 1342, "currency": "BRL", "my_commission": cents - 1342],
            "TrackingParameters": ["src": NSNull(), "sck": sck.map { $0 as Any } ?? NSNull(), "utm_source": "facebook",
                                   "utm_medium": "cpc", "utm_campaign": "planilha_lal_1", "utm_content": "video_03",
                                   "utm_term": NSNull(), "s1": NSNull(), "s2": NSNull(), "s3": NSNull()],
            "Subscription": NSNull(),
            "subscription_id": NSNull(),
        ])
        return Delivery(target: "/webhooks/kiwify/main?signature=" + GatewaySamples.hmacSHA1(secret, body),
                        headers: [("Content-Type", "application/json")], body: body)
    }

    // MARK: - Eduzz (x-signature = HMAC-SHA256 of the body)

    /// An Eduzz v3 MyEduzz invoice event; the click id lands in `data.utm.content`.
    static func eduzz(event: String = "myeduzz.invoice_paid", invoiceID: String, buyer: Buyer, utmContent: String?,
                      value: Double = 297.9, paidAt: Date = Date(), secret: String = SalesFixture.secret(.eduzz)) -> Delivery {
        var utm: [String: Any] = ["source": "facebook", "campaign": "horta_vertical_v2", "medium": "paid_social"]
        if let utmContent { utm["content"] = utmContent }
        let body = json([
            "id": "lq" + UUID().uuidString.prefix(10).lowercased(),
            "event": event,
            "sentDate": iso(Date()),
            "data": [
                "id": invoiceID,
                "status": event.hasSuffix("paid") ? "paid" : "open",
                "producer": ["id": "1204587", "name": "Instituto Horta Viva", "email": "contato@hortaviva.test"],
                "utm": utm,
                "buyer": ["name": buyer.fullName, "email": buyer.email, "phone": "", "phone2": "",
                          "cellphone": "(\(buyer.phone.prefix(2))) \(buyer.phone.dropFirst(2))"],
                "createdAt": iso(paidAt.addingTimeInterval(-180)),
                "paidAt": iso(paidAt),
                "price": ["currency": "BRL", "value": value],
                "paymentMethod": "creditCard",
                "installments": 6,
                "items": [
                    ["productId": "2113458", "name": "Horta Vertical em Apartamento", "price": ["currency": "BRL", "value": value - 50]],
                    ["productId": "2113460", "name": "Guia de Adubação Orgânica", "price": ["currency": "BRL", "value": 50]],
                ],
            ] as [String: Any],
        ])
        return Delivery(target: "/webhooks/eduzz/main",
                        headers: [("Content-Type", "application/json"), ("x-signature", GatewaySamples.hmacSHA256(secret, body))],
                        body: body)
    }

    // MARK: - Monetizze (form postback, chave_unica)

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A Monetizze postback (`tipoEvento[codigo]` 2 = approved, 6 = complete); the click id
    /// lands in `venda[src]`.
    static func monetizze(code: String = "2", sale: String, buyer: Buyer, src: String?, valor: String = "397.00",
                          finishedAt: Date = Date(), secret: String = SalesFixture.secret(.monetizze)) -> Delivery {
        let status = ["1": "Aguardando pagamento", "2": "Finalizada", "6": "Completa"][code] ?? "Finalizada"
        var fields: [(String, String)] = [
            ("chave_unica", secret),
            ("produto[codigo]", "298341"), ("produto[nome]", "Inglês Fluente em 90 Dias"),
            ("tipoPostback[codigo]", "2"), ("tipoPostback[descricao]", "Produtor"),
            ("tipoEvento[codigo]", code), ("tipoEvento[descricao]", status),
            ("venda[codigo]", sale), ("venda[plano]", "55120"),
            ("venda[dataInicio]", brasilia(finishedAt.addingTimeInterval(-90), format: "yyyy-MM-dd HH:mm:ss")),
            ("venda[dataFinalizada]", brasilia(finishedAt, format: "yyyy-MM-dd HH:mm:ss")),
            ("venda[meioPagamento]", "Monetizze"), ("venda[formaPagamento]", "Cartão de crédito"),
            ("venda[status]", status), ("venda[valor]", valor), ("venda[quantidade]", "1"), ("venda[valorRecebido]", "361.45"),
        ]
        if let src { fields.append(("venda[src]", src)) }
        fields += [
            ("venda[utm_source]", "facebook"), ("venda[utm_medium]", "cpc"), ("venda[utm_campaign]", "ingles90_frio"),
            ("comprador[nome]", buyer.fullName), ("comprador[email]", buyer.email),
            ("comprador[cnpj_cpf]", buyer.document.filter(\.isNumber)),
            ("comprador[telefone]", "(\(buyer.phone.prefix(2))) \(buyer.phone.dropFirst(2))"),
            ("comprador[cep]", buyer.zip.filter(\.isNumber)), ("comprador[cidade]", buyer.city), ("comprador[estado]", buyer.state),
            ("comprador[pais]", "Brasil"), ("comprador[ip]", buyer.ip),
            ("comprador[user_agent]", "Mozilla/5.0 (Linux; Android 14; SM-A546E) Chrome/128.0.0.0 Mobile Safari/537.36"),
        ]
        let body = Array(fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&").utf8)
        return Delivery(target: "/webhooks/monetizze/main",
                        headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    // MARK: - Stripe (Stripe-Signature: t=…,v1=HMAC-SHA256("t.body"))

    static func stripeSigned(_ object: [String: Any], secret: String) -> Delivery {
        let body = json(object)
        let t = String(Int64(Date().timeIntervalSince1970))
        let sig = GatewaySamples.hmacSHA256(secret, Array("\(t).".utf8) + body)
        return Delivery(target: "/webhooks/stripe/main",
                        headers: [("Content-Type", "application/json; charset=utf-8"), ("Stripe-Signature", "t=\(t),v1=\(sig)")],
                        body: body)
    }

    /// `checkout.session.completed` (paid) for PaymentIntent `paymentIntent`; the click id
    /// lands in the session's `metadata.click_id`.
    static func stripeCheckoutCompleted(paymentIntent: String, buyer: Buyer, clickID: String?, amount: Int = 19_700,
                                        created: Date = Date(), livemode: Bool = true,
                                        secret: String = SalesFixture.secret(.stripe)) -> Delivery {
        var metadata: [String: Any] = ["campaign": "mentoria_set"]
        if let clickID { metadata["click_id"] = clickID }
        return stripeSigned([
            "id": "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24),
            "object": "event",
            "api_version": "2024-06-20",
            "created": Int64(created.timeIntervalSince1970),
            "data": ["object": [
                "id": "cs_live_" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
                "object": "checkout.session",
                "amount_subtotal": amount,
                "amount_total": amount,
                "client_reference_id": NSNull(),
                "created": Int64(created.timeIntervalSince1970) - 100,
                "currency": "brl",
                "customer": "cus_QtR5sV7wX9yZ1a",
                "customer_details": [
                    "address": ["city": buyer.city, "country": "BR", "line1": "Rua XV de Novembro, 700", "line2": "conj. 41",
                                "postal_code": buyer.zip, "state": buyer.state],
                    "email": buyer.email, "name": buyer.fullName, "phone": "+55" + buyer.phone, "tax_exempt": "none",
                    "tax_ids": [["type": "br_cpf", "value": buyer.document]],
                ] as [String: Any],
                "customer_email": NSNull(),
                "invoice": NSNull(),
                "livemode": livemode,
                "locale": "pt-BR",
                "metadata": metadata,
                "mode": "payment",
                "payment_intent": paymentIntent,
                "payment_method_types": ["card"],
                "payment_status": "paid",
                "status": "complete",
            ] as [String: Any]],
            "livemode": livemode,
            "pending_webhooks": 1,
            "request": ["id": NSNull(), "idempotency_key": NSNull()],
            "type": "checkout.session.completed",
        ], secret: secret)
    }

    /// `payment_intent.succeeded` for the same payment (Stripe sends both when both are
    /// subscribed): the same transaction, so the same Purchase.
    static func stripePaymentIntentSucceeded(paymentIntent: String, buyer: Buyer, clickID: String?, amount: Int = 19_700,
                                             created: Date = Date(), secret: String = SalesFixture.secret(.stripe)) -> Delivery {
        var metadata: [String: Any] = [:]
        if let clickID { metadata["click_id"] = clickID }
        return stripeSigned([
            "id": "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24),
            "object": "event",
            "api_version": "2024-06-20",
            "created": Int64(created.timeIntervalSince1970),
            "data": ["object": [
                "id": paymentIntent,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "currency": "brl",
                "customer": "cus_QtR5sV7wX9yZ1a",
                "livemode": true,
                "metadata": metadata,
                "payment_method_types": ["card"],
                "receipt_email": buyer.email,
                "status": "succeeded",
            ] as [String: Any]],
            "livemode": true,
            "type": "payment_intent.succeeded",
        ], secret: secret)
    }
}
