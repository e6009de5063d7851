public import Foundation
internal import Crypto

/// Where a sale stands, normalised across gateways.
///
/// Only `approved` may produce a Meta `Purchase`. `pending` (PIX/boleto generated) may produce
/// a configurable custom event; `refunded` and `chargeback` are recorded (and may produce a
/// custom event); `canceled` and `other` are recorded only.
///
/// Disputes: a dispute maps to `chargeback` only where the gateway sends no separate, later
/// chargeback notification (Monetizze `5 BLOQUEADA`) or where opening it already takes the money
/// back (Stripe `charge.dispute.created`). Where a distinct chargeback follows (Hotmart
/// `PURCHASE_PROTEST`, Mercado Pago `in_mediation`) the dispute is `other`, so a dispute the
/// seller wins never counts as a chargeback.
public enum ConversionStatus: String, Sendable, Codable, Equatable, Hashable, CaseIterable {
    case pending
    case approved
    case refunded
    case chargeback
    case canceled
    case other
}

/// How the buyer paid, as far as the gateway says.
public enum PaymentMethod: String, Sendable, Codable, Equatable, Hashable, CaseIterable {
    /// Credit or debit card, including card wallets (Google Pay / Apple Pay) and gateway cards.
    case card
    case pix
    case boleto
    /// Something else the gateway named (PayPal, account balance, bank transfer that is not PIX, …).
    case other
    /// The payload does not say.
    case unknown
}

/// The click-tracking values a gateway carried from the checkout URL (or the session metadata)
/// back to us. Names follow the checkout URL parameters they come from.
public struct TrackingParameters: Sendable, Codable, Equatable, Hashable {
    public var sck: String?
    public var src: String?
    public var xcod: String?
    public var utmSource: String?
    public var utmMedium: String?
    public var utmCampaign: String?
    public var utmContent: String?
    public var utmTerm: String?
    public var s1: String?
    public var s2: String?
    public var s3: String?
    /// Free-form key/values (Stripe / Mercado Pago `metadata`), scalars as strings.
    public var metadata: [String: String]
    /// Stripe `client_reference_id`, Mercado Pago `external_reference`.
    public var clientReferenceID: String?

    public init(
        sck: String? = nil, src: String? = nil, xcod: String? = nil,
        utmSource: String? = nil, utmMedium: String? = nil, utmCampaign: String? = nil,
        utmContent: String? = nil, utmTerm: String? = nil,
        s1: String? = nil, s2: String? = nil, s3: String? = nil,
        metadata: [String: String] = [:], clientReferenceID: String? = nil
    ) {
        self.sck = sck; self.src = src; self.xcod = xcod
        self.utmSource = utmSource; self.utmMedium = utmMedium; self.utmCampaign = utmCampaign
        self.utmContent = utmContent; self.utmTerm = utmTerm
        self.s1 = s1; self.s2 = s2; self.s3 = s3
        self.metadata = metadata; self.clientReferenceID = clientReferenceID
    }

    /// Metadata keys that may hold a Trackhub click id, in priority order.
    public static let clickIDMetadataKeys = ["click_id", "th_cid", "sck"]

    /// Every value that may be a Trackhub click id, in priority order, trimmed, empty ones and
    /// repeats dropped: sck, src, xcod, s1, s2, s3, utm_content, utm_term,
    /// metadata["click_id"], metadata["th_cid"], metadata["sck"], client_reference_id.
    ///
    /// Values are untrusted and not validated here (a landing page may have put the id inside a
    /// longer value); see ``clickIDs`` for the ids actually found in them.
    public var clickIDCandidates: [String] {
        var ordered: [String?] = [sck, src, xcod, s1, s2, s3, utmContent, utmTerm]
        ordered += Self.clickIDMetadataKeys.map { metadata[$0] }
        ordered.append(clientReferenceID)
        var seen = Set<String>()
        var out: [String] = []
        for case let value? in ordered {
            let t = value.trimmedSales
            guard !t.isEmpty, seen.insert(t).inserted else { continue }
            out.append(t)
        }
        return out
    }

    /// Valid Trackhub click ids (`ClickID.isValid`) found in ``clickIDCandidates``, in the same
    /// priority order, without repeats. A candidate counts when it *is* a click id or contains
    /// one as a whole token between separators (`fb_01j9…`, `ad12|01j9…`), since media buyers
    /// often pack several values into `utm_content`/`src`.
    public var clickIDs: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for candidate in clickIDCandidates {
            let tokens = ClickID.isValid(candidate)
                ? [Substring(candidate)]
                : candidate.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
            for token in tokens where ClickID.isValid(token) {
                let id = String(token)
                if seen.insert(id).inserted { out.append(id) }
            }
        }
        return out
    }

    /// True when nothing at all was carried back.
    public var isEmpty: Bool {
        clickIDCandidates.isEmpty && utmSource == nil && utmMedium == nil && utmCampaign == nil && metadata.isEmpty
    }
}

/// One sale event from a payment gateway, normalised: what a webhook (or a fetched Mercado
/// Pago payment) says happened to one transaction.
///
/// Contains personal data (`buyer`, `document`, `ip`, `userAgent`): store it sealed, hash it
/// before it leaves, never log it. `description` is redacted.
public struct Conversion: Sendable, Codable, Equatable {
    public var gateway: Gateway
    /// The tenant's gateway account the webhook arrived for (`/webhooks/{gateway}/{account}`).
    public var account: String
    /// The gateway's id of the sale (Hotmart `HP…`, Kiwify order id, Stripe `pi_…`, …).
    public var transactionID: String
    public var status: ConversionStatus
    /// The gateway's own name for the event (`PURCHASE_APPROVED`, `order_approved`,
    /// `myeduzz.invoice_paid`, Monetizze's `tipoEvento` code, Stripe's event type, Mercado
    /// Pago's payment status).
    public var rawEventType: String
    /// What the buyer paid, in `currency` units (not minor units). For Stripe and Mercado Pago
    /// refunds, the amount refunded so far when the gateway says (a partial refund is smaller).
    public var value: Decimal
    /// ISO-4217, uppercase.
    public var currency: String
    public var paymentMethod: PaymentMethod
    public var buyer: RawUserData
    /// The buyer's CPF (11 digits) or CNPJ (14 digits), digits only.
    public var document: String?
    /// The buyer's IP address as the gateway saw it at checkout, canonical text.
    public var ip: String?
    /// The buyer's browser user agent at checkout, when the gateway sends it (Monetizze).
    public var userAgent: String?
    public var productIDs: [String]
    public var tracking: TrackingParameters
    /// Approval time for paid conversions, otherwise the time of the event (a refund's,
    /// chargeback's, …). Falls back to when the webhook was received when the payload has none.
    public var occurredAt: Date
    /// Hotmart order bumps are separate transactions; this is the main purchase's transaction.
    public var orderBumpParent: String?
    /// A gateway test delivery (Hotmart/Kiwify sample payloads, Stripe/Mercado Pago test mode).
    public var isTest: Bool
    public var numItems: Int?

    public init(
        gateway: Gateway, account: String, transactionID: String, status: ConversionStatus, rawEventType: String,
        value: Decimal, currency: String, paymentMethod: PaymentMethod = .unknown, buyer: RawUserData = RawUserData(),
        document: String? = nil, ip: String? = nil, userAgent: String? = nil, productIDs: [String] = [],
        tracking: TrackingParameters = TrackingParameters(), occurredAt: Date, orderBumpParent: String? = nil,
        isTest: Bool = false, numItems: Int? = nil
    ) {
        self.gateway = gateway; self.account = account; self.transactionID = transactionID
        self.status = status; self.rawEventType = rawEventType; self.value = value; self.currency = currency
        self.paymentMethod = paymentMethod; self.buyer = buyer; self.document = document; self.ip = ip
        self.userAgent = userAgent; self.productIDs = productIDs; self.tracking = tracking
        self.occurredAt = occurredAt; self.orderBumpParent = orderBumpParent; self.isTest = isTest
        self.numItems = numItems
    }

    /// `value` as Meta's `custom_data.value`: the gateway's exact decimal, rounded (half away
    /// from zero) to the currency's ISO 4217 minor units (BRL/USD 2, JPY 0, KWD 3), never
    /// through a binary float. Amounts gateways send already have at most that many places,
    /// so rounding only trims a malformed extra digit.
    public var metaValue: Decimal {
        guard !value.isNaN else { return value }
        var exact = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, SalesCurrency.isoExponent(currency), .plain)
        return rounded
    }

    /// `occurredAt` in whole Unix seconds (Meta's `event_time`), rounded down.
    public var occurredAtEpochSeconds: Int64 {
        Int64(occurredAt.timeIntervalSince1970.rounded(.down))
    }

    /// The Meta `event_id` of this sale's `Purchase`: `"<gateway>.<transactionID>"`, e.g.
    /// `hotmart.HP16015479281022`, `stripe.pi_3PqRsT…`.
    ///
    /// Deterministic and independent of the event type, the status, the delivery and the
    /// *account*: Hotmart's PURCHASE_APPROVED and PURCHASE_COMPLETE, Monetizze's 2 and 6, and
    /// every redelivery give the same id, so the ledger and Meta's dedupe both see one
    /// Purchase. Two accounts of the same gateway reporting the same transaction id (a
    /// producer and a co-producer both receiving the webhook of one sale) also give the same
    /// id, deliberately: it is one sale. Transaction ids are only unique per gateway, so the
    /// gateway name is part of the id.
    ///
    /// At most 100 characters: ids that would be longer (parsers refuse transaction ids over
    /// ``GatewayParser/maxTransactionIDLength``, so only a hand-built conversion can get here)
    /// become `"<gateway>.~<sha256 hex of the transaction id>"`.
    public var purchaseEventID: String {
        Self.eventID(gateway: gateway, transactionID: transactionID, suffix: nil)
    }

    /// The `event_id` for a non-Purchase event about this transaction in its current status
    /// (`"hotmart.HP123.pending"`, `"….refunded"`), for the optional custom events; stable across
    /// redeliveries in the same way as ``purchaseEventID``.
    public var statusEventID: String {
        Self.eventID(gateway: gateway, transactionID: transactionID, suffix: status.rawValue)
    }

    /// Upper bound of every derived event id.
    public static let maxEventIDLength = 100

    static func eventID(gateway: Gateway, transactionID: String, suffix: String?) -> String {
        let tail = suffix.map { "." + $0 } ?? ""
        let plain = "\(gateway.rawValue).\(transactionID)\(tail)"
        if plain.utf8.count <= maxEventIDLength { return plain }
        let digest = SHA256.hash(data: Array(transactionID.utf8))
        return "\(gateway.rawValue).~\(Hex.encode(digest))\(tail)"
    }
}

extension Conversion: CustomStringConvertible, CustomDebugStringConvertible {
    /// Redacted: no buyer data, document, IP or user agent (the buyer part goes through
    /// `RawUserData`'s own redacted description).
    public var description: String {
        "Conversion(\(gateway.rawValue)/\(account) \(transactionID) \(status.rawValue) [\(rawEventType)] "
            + "\(value) \(currency) \(paymentMethod.rawValue), buyer: \(buyer)"
            + (document == nil ? "" : ", document: <redacted>") + (ip == nil ? "" : ", ip: <redacted>")
            + (isTest ? ", test" : "") + ")"
    }

    public var debugDescription: String { description }
}

extension Conversion {
    /// The buyer as the dispatch hashes it: the gateway's buyer fields, with the CPF/CNPJ as
    /// `external_id` when the gateway gave no other id. One definition, used by the sale path
    /// and by a privacy erasure that recognises a stored webhook by its buyer.
    public var buyerForHashing: RawUserData {
        var raw = buyer
        if raw.externalId == nil, let document, !document.isEmpty { raw.externalId = document }
        return raw
    }
}
