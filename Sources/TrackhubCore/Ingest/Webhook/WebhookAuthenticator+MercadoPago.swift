/// Mercado Pago: header `x-signature: ts=<ts>,v1=<hex>` is HMAC-SHA256(secret, manifest) with
/// manifest `id:{data.id};request-id:{x-request-id};ts:{ts};`, where `data.id` is the
/// *query-string* parameter (not the body) and a part whose value is missing is left out
/// (mercadopago/sdk-nodejs `WebhookSignatureValidator`). The body itself is not signed.
///
/// Mercado Pago's docs say to lowercase an alphanumeric `data.id` first; its official SDK does
/// not. Both manifests are accepted, since either could be what signed the delivery.
///
/// The SDK's optional `ts` freshness check is not applied: the docs and the SDK disagree on its
/// unit, and a wrong guess would reject every delivery.
extension WebhookAuthenticator {
    static func verifyMercadoPago(headers: (String) -> String?, query: [(String, String)], secrets: [String]) -> WebhookAuthResult {
        guard let header = headers("x-signature"), !header.trimmingASCIIBlanks.isEmpty else {
            return .rejected(reason: .missingSignature)
        }
        guard let items = SignatureHeader.parse(header) else { return .rejected(reason: .malformedHeader) }
        var ts: Substring?
        var v1: Substring?
        for item in items {
            if item.key == "ts", ts == nil { ts = item.value }
            if item.key == "v1", v1 == nil { v1 = item.value }
        }
        guard let ts, !ts.isEmpty, let v1, let presented = Hex.decode(v1), presented.count == 32 else {
            return .rejected(reason: .malformedHeader)
        }
        let requestID = headers("x-request-id")
        let dataID = QueryString.first("data.id", in: query)

        var manifests = [mercadoPagoManifest(dataID: dataID, requestID: requestID, ts: ts)]
        if let dataID, let lowered = lowercasedIfAlphanumeric(dataID), lowered != dataID {
            manifests.append(mercadoPagoManifest(dataID: lowered, requestID: requestID, ts: ts))
        }
        var matched = false
        for secret in secrets {
            for manifest in manifests where constantTimeEquals(WebhookMAC.sha256(key: secret, manifest), presented) {
                matched = true
            }
        }
        return matched ? .ok : .rejected(reason: .badSignature)
    }

    /// The signed manifest, omitting each part whose value is missing or empty.
    static func mercadoPagoManifest(dataID: String?, requestID: String?, ts: Substring) -> [UInt8] {
        var manifest = ""
        if let dataID, !dataID.isEmpty { manifest += "id:\(dataID);" }
        if let requestID, !requestID.isEmpty { manifest += "request-id:\(requestID);" }
        manifest += "ts:\(ts);"
        return Array(manifest.utf8)
    }

    /// `id` lowercased when it consists only of ASCII letters and digits, else `nil`.
    private static func lowercasedIfAlphanumeric(_ id: String) -> String? {
        let alphanumeric = id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
        }
        return alphanumeric ? id.lowercased() : nil
    }
}
