import Testing
@testable import TrackhubCore

@Suite struct ConstantTimeTests {
    @Test func equality() {
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!constantTimeEquals([0, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(constantTimeEquals([] as [UInt8], [] as [UInt8]))
        #expect(constantTimeEquals("hottok-123", "hottok-123"))
        #expect(!constantTimeEquals("hottok-123", "hottok-124"))
        #expect(!constantTimeEquals("é", "e"))
    }

    @Test func hex() {
        #expect(Hex.decode("00ff10Ab") == [0x00, 0xFF, 0x10, 0xAB])
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.encode([0x00, 0xFF, 0x10, 0xAB]) == "00ff10ab")
    }

    /// The HMAC helper against published vectors (RFC 2202 §3 case 2, RFC 4231 §4.3).
    @Test func macMatchesRFCVectors() {
        let data = "what do ya want for nothing?".bodyBytes
        #expect(Hex.encode(WebhookMAC.sha1(key: "Jefe", data)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(Hex.encode(WebhookMAC.sha256(key: "Jefe", data)) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Parts are concatenated: HMAC(k, a ‖ b) == HMAC(k, ab).
        #expect(WebhookMAC.sha256(key: "Jefe", "what do ya ".bodyBytes, "want for nothing?".bodyBytes) == WebhookMAC.sha256(key: "Jefe", data))
    }
}
