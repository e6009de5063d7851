/// Meta's `user_data` normalization, one function per key, returning the plain normalized value
/// (not yet hashed) or nil when the input cannot be used.
///
/// Where Meta's documentation and its Python Business SDK disagree, these follow the
/// documentation, because that describes what Meta's matcher expects; every rule and each such
/// divergence is listed in docs/NORMALIZATION.md. Dropping an unusable value is deliberate: a
/// wrong value hashes to something that matches nobody (at best) or somebody else (at worst),
/// while an absent one costs nothing. `UserDataNormalizer` composes these and hashes the result.
public enum MetaNormalize {
    /// `em`: trimmed and lowercased, or nil when it does not look like an address.
    ///
    /// The shape check (one "@", a non-empty local part, a dotted domain whose last label has
    /// at least two characters, no whitespace) rejects the placeholders checkouts store
    /// ("n/a", "sem email", a phone number typed in the email box) without trying to be RFC 5322.
    public static func email(_ raw: String?) -> String? {
        guard var value = MetaText.trimmedLowercase(raw) else { return nil }
        if value.hasPrefix("mailto:") { value.removeFirst("mailto:".count) }
        // ASCII: whitespace and control characters are the bytes up to 0x20, and 0x7F.
        let spaceOrControl = MetaText.isASCII(value)
            ? value.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
            : value.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
        guard !spaceOrControl else { return nil }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
              let tld = labels.last, tld.count >= 2, !MetaText.isAllASCIIDigits(tld)
        else { return nil }
        return value
    }

    /// `external_id`: trimmed and lowercased (then hashed by `UserDataNormalizer`).
    ///
    /// Meta's docs recommend hashing it and the pixel normalizes it the same way before hashing,
    /// so browser and server ids for one person meet. The SDK sends it raw; we do not (see
    /// docs/NORMALIZATION.md).
    public static func externalId(_ raw: String?) -> String? {
        MetaText.trimmedLowercase(raw)
    }

    /// `fn` / `ln`: lowercase letters only, in any script, accents kept ("Valéry" -> "valéry",
    /// "D'Ávila" -> "dávila", "Silva-Santos" -> "silvasantos").
    ///
    /// Meta's docs say "lowercase only with no punctuation" and use UTF-8 for special characters;
    /// the SDK keeps punctuation. Digits are dropped too: they are never part of a name.
    public static func name(_ raw: String?) -> String? {
        MetaText.letters(raw)
    }

    /// `ct`: lowercase letters only, accents kept, no spaces, punctuation or digits
    /// ("São Paulo" -> "sãopaulo", "New York" -> "newyork").
    ///
    /// Meta's docs ask for "no special characters"; we keep accented letters (as for names and
    /// as the SDK does) rather than Meta's newer JS builder that deletes them ("sopaulo"), because
    /// deleting letters changes the word.
    public static func city(_ raw: String?) -> String? {
        MetaText.letters(raw)
    }

    /// `ge`: "m" or "f", from English, Portuguese or Spanish words; anything else is nil.
    public static func gender(_ raw: String?) -> String? {
        guard let key = MetaText.folded(raw) else { return nil }
        if maleWords.contains(key) { return "m" }
        if femaleWords.contains(key) { return "f" }
        return nil
    }

    private static let maleWords: Set<String> = [
        "m", "male", "man", "masc", "masculino", "homem", "hombre", "masculine",
    ]
    private static let femaleWords: Set<String> = [
        "f", "female", "woman", "fem", "feminino", "femenino", "mulher", "mujer", "feminine",
    ]
}
