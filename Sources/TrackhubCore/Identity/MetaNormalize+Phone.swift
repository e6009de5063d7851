import Foundation

extension MetaNormalize {
    /// `ph`: digits only, with the country calling code and without leading zeros
    /// ("(11) 98765-4321" -> "5511987654321", "+1 (650) 555-1212" -> "16505551212"). Returns
    /// every candidate form (see below), or an empty list when the number is unusable.
    ///
    /// Meta's docs require the country code ("Phone numbers must include a country code"); the SDK
    /// only strips symbols and so sends national numbers that match no one. How the country code
    /// is found:
    /// - A leading "+" or an international prefix "00" means the digits already start with one.
    /// - Otherwise the number is read in the numbering plan of `defaultCallingCode`:
    ///   - "55" (Brazil): 10 or 11 digits with a real DDD are national and get "55" prepended;
    ///     "55" + a valid national number is kept; a single leading "0" is the trunk prefix,
    ///     optionally followed by a 2-digit carrier code ("0 21 11 98765-4321").
    ///   - "1" (NANP): 10 digits (area code and exchange starting 2-9) get "1"; "011" is the
    ///     international prefix.
    ///   - any other code: a leading trunk "0" or a number not starting with the code gets it.
    ///   - Longer numbers that cannot be national are taken to carry a foreign country code.
    /// - Numbers in Brazil (+55) or the NANP (+1) must be valid there; any result must have
    ///   7-15 digits (E.164).
    /// - Ambiguous numbers are dropped, never guessed: in the Brazilian plan, 11 digits that are
    ///   both a national mobile of DDD 12-19 and "1" + a valid NANP number
    ///   (`1 694 674-8659`) are read as Brazilian only when written with a 2-digit area code in
    ///   parentheses (`(16) 94674-8659`); and a parenthesized area code whose length is not the
    ///   plan's (3 digits in Brazil, `(650) 555-1212`; 2 in the NANP) means the number was not
    ///   written in that plan.
    ///
    /// The caller picks `defaultCallingCode`: the buyer's own country's code when it is known
    /// (`UserDataNormalizer`), else the tenant's default.
    ///
    /// Brazilian mobiles gained a ninth digit (a leading 9) between 2012 and 2016, and profiles
    /// may still hold the old 8-digit form. With `brazilMobileBothForms`, a +55 mobile yields both:
    /// the 9-digit form first, then the 8-digit form ("5511987654321", "551187654321"). Only
    /// numbers whose 8-digit part starts with 6-9 qualify (landlines start with 2-5, so adding or
    /// removing a 9 there would produce someone else's number).
    public static func phone(
        _ raw: String?, defaultCallingCode: String = "55", brazilMobileBothForms: Bool = true
    ) -> [String] {
        guard let raw else { return [] }
        let trimmed = MetaText.trimmed(raw)
        let digits = MetaText.asciiDigits(trimmed)
        guard !digits.isEmpty else { return [] }
        let plusPrefixed = trimmed.drop { $0 == "(" || $0.isWhitespace }.hasPrefix("+")
        guard let international = MetaPhonePlan.internationalDigits(
                digits, plusPrefixed: plusPrefixed, defaultCallingCode: MetaText.asciiDigits(defaultCallingCode),
                areaCodeDigits: MetaPhonePlan.parenthesizedDigits(trimmed)),
              MetaPhonePlan.isPlausibleInternational(international)
        else { return [] }
        if brazilMobileBothForms, international.hasPrefix("55") {
            return MetaPhonePlan.brazilianMobileForms(international)
        }
        return [international]
    }
}

/// Numbering-plan knowledge behind `MetaNormalize.phone`. Inputs are ASCII-digit strings.
enum MetaPhonePlan {
    /// The Brazilian area codes (DDD) Anatel assigns: 67 codes, unchanged since 1999.
    static let brazilianAreaCodes: Set<String> = [
        "11", "12", "13", "14", "15", "16", "17", "18", "19",
        "21", "22", "24", "27", "28",
        "31", "32", "33", "34", "35", "37", "38",
        "41", "42", "43", "44", "45", "46", "47", "48", "49",
        "51", "53", "54", "55",
        "61", "62", "63", "64", "65", "66", "67", "68", "69",
        "71", "73", "74", "75", "77", "79",
        "81", "82", "83", "84", "85", "86", "87", "88", "89",
        "91", "92", "93", "94", "95", "96", "97", "98", "99",
    ]

    /// The number in international form (country code first, no "+"), or nil when it cannot be
    /// placed or could be read two ways. `digits` still holds any leading zeros;
    /// `areaCodeDigits` is how many digits the number's first parenthesized group has, if any.
    static func internationalDigits(
        _ digits: String, plusPrefixed: Bool, defaultCallingCode cc: String, areaCodeDigits: Int? = nil
    ) -> String? {
        let zeros = digits.prefix { $0 == "0" }.count
        let significant = String(digits.dropFirst(zeros))
        guard !significant.isEmpty else { return nil }
        if plusPrefixed || zeros >= 2 { return significant }
        switch cc {
        case "":
            return significant
        case "55":
            if let areaCodeDigits, areaCodeDigits != 2 { return nil }
            if zeros == 0, areaCodeDigits == nil, significant.utf8.count == 11, significant.hasPrefix("1"),
               isNANPNational(significant.dropFirst()), isBrazilianNational(significant) {
                return nil // "1 694 674-8659": a DDD-16 mobile, or +1 694-674-8659? Not guessed.
            }
            return fromBrazilianDialing(significant, trunkPrefix: zeros == 1)
        case "1":
            if let areaCodeDigits, areaCodeDigits != 3 { return nil }
            if zeros == 1, significant.hasPrefix("11") { return String(significant.dropFirst(2)) }
            if isNANPNational(significant) { return "1" + significant }
            if significant.hasPrefix("1"), isNANPNational(significant.dropFirst()) { return significant }
            return significant.count > 11 ? significant : nil
        default:
            return zeros == 1 || !significant.hasPrefix(cc) ? cc + significant : significant
        }
    }

    private static func fromBrazilianDialing(_ s: String, trunkPrefix: Bool) -> String? {
        if isBrazilianNational(s) { return "55" + s }
        if trunkPrefix {
            // 0 + carrier selection code (2 digits) + DDD + number.
            let withoutCarrier = s.dropFirst(2)
            return (12...13).contains(s.count) && isBrazilianNational(withoutCarrier) ? "55" + withoutCarrier : nil
        }
        if s.hasPrefix("55"), isBrazilianNational(s.dropFirst(2)) { return s }
        return s.count > 11 ? s : nil
    }

    /// How many digits the first `( … )` group of `text` holds (`"(11) 9…"` -> 2,
    /// `"1 (694) 674-8659"` -> 3), or nil without one: how the writer split off the area code.
    static func parenthesizedDigits(_ text: some StringProtocol) -> Int? {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        return text[open..<close].utf8.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
    }

    /// DDD + 8 digits (landline 2-5, legacy mobile 6-9) or DDD + 9 + 8 digits (mobile).
    static func isBrazilianNational(_ s: some StringProtocol) -> Bool {
        let d = Array(s.utf8)
        guard d.count == 10 || d.count == 11, MetaText.isAllASCIIDigits(s),
              brazilianAreaCodes.contains(String(decoding: d[0..<2], as: UTF8.self))
        else { return false }
        if d.count == 11 { return d[2] == UInt8(ascii: "9") }
        return (UInt8(ascii: "2")...UInt8(ascii: "9")).contains(d[2])
    }

    /// NXX-NXX-XXXX: 10 digits, area code and exchange starting with 2-9.
    static func isNANPNational(_ s: some StringProtocol) -> Bool {
        let d = Array(s.utf8)
        let twoToNine = UInt8(ascii: "2")...UInt8(ascii: "9")
        return d.count == 10 && MetaText.isAllASCIIDigits(s) && twoToNine.contains(d[0]) && twoToNine.contains(d[3])
    }

    /// E.164 length (7-15 digits, no leading 0); +55 and +1 numbers must be valid in their plan.
    static func isPlausibleInternational(_ n: String) -> Bool {
        guard (7...15).contains(n.utf8.count), MetaText.isAllASCIIDigits(n), !n.hasPrefix("0") else { return false }
        if n.hasPrefix("55") { return isBrazilianNational(n.dropFirst(2)) }
        if n.hasPrefix("1") { return isNANPNational(n.dropFirst()) }
        return true
    }

    /// Both ninth-digit forms of a +55 mobile (9-digit form first); other numbers unchanged.
    static func brazilianMobileForms(_ n: String) -> [String] {
        let national = Array(n.utf8.dropFirst(2))
        let mobileLead = UInt8(ascii: "6")...UInt8(ascii: "9")
        let ddd = String(decoding: national.prefix(2), as: UTF8.self)
        if national.count == 11, national[2] == UInt8(ascii: "9"), mobileLead.contains(national[3]) {
            return [n, "55" + ddd + String(decoding: national.dropFirst(3), as: UTF8.self)]
        }
        if national.count == 10, mobileLead.contains(national[2]) {
            return ["55" + ddd + "9" + String(decoding: national.dropFirst(2), as: UTF8.self), n]
        }
        return [n]
    }
}
