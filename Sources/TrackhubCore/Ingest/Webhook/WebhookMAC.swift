import Crypto

/// HMACs over the raw request bytes, keyed with a gateway secret's UTF-8 bytes (how every
/// gateway here defines the key: the token or `whsec_…` string as-is).
enum WebhookMAC {
    static func sha1(key: String, _ parts: [UInt8]...) -> [UInt8] {
        var mac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(key.utf8)))
        for part in parts { mac.update(data: part) }
        return Array(mac.finalize())
    }

    static func sha256(key: String, _ parts: [UInt8]...) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: Array(key.utf8)))
        for part in parts { mac.update(data: part) }
        return Array(mac.finalize())
    }
}
