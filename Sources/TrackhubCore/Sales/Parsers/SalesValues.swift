import Foundation

/// Money parsing for gateway payloads: exact decimals, never `Double`.
enum SalesMoney {
    /// Largest amount a conversion may carry (a trillion currency units): far above any real
    /// sale, small enough that a mangled or hostile number cannot overflow anything downstream.
    static let maxAmount = Decimal(1_000_000_000_000)

    /// A JSON number literal (already grammar-checked) as an exact decimal; nil for absurd
    /// exponents or values Decimal cannot hold.
    static func parseJSONNumber(_ literal: String) -> Decimal? {
        guard literal.utf8.count <= 40 else { return nil }
        if let e = literal.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let exponent = Int(literal[literal.index(after: e)...]), abs(exponent) <= 30 else { return nil }
        }
        guard let d = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else { return nil }
        return d
    }

    /// An amount written by a person or a PHP script: "97", "97.00", "97,00", "1.234,56",
    /// "1,234.56", "R$ 1.234,56", "-3.5".
    ///
    /// The last `.` or `,` followed by 1–3 digits is the decimal separator when both kinds
    /// appear; with one kind only, a single occurrence is the decimal separator (Brazilian
    /// gateways write "97,00") and several are thousands groups ("1.234.567"). Groups after the
    /// first must have exactly 3 digits. Anything else (letters, two signs, empty) is nil.
    static func parseAmount(_ raw: String) -> Decimal? {
        var s = raw.trimmedSales
        if s.hasPrefix("R$") { s = String(s.dropFirst(2)).trimmedSales }
        else if s.hasPrefix("$") { s = String(s.dropFirst()).trimmedSales }
        guard !s.isEmpty, s.utf8.count <= 40 else { return nil }
        // A plain JSON-style number (also covers exponents) first.
        if isJSONNumberLiteral(s) { return parseJSONNumber(s) }

        var negative = false
        if s.hasPrefix("-") {
            negative = true
            s.removeFirst()
        }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
              let first = s.first, first.isNumber, let last = s.last, last.isNumber
        else { return nil }
        let dots = s.filter { $0 == "." }.count
        let commas = s.filter { $0 == "," }.count
        let decimalSeparator: Character?
        let groupSeparator: Character?
        if dots > 0, commas > 0 {
            let lastDot = s.lastIndex(of: ".")!
            let lastComma = s.lastIndex(of: ",")!
            decimalSeparator = lastDot > lastComma ? "." : ","
            groupSeparator = decimalSeparator == "." ? "," : "."
            let decimalCount = decimalSeparator == "." ? dots : commas
            guard decimalCount == 1 else { return nil }
        } else if dots + commas == 0 {
            decimalSeparator = nil
            groupSeparator = nil
        } else {
            let separator: Character = dots > 0 ? "." : ","
            if dots + commas == 1 {
                decimalSeparator = separator
                groupSeparator = nil
            } else {
                decimalSeparator = nil
                groupSeparator = separator
            }
        }
        var integerPart = Substring(s)
        var fraction = Substring("")
        if let decimalSeparator, let index = s.lastIndex(of: decimalSeparator) {
            integerPart = s[..<index]
            fraction = s[s.index(after: index)...]
            guard !fraction.isEmpty, fraction.allSatisfy(\.isNumber) else { return nil }
        }
        if let groupSeparator {
            let groups = integerPart.split(separator: groupSeparator, omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return nil }
            integerPart = Substring(groups.joined())
        }
        guard !integerPart.isEmpty, integerPart.allSatisfy(\.isNumber) else { return nil }
        let canonical = (negative ? "-" : "") + integerPart + (fraction.isEmpty ? "" : "." + fraction)
        return parseJSONNumber(canonical)
    }

    static func isJSONNumberLiteral(_ s: String) -> Bool {
        guard case .number? = JSONValue.parse(s) else { return false }
        return true
    }

    /// `amount` minor units at `exponent` decimal places (5073, 2 → 50.73), exactly.
    static func fromMinorUnits(_ amount: Int64, exponent: Int) -> Decimal {
        Decimal(sign: amount < 0 ? .minus : .plus, exponent: -exponent, significand: Decimal(amount.magnitude))
    }

    /// The integer a decimal holds exactly, if it is integral and fits comfortably.
    static func exactInt64(_ d: Decimal) -> Int64? {
        guard !d.isNaN, abs(d) < Decimal(1_000_000_000_000_000) else { return nil }
        var value = d
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        guard rounded == d else { return nil }
        return Int64(exactly: NSDecimalNumber(decimal: rounded).int64Value)
    }

    /// Whether a parsed amount may be a conversion's value: zero or positive, and sane.
    static func isAcceptable(_ d: Decimal) -> Bool {
        !d.isNaN && d >= 0 && d <= maxAmount
    }
}

/// ISO-4217 handling.
enum SalesCurrency {
    /// "brl", " BRL " → "BRL"; nil unless exactly three ASCII letters.
    static func normalize(_ raw: String?) -> String? {
        guard let t = raw?.trimmedSales, t.utf8.count == 3,
              t.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        return t.uppercased()
    }

    /// Stripe's zero-decimal currencies (amounts are whole units: ¥500 is `500`).
    /// https://docs.stripe.com/currencies#zero-decimal. ISK, HUF, TWD and UGX are special
    /// cases there (represented with two decimals in the API for backwards compatibility),
    /// so they are deliberately absent and get the default exponent 2.
    static let stripeZeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF",
    ]

    /// Stripe's three-decimal currencies.
    static let stripeThreeDecimal: Set<String> = ["BHD", "JOD", "KWD", "OMR", "TND"]

    /// ISO 4217 currencies whose minor unit is not 2 decimal places, with their exponent
    /// (https://www.six-group.com/en/products-services/financial-information/data-standards.html).
    /// Differs from Stripe's API table, which keeps ISK and UGX at 2 and MGA at 0.
    static let isoExponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// Decimal places of `currency`'s ISO 4217 minor unit (uppercase code; 2 when not listed).
    static func isoExponent(_ currency: String) -> Int {
        isoExponents[currency] ?? 2
    }

    /// Decimal places of Stripe's minor unit for `currency` (uppercase ISO code).
    static func stripeExponent(_ currency: String) -> Int {
        if stripeZeroDecimal.contains(currency) { return 0 }
        if stripeThreeDecimal.contains(currency) { return 3 }
        return 2
    }
}

/// Timestamps in the shapes gateways send them.
enum SalesTime {
    /// Offset applied to timestamps without one. Brazilian gateways (Kiwify, Monetizze) write
    /// local wall-clock time; Brasília time has been UTC−3 all year since DST ended in 2019.
    static let brazilOffsetSeconds = -3 * 3600

    static func fromEpochMilliseconds(_ ms: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(ms / 1000) + TimeInterval(ms % 1000) / 1000)
    }

    /// A JSON value as a point in time: a number or digit string is an epoch (milliseconds
    /// when above 10^11, i.e. after 1973 in ms / year 5138 in s; seconds otherwise); a string
    /// is parsed by ``parse(_:naiveOffsetSeconds:)``. Zero and negative epochs are nil
    /// (gateways send 0 for "not yet").
    static func date(_ value: JSONValue?, naiveOffsetSeconds: Int = brazilOffsetSeconds) -> Date? {
        guard let value else { return nil }
        if let epoch = value.int64 {
            return epochDate(epoch)
        }
        guard case .string(let s) = value else { return nil }
        return parse(s, naiveOffsetSeconds: naiveOffsetSeconds)
    }

    static func epochDate(_ epoch: Int64) -> Date? {
        guard epoch > 0 else { return nil }
        return epoch > 100_000_000_000 ? fromEpochMilliseconds(epoch) : Date(timeIntervalSince1970: TimeInterval(epoch))
    }

    /// Parses "2024-01-09T14:45:00.000Z", "2024-03-20T14:30:12.000-04:00", "2024-01-15 14:32",
    /// "2024-01-15 14:32:07", "2024-01-15", "15/01/2024 14:32:07", or an epoch in digits.
    /// Without an offset the time is taken at `naiveOffsetSeconds` from UTC. Invalid dates
    /// ("0000-00-00 00:00:00", month 13) are nil.
    static func parse(_ raw: String, naiveOffsetSeconds: Int = brazilOffsetSeconds) -> Date? {
        let s = Array(raw.trimmedSales.utf8)
        guard !s.isEmpty, s.count <= 40 else { return nil }
        if s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let epoch = Int64(String(decoding: s, as: UTF8.self)) {
            return epochDate(epoch)
        }
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard s.count - i >= n else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        let year: Int, month: Int, day: Int
        if s.count >= 10, s[2] == UInt8(ascii: "/") {
            guard let d = digits(2), expect(UInt8(ascii: "/")), let m = digits(2), expect(UInt8(ascii: "/")),
                  let y = digits(4) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            guard let y = digits(4), expect(UInt8(ascii: "-")), let m = digits(2), expect(UInt8(ascii: "-")),
                  let d = digits(2) else { return nil }
            (year, month, day) = (y, m, d)
        }
        guard year >= 1970, year <= 9999, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset = naiveOffsetSeconds
        if i < s.count {
            guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            while i < s.count, s[i] == UInt8(ascii: " ") { i += 1 }
            guard let h = digits(2), expect(UInt8(ascii: ":")), let mi = digits(2) else { return nil }
            hour = h
            minute = mi
            if expect(UInt8(ascii: ":")) {
                guard let se = digits(2) else { return nil }
                second = se
                if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale = 0.1
                    var any = false
                    while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                        fraction += Double(s[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
            while i < s.count, s[i] == UInt8(ascii: " ") { i += 1 }
            if i < s.count {
                if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
                    i += 1
                    offset = 0
                } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                    let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    var om = 0
                    if expect(UInt8(ascii: ":")) {
                        guard let m = digits(2) else { return nil }
                        om = m
                    } else if s.count - i == 2 {
                        guard let m = digits(2) else { return nil }
                        om = m
                    }
                    guard oh <= 23, om <= 59 else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
            guard i == s.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Buyer-identity helpers. Inputs and outputs are personal data: nothing here logs.
enum SalesPerson {
    /// "  Maria  da Silva Santos " → ("Maria", "Santos"): the first word and, when there are
    /// several, the last (the family name Brazilian forms and Meta's `ln` expect). One word
    /// gives no last name.
    static func splitName(_ full: String?) -> (first: String?, last: String?) {
        guard let full else { return (nil, nil) }
        let words = full.split(whereSeparator: \.isWhitespace)
        guard let first = words.first else { return (nil, nil) }
        return (String(first), words.count > 1 ? String(words[words.count - 1]) : nil)
    }

    /// ASCII digits of `raw`, nil when there are none.
    static func digits(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let d = String(String.UnicodeScalarView(raw.unicodeScalars.filter { ("0"..."9").contains($0) }))
        return d.isEmpty ? nil : d
    }

    /// A CPF (11 digits) or CNPJ (14 digits) from any punctuation ("123.456.789-09"); other
    /// documents (passports, foreign tax ids) are not kept.
    static func brazilianDocument(_ raw: String?) -> String? {
        guard let raw, raw.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ".-/ ".unicodeScalars.contains($0) }),
              let d = digits(raw), d.count == 11 || d.count == 14
        else { return nil }
        return d
    }

    /// The canonical text of a valid IPv4/IPv6 address; nil for anything else (Hotmart's test
    /// payload sends "00.00.00.00").
    static func ip(_ raw: String?) -> String? {
        guard let t = raw?.trimmedSales, !t.isEmpty, let address = IPAddress(t) else { return nil }
        return address.description
    }

    /// Joins a separately sent country calling code and number: ("55", "11987654321") →
    /// "+5511987654321". A number that already starts with the code and is long enough to
    /// include it (12+ digits) is not prefixed twice; without a code the number is returned
    /// as sent, for `MetaNormalize.phone` to read with the tenant's default country.
    static func phone(number: String?, callingCode: String?) -> String? {
        guard let number = number?.trimmedSales, !number.isEmpty else { return nil }
        guard let code = digits(callingCode), !number.hasPrefix("+"), let numberDigits = digits(number) else {
            return number
        }
        if numberDigits.count >= 12, numberDigits.hasPrefix(code) { return "+" + numberDigits }
        return "+" + code + numberDigits
    }

    /// A non-empty trimmed string.
    static func text(_ raw: String?) -> String? {
        guard let t = raw?.trimmedSales, !t.isEmpty else { return nil }
        return t
    }

    /// Whether an email is at a domain reserved for examples (RFC 2606), which gateways use
    /// in their test deliveries and no real buyer can have.
    static func isReservedExampleEmail(_ email: String?) -> Bool {
        guard let email = email?.trimmedSales.lowercased(), let at = email.lastIndex(of: "@") else { return false }
        let domain = email[email.index(after: at)...]
        return ["example.com", "example.org", "example.net"].contains(String(domain))
            || domain.hasSuffix(".example") || domain == "example"
    }
}
