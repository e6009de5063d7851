extension MetaNormalize {
    /// `country`: lowercase ISO 3166-1 alpha-2 ("BR", "bra", "Brasil", "Brazil" -> "br"), or nil
    /// when the input is not a country we know.
    ///
    /// Meta only accepts alpha-2 codes; the SDK rejects names outright, so "Brasil" from a
    /// checkout form would be lost. Accepted: alpha-2 codes, alpha-3 codes, and English names
    /// (ISO short, common and official) plus Portuguese/Spanish names and "UK"/"EUA"/"UAE".
    public static func country(_ raw: String?) -> String? {
        guard let key = MetaText.folded(raw) else { return nil }
        if key.count == 2 {
            if key == "uk" { return "gb" }
            return MetaGeo.alpha2.contains(key) ? key : nil
        }
        if key.count == 3, let code = MetaGeo.alpha2ByAlpha3[key] { return code }
        return MetaGeo.alpha2ByName[key]
    }

    /// `st`: for Brazil and the US, the 2-letter code ("São Paulo" -> "sp", "California" -> "ca",
    /// "SP" -> "sp"); elsewhere (or when the name is not recognised) lowercase letters only,
    /// accents kept ("Île-de-France" -> "îledefrance").
    ///
    /// Meta documents the 2-letter ANSI code for US states and "lowercase, no punctuation, no
    /// special characters, no spaces" elsewhere; for Brazil the 2-letter UF is what Brazilian
    /// checkouts (and so Meta's other sources for the same people) overwhelmingly use.
    /// `country` is the normalized country the address is in (nil when unknown).
    public static func state(_ raw: String?, country: String?) -> String? {
        guard let letters = MetaText.letters(raw) else { return nil }
        if let country, let table = MetaGeo.regions[country], let key = MetaText.folded(raw) {
            if key.count == 2, table.codes.contains(key) { return key }
            if let code = table.byName[key] { return code }
            for prefix in ["estadode", "estadodo", "estadoda", "stateof"] where key.hasPrefix(prefix) {
                if let code = table.byName[String(key.dropFirst(prefix.count))] { return code }
            }
        }
        return letters
    }

    /// `zp`: lowercase letters and digits only, no spaces and no dashes ("01310-100" ->
    /// "01310100", "M1 1AE" -> "m11ae"); for the US, the first 5 digits of a ZIP+4.
    ///
    /// Meta's docs say "no spaces and no dash"; the SDK (and Meta's JS builder) instead cut at
    /// the first dash, which turns a Brazilian CEP "01310-100" into "01310" — a prefix shared by
    /// a whole district. We keep all 8 digits. Leading zeros lost by storing a code as a
    /// number are restored for Brazil (7 -> 8 digits) and the US (4 -> 5, 8 -> 9 digits).
    /// `country` is the normalized country the address is in (nil when unknown).
    public static func zip(_ raw: String?, country: String?) -> String? {
        guard let lower = MetaText.trimmedLowercase(raw) else { return nil }
        var value = String(String.UnicodeScalarView(lower.unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }))
        let numeric = MetaText.isAllASCIIDigits(value)
        // A ZIP+4 as written ("94035-1234") is a US code whatever the (default) context says:
        // no other postal code has that shape (a CEP is 5-3), and Meta wants its first 5 digits.
        if country == nil || country == "us" || country == "br", isZIPPlus4(lower) {
            return String(value.prefix(5))
        }
        switch country {
        case "br" where numeric && value.count == 7:
            value = "0" + value
        case "us" where numeric:
            if value.count == 4 || value.count == 8 { value = "0" + value }
            if value.count == 9 { value = String(value.prefix(5)) }
        default:
            break
        }
        return value.count >= 2 ? value : nil
    }

    /// "94035-1234" (spaces around the dash allowed): 5 digits, a dash, 4 digits.
    static func isZIPPlus4(_ text: String) -> Bool {
        let parts = text.filter { $0 != " " }.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 5 && parts[1].count == 4
            && MetaText.isAllASCIIDigits(parts[0]) && MetaText.isAllASCIIDigits(parts[1])
    }
}
