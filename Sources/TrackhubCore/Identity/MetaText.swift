import Foundation

/// Text primitives shared by the Meta normalizers. Kept in one namespace (rather than as
/// `String` extensions) so they cannot collide with helpers other parts of the module define.
enum MetaText {
    /// Trimmed, lowercased and in Unicode NFC, or nil when nothing is left.
    ///
    /// NFC matters for hashing: "é" typed on macOS can arrive decomposed ("e" + U+0301), and
    /// only the composed form hashes to the value Meta's documented vectors use.
    static func trimmedLowercase(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let value = precomposed(trimmed(raw).lowercased())
        return value.isEmpty ? nil : value
    }

    /// Lowercase letters only (any script, accents kept): drops digits, punctuation, symbols and
    /// whitespace. "D'Ávila" -> "dávila", "São Paulo" -> "sãopaulo".
    static func letters(_ raw: String?) -> String? {
        guard let value = trimmedLowercase(raw) else { return nil }
        let kept = value.filter { $0.isLetter }
        return kept.isEmpty ? nil : kept
    }

    /// Lowercase ASCII a-z only, accents removed ("São Paulo" -> "saopaulo", "Ceará" -> "ceara").
    ///
    /// Used only as a lookup key into code tables (countries, states, genders), never as a value
    /// sent to Meta, so losing non-Latin letters here is harmless.
    static func folded(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var out = String.UnicodeScalarView()
        let lower = raw.lowercased()
        for scalar in (isASCII(lower) ? lower : lower.decomposedStringWithCanonicalMapping).unicodeScalars {
            if ("a"..."z").contains(scalar) { out.append(scalar) }
        }
        return out.isEmpty ? nil : String(out)
    }

    /// ASCII digits 0-9 only.
    static func asciiDigits(_ raw: String) -> String {
        String(String.UnicodeScalarView(raw.unicodeScalars.filter { ("0"..."9").contains($0) }))
    }

    /// True when every character is an ASCII digit (and there is at least one).
    static func isAllASCIIDigits(_ value: some StringProtocol) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Order-preserving de-duplication that also drops empty strings.
    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        var out = [String]()
        for value in values where !value.isEmpty && seen.insert(value).inserted {
            out.append(value)
        }
        return out
    }
}
