import Foundation

/// Which base URLs dispatchd may send to: the Graph API and Mercado Pago carry access tokens
/// and buyers' data, so they must be `https`. Plain `http` is accepted only towards a loopback
/// host (`127.0.0.0/8`, `::1`, `localhost`) and only when the operator says so
/// (`TRACKHUB_ALLOW_LOOPBACK_HTTP=1`, which the tests, the fault suite and the bench set for
/// their local fakes) — a typo such as `http://graph.facebook.com` never sends a token in clear.
public enum OutboundURLRule {
    /// Why `url` must not be used, or nil when it may. Never repeats the URL (it may carry a secret).
    public static func problem(_ url: String, allowLoopbackHTTP: Bool) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            return "must be an absolute https URL"
        }
        switch scheme {
        case "https":
            return nil
        case "http":
            guard isLoopback(host: host) else { return "must be https (http is allowed only for a loopback host)" }
            return allowLoopbackHTTP ? nil : "must be https (http to a loopback host needs TRACKHUB_ALLOW_LOOPBACK_HTTP=1)"
        default:
            return "must be an absolute https URL"
        }
    }

    /// `localhost` or a loopback IP literal (IPv6 with or without its brackets).
    static func isLoopback(host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        return IPAddress(bare)?.isLoopback ?? false
    }
}
