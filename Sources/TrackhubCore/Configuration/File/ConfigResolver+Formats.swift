import Foundation

/// The formats of ids, slugs, codes and origins.
extension ConfigResolver {
    static func isTenantID(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func isSlug(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy {
            isLowerAlnum($0) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    static func isPixelID(_ s: String) -> Bool {
        (1...32).contains(s.utf8.count) && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isTestEventCode(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
        }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// An origin as browsers send it in `Origin`: `scheme://host[:port]`, nothing after.
    static func originProblem(_ origin: String) -> String? {
        let shape = "'\(origin)' must be an origin like https://shop.example (scheme and host, optional port, no path or trailing /)"
        guard origin.utf8.count <= 256, !origin.contains(where: { $0.isWhitespace }) else { return shape }
        guard let components = URLComponents(string: origin), let scheme = components.scheme,
              scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.path.isEmpty, components.query == nil, components.fragment == nil,
              components.user == nil, components.password == nil
        else { return shape }
        if origin != origin.lowercased() { return "'\(origin)' must be lowercase, as browsers send it" }
        if let port = components.port, (scheme == "https" && port == 443) || (scheme == "http" && port == 80) {
            return "'\(origin)' must leave out the default port, as browsers do"
        }
        return nil
    }
}
