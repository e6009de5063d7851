/// Masks personal data and secrets for log lines and error messages.
///
/// Logs are shipped, retained and read by more people than the database, so they must never
/// hold a whole email, phone or token; these keep just enough to tell two values apart while
/// debugging. Output is always short and never contains the full input.
public enum Redact {
    /// "john.smith@gmail.com" -> "j***@g***.com", "maria@uol.com.br" -> "m***@u***.com.br".
    ///
    /// Keeps the first character of the mailbox and of the domain and the public suffix
    /// (the last label, or the last two when they look like "com.br"/"co.uk"). Anything that is
    /// not an address becomes "***".
    public static func email(_ value: String) -> String {
        let trimmed = value.trimmingCharactersInWhitespace()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let localFirst = parts[0].first else { return masked }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let domainFirst = labels[0].first
        else { return "\(localFirst)***@***" }
        var suffixCount = 1
        if labels.count >= 3, labels[labels.count - 1].count == 2, labels[labels.count - 2].count <= 3 {
            suffixCount = 2
        }
        let suffix = labels.suffix(suffixCount).joined(separator: ".")
        return "\(localFirst)***@\(domainFirst)***.\(suffix)"
    }

    /// "+55 (11) 98765-4321" -> "***21": the last two digits only.
    public static func phone(_ value: String) -> String {
        let digits = value.unicodeScalars.filter { ("0"..."9").contains($0) }
        guard digits.count >= 2 else { return masked }
        return masked + String(String.UnicodeScalarView(digits.suffix(2)))
    }

    /// An access token, secret or signature -> "…" + its last 4 characters ("…a1B2"), enough to
    /// tell which configured token was used. Values shorter than 12 characters show nothing
    /// ("…"): four characters of a short secret would give away too much of it.
    public static func token(_ value: String) -> String {
        let trimmed = value.trimmingCharactersInWhitespace()
        guard trimmed.count >= 12 else { return "…" }
        return "…" + String(trimmed.suffix(4))
    }

    private static let masked = "***"
}

extension String {
    /// Whitespace trimming without Foundation, so `Redact` stays usable anywhere.
    fileprivate func trimmingCharactersInWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
