import Foundation

/// The request body's top-level fields, from JSON or from a form (`data` as JSON text), as
/// Graph takes either.
struct FakeMetaPayload {
    /// nil when the body is neither a JSON object nor a parsable form.
    let fields: [String: FakeJSON]?

    init(body: [UInt8], contentType: String) {
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            fields = Self.parseForm(String(decoding: body, as: UTF8.self))
        } else if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            fields = [:]  // no body at all: valid, but `data` is missing
        } else {
            fields = FakeJSON.parse(body)?.objectValue
        }
    }

    private static func parseForm(_ text: String) -> [String: FakeJSON]? {
        var fields: [String: FakeJSON] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            // Graph takes structured form fields as JSON text.
            if name == "data" {
                guard let json = FakeJSON.parse(value) else { return nil }
                fields[name] = json
            } else {
                fields[name] = .string(value)
            }
        }
        return fields
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
