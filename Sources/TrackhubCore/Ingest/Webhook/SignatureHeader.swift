/// Parses comma-separated `key=value` signature headers: Stripe's
/// `t=…,v1=…,v1=…,v0=…` and Mercado Pago's `ts=…,v1=…`.
///
/// Items are split at the first `=` and trimmed of spaces; repeated keys are all kept (Stripe
/// sends one `v1` per active secret during rotation). `nil` if any item has no `=` or an empty
/// key — a header we cannot read unambiguously is malformed, not "missing a part".
enum SignatureHeader {
    static func parse(_ header: String) -> [(key: Substring, value: Substring)]? {
        var items: [(key: Substring, value: Substring)] = []
        for item in header.split(separator: ",", omittingEmptySubsequences: true) {
            let trimmed = item.trimmingASCIIBlanks
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals].trimmingASCIIBlanks
            let value = trimmed[trimmed.index(after: equals)...].trimmingASCIIBlanks
            guard !key.isEmpty else { return nil }
            items.append((key, value))
        }
        return items
    }
}
