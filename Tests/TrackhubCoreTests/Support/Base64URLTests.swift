import Foundation
import Testing
@testable import TrackhubCore

/// The byte-level Base64URL must agree with Foundation's base64 with the URL alphabet and no
/// padding (the format every sealed value already stored uses).
@Suite("Base64URL")
struct Base64URLTests {
    static func reference(_ data: Data) -> String {
        var s = data.base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    @Test("encode matches Foundation and decode inverts it, for every length up to 200")
    func roundTrip() {
        var rng = SystemRandomNumberGenerator()
        for length in 0...200 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let encoded = Base64URL.encode(data)
            #expect(encoded == Self.reference(data))
            #expect(Base64URL.decode(encoded) == data)
        }
        #expect(Base64URL.encode(Data([0xFB, 0xFF, 0xBF])) == "-_-_")
    }

    @Test("anything outside the alphabet, padding, or an impossible length is refused",
          arguments: ["a", "abcde", "ab=c", "ab==", "a+b/", "abc!", "ab c", "ab\ncd", "é"])
    func refused(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
