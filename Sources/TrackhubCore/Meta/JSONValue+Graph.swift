import Foundation

/// Graph's leniency over ``JSONValue``: scalars read without trusting their type, never
/// failing. (Deliberately not the gateway reads of `JSONValue+Gateway.swift`: Graph's strings
/// are kept untrimmed and its flags are only true/false/1/0.)
extension JSONValue {
    /// The top-level object of a response body, or nil when it is not a JSON object.
    static func graphObject(_ body: Data) -> [String: JSONValue]? {
        guard !body.isEmpty else { return nil }
        return parse(Array(body))?.objectMembers
    }

    /// Strings as they are (nil when empty); numbers in their integer form when integral.
    var graphString: String? {
        switch self {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let text):
            guard let d = Double(text) else { return nil }
            return Self.graphIntegral(d).map(String.init) ?? String(d)
        default: return nil
        }
    }

    /// Integral numbers, and strings holding one ("100"). Booleans are not numbers here.
    var graphInt: Int? {
        switch self {
        case .number(let text): return Double(text).flatMap(Self.graphIntegral)
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Booleans, and "true"/"false"/"1"/"0" as strings or numbers.
    var graphBool: Bool? {
        switch self {
        case .bool(let b): return b
        case .number(let text):
            let d = Double(text)
            return d == 1 ? true : d == 0 ? false : nil
        case .string(let s):
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    private static func graphIntegral(_ d: Double) -> Int? {
        guard d.isFinite, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }
}
