import Foundation
import Testing
@testable import TrackhubCore

/// The one rule for stored text (issue 14): U+0000 becomes U+FFFD, everything else is kept.
@Suite("StorableText")
struct StorableTextTests {
    @Test("U+0000 becomes U+FFFD wherever it is; clean text is returned as it is")
    func replacesNUL() {
        #expect(StorableText.storable("a\u{0}b") == "a\u{FFFD}b")
        #expect(StorableText.storable("\u{0}") == "\u{FFFD}")
        #expect(StorableText.storable("\u{0}\u{0}x\u{0}") == "\u{FFFD}\u{FFFD}x\u{FFFD}")
        #expect(StorableText.storable("utm_source=fb é 🎯") == "utm_source=fb é 🎯")
        #expect(StorableText.storable("") == "")
    }

    @Test("a NUL followed by a combining mark (one Character) is replaced too")
    func byScalarNotCharacter() {
        let s = "x\u{0}\u{301}y"
        #expect(!s.contains("\u{0}"))  // why Character-based searching is not enough
        #expect(StorableText.storable(s) == "x\u{FFFD}\u{301}y")
        #expect(StorableText.isStorable(StorableText.storable(s)))
    }

    @Test("the other C0 controls and DEL are storable and kept", arguments: Array(1...0x1F) + [0x7F])
    func otherControlsKept(_ byte: Int) {
        let s = "a" + String(Unicode.Scalar(UInt8(byte))) + "b"
        #expect(StorableText.isStorable(s))
        #expect(StorableText.storable(s) == s)
    }

    @Test("pairs and maps: names and values, order kept; colliding keys resolve deterministically")
    func pairsAndMaps() {
        let pairs = StorableText.storable(pairs: [("note", "\u{0}x"), ("a\u{0}", "1"), ("b", "2")])
        #expect(pairs.map(\.0) == ["note", "a\u{FFFD}", "b"])
        #expect(pairs.map(\.1) == ["\u{FFFD}x", "1", "2"])
        #expect(StorableText.storable(["k": "v\u{0}"]) == ["k": "v\u{FFFD}"])
        let collide = StorableText.storable(["k\u{0}": "first", "k\u{FFFD}": "second"])
        #expect(collide.count == 1)
        #expect(collide == StorableText.storable(["k\u{FFFD}": "second", "k\u{0}": "first"]))
    }

    @Test("random strings: the result never holds a NUL and differs only where one was")
    func randomised() {
        var rng = EdgeTestRNG(seed: 14)
        let alphabet: [Unicode.Scalar] = ["\u{0}", "a", "\u{1}", "\u{301}", "é", "🎯", "\u{FFFD}", "\\", "\""]
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 0...16, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let s = String(String.UnicodeScalarView(scalars))
            let out = StorableText.storable(s)
            #expect(!out.utf8.contains(0))
            #expect(out.unicodeScalars.count == s.unicodeScalars.count)
            for (a, b) in zip(s.unicodeScalars, out.unicodeScalars) { #expect(a == b || (a == "\u{0}" && b == "\u{FFFD}")) }
        }
    }
}
