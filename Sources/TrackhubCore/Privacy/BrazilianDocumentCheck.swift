/// The check digits of a Brazilian CPF (11 digits) or CNPJ (14 digits): a person's request
/// (`dispatchd privacy` and the console's Privacidade) names a document the seller typed, and a
/// mistyped one would find nobody and look like "nothing stored". Gateways' payloads are not
/// checked (a test delivery's CPF is kept as it came).
public enum BrazilianDocumentCheck {
    /// True for a CPF or CNPJ, given as its digits, whose two check digits match.
    public static func isValid(_ digits: String) -> Bool {
        switch digits.utf8.count {
        case 11: isValidCPF(digits)
        case 14: isValidCNPJ(digits)
        default: false
        }
    }

    /// A CPF's two check digits (mod 11) match its first nine; eleven equal digits are refused.
    public static func isValidCPF(_ digits: String) -> Bool {
        let d = asciiDigits(digits)
        guard d.count == 11, Set(d).count > 1 else { return false }
        func check(_ n: Int) -> Int {
            let sum = (0..<n).reduce(0) { $0 + d[$1] * (n + 1 - $1) }
            let r = (sum * 10) % 11
            return r == 10 ? 0 : r
        }
        return check(9) == d[9] && check(10) == d[10]
    }

    /// A CNPJ's two check digits (weights 5…2, 9…2 and 6…2, 9…2) match its first twelve.
    public static func isValidCNPJ(_ digits: String) -> Bool {
        let d = asciiDigits(digits)
        guard d.count == 14, Set(d).count > 1 else { return false }
        func check(_ n: Int) -> Int {
            let weights = n == 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
            let r = zip(d.prefix(n), weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
            return r < 2 ? 0 : 11 - r
        }
        return check(12) == d[12] && check(13) == d[13]
    }

    /// The values of `text`'s ASCII digits; empty when anything else is in it.
    static func asciiDigits(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ (48...57).contains($0) }) else { return [] }
        return bytes.map { Int($0) - 48 }
    }
}
