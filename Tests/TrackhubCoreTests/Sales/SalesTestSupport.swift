import Foundation
import Testing
@testable import TrackhubCore

/// Sample gateway payloads under `Tests/Fixtures/<gateway>/`.
enum SalesFixture {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Sales
        .deletingLastPathComponent() // TrackhubCoreTests
        .deletingLastPathComponent() // Tests
        .appendingPathComponent("Fixtures")

    static func bytes(_ gateway: Gateway, _ name: String) throws -> [UInt8] {
        let url = root.appendingPathComponent(gateway.rawValue).appendingPathComponent(name)
        return [UInt8](try Data(contentsOf: url))
    }

    static func text(_ gateway: Gateway, _ name: String) throws -> String {
        String(decoding: try bytes(gateway, name), as: UTF8.self)
    }

    /// Every fixture file of a gateway (for the sweeping privacy checks).
    static func names(_ gateway: Gateway) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(gateway.rawValue).path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".txt") }
            .filter { !$0.hasSuffix(".query.txt") }
            .sorted()
    }
}

/// The receive time used by every test, far from any payload's own time.
let salesReceivedAt = Date(timeIntervalSince1970: 1_800_000_000)

func parseSale(
    _ gateway: Gateway, body: [UInt8], account: String = "main", contentType: String? = "application/json",
    query: [(String, String)] = [], headers: [String: String] = [:]
) -> ParseResult {
    GatewayParser.parse(gateway: gateway, account: account, body: body, contentType: contentType,
                        query: query, headers: headers, receivedAt: salesReceivedAt)
}

func parseFixture(
    _ gateway: Gateway, _ name: String, account: String = "main", contentType: String? = "application/json",
    query: [(String, String)] = []
) throws -> ParseResult {
    parseSale(gateway, body: try SalesFixture.bytes(gateway, name), account: account, contentType: contentType, query: query)
}

/// The conversion of a result, failing the test otherwise.
func requireConversion(_ result: ParseResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> Conversion {
    guard case .conversion(let c) = result else {
        Issue.record("expected a conversion, got \(result)", sourceLocation: sourceLocation)
        throw SalesTestFailure()
    }
    return c
}

struct SalesTestFailure: Error {}

/// An exact decimal from its text.
func dec(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

extension String {
    /// The UTF-8 bytes, as a webhook body arrives.
    var salesBytes: [UInt8] { Array(utf8) }
}

/// A JSON fixture with one edit applied (for variants that need no file of their own).
func editedFixture(_ gateway: Gateway, _ name: String, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
    var object = try #require(try JSONSerialization.jsonObject(with: Data(try SalesFixture.bytes(gateway, name))) as? [String: Any])
    edit(&object)
    return [UInt8](try JSONSerialization.data(withJSONObject: object))
}

/// Sets `value` at a key path inside nested dictionaries.
func setPath(_ object: inout [String: Any], _ path: [String], _ value: Any?) {
    guard let key = path.first else { return }
    if path.count == 1 {
        object[key] = value
        return
    }
    var child = object[key] as? [String: Any] ?? [:]
    setPath(&child, Array(path.dropFirst()), value)
    object[key] = child
}
