/// Gateways that authenticate with a shared token sent in clear (no body signature, no replay
/// defence): the best we can do is compare it in constant time.
extension WebhookAuthenticator {
    /// Hotmart: header `X-HOTMART-HOTTOK` equals the account's hottok. Deliveries also carry it
    /// as the top-level `hottok` field of the JSON body, which is used only when the header is
    /// absent or empty (some proxies strip custom headers); a present-but-wrong header is not
    /// rescued by the body.
    static func verifyHotmart(rawBody: [UInt8], headers: (String) -> String?, secrets: [String]) -> WebhookAuthResult {
        let token: String
        if let header = headers("X-HOTMART-HOTTOK"), !header.isEmpty {
            token = header
        } else {
            let scan = JSONReader.scanObject(rawBody, capturing: "hottok")
            guard scan.isObject else { return .rejected(reason: .bodyShape) }
            guard let member = scan.member, !member.isEmpty else { return .rejected(reason: .missingSignature) }
            token = member
        }
        return matchesAnySecret(token, secrets) ? .ok : .rejected(reason: .badSignature)
    }

    /// Monetizze (legacy postback): the form field `chave_unica` equals the account's unique
    /// key from "Ferramentas → Postback". With `Content-Type: application/json` the same field is
    /// read from the top level of the JSON object.
    static func verifyMonetizze(rawBody: [UInt8], headers: (String) -> String?, secrets: [String]) -> WebhookAuthResult {
        let key: String?
        if MediaType.isJSON(headers("Content-Type")) {
            let scan = JSONReader.scanObject(rawBody, capturing: "chave_unica")
            guard scan.isObject else { return .rejected(reason: .bodyShape) }
            key = scan.member
        } else {
            key = QueryString.firstValue(named: "chave_unica", in: rawBody)
        }
        guard let key, !key.isEmpty else { return .rejected(reason: .missingSignature) }
        return matchesAnySecret(key, secrets) ? .ok : .rejected(reason: .badSignature)
    }
}
