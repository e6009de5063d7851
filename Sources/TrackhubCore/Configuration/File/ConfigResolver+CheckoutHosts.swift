/// A tenant's `/t.js` settings: its own checkout hosts and the attribution window.
extension ConfigResolver {
    static let defaultAttributionWindowDays = 30
    /// A year at most: Meta attributes within 28 days of a click anyway; longer only keeps a
    /// click id for the sale report.
    static let attributionWindowRange = 1...365
    /// What a page's script can carry (each pair goes into `/t.js`).
    static let maxCheckoutHosts = 20

    /// The valid `host=parameter` pairs of `hosts`, reporting each bad one at its path. A host is
    /// a lowercase DNS name with a dot (a subdomain of it is decorated too); a parameter is the
    /// query name the checkout's platform hands back in its webhook.
    static func checkoutHosts(_ hosts: [TrackhubConfigFile.Tenant.CheckoutHost], at: String, _ out: Collector) -> [String] {
        if hosts.count > maxCheckoutHosts {
            out.error("\(at).checkout_hosts", "at most \(maxCheckoutHosts) hosts (each one is carried by the landing-page script)")
            return []
        }
        var pairs: [String] = []
        var seen: Set<String> = []
        for (i, entry) in hosts.enumerated() {
            let path = "\(at).checkout_hosts[\(i)]"
            var ok = true
            if !isCheckoutHost(entry.host) {
                out.error("\(path).host", "'\(entry.host)' must be a lowercase host name such as pay.mystore.com (no scheme, path or port)")
                ok = false
            }
            if !isQueryName(entry.parameter) {
                out.error("\(path).parameter", "'\(entry.parameter)' must be a query parameter name such as sck (letters, digits, _; at most 64)")
                ok = false
            }
            guard ok else { continue }
            if !seen.insert(entry.host).inserted {
                out.warning("\(path).host", "'\(entry.host)' is listed twice; the first one is used")
                continue
            }
            pairs.append(entry.host + "=" + entry.parameter)
        }
        return pairs
    }

    static func isCheckoutHost(_ s: String) -> Bool {
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        guard s.utf8.count <= 253, labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
    }

    static func isQueryName(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count)
            && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
