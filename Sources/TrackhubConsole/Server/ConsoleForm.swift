import Foundation
import TrackhubCore

/// An `application/x-www-form-urlencoded` body as name → value (the first of repeated names),
/// decoded by the one query-string parser (``QueryString``).
public struct ConsoleForm: Sendable {
    public let pairs: [(String, String)]

    public init(pairs: [(String, String)]) { self.pairs = pairs }

    public init(body: [UInt8]) { self.init(pairs: QueryString.parse(body)) }

    public subscript(_ name: String) -> String? { QueryString.first(name, in: pairs) }

    /// The value trimmed of surrounding spaces (people paste ids with a trailing space); "" if absent.
    public func trimmed(_ name: String) -> String {
        (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
