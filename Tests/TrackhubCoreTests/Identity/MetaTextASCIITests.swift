import Foundation
import Testing
@testable import TrackhubCore

/// The ASCII fast paths must answer exactly what the Foundation calls they short-circuit answer.
@Suite("MetaText ASCII fast paths agree with Foundation")
struct MetaTextASCIITests {
    static let samples: [String] = {
        var list = [
            "", " ", "a", " a", "a ", " a ", "\ta\n", "\r\n", "abc", "fb.1.1732300000000.IwAR2x", "203.0.113.9",
            "2001:db8::1", "https://lp.example.com/a?b=c", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
            "\u{0B}x\u{0C}", "x\u{7F}", "\u{01}x", "a b", "a\tb", "MARIA@UOL.COM.BR", " John_Smith@Gmail.com ",
            "São Paulo", " São Paulo ", "\u{A0}x\u{A0}", "\u{2003}x", "x\u{3000}", "\u{85}x", "x\u{2028}", "x\u{200B}",
            "\u{180E}x", "Zoe\u{308}", "e\u{301}", "ÇAĞLAR", "Владимир", "日本", "x\u{1F600}", " \u{301}", "\u{FEFF}x",
        ]
        // Every ASCII byte at the start, in the middle and at the end.
        for b in 0..<128 {
            let c = String(UnicodeScalar(UInt8(b)))
            list += [c, c + "x", "x" + c, "x" + c + "y"]
        }
        return list
    }()

    @Test("trimmed == trimmingCharacters(in: .whitespacesAndNewlines)", arguments: samples)
    func trimmed(_ s: String) {
        #expect(MetaText.trimmed(s) == s.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("containsWhitespace == contains(where: \\.isWhitespace)", arguments: samples)
    func containsWhitespace(_ s: String) {
        #expect(MetaText.containsWhitespace(s) == s.contains(where: \.isWhitespace))
    }

    @Test("precomposed == precomposedStringWithCanonicalMapping", arguments: samples)
    func precomposed(_ s: String) {
        #expect(MetaText.precomposed(s).unicodeScalars.elementsEqual(s.precomposedStringWithCanonicalMapping.unicodeScalars))
    }
}
