import Foundation
import Testing
@testable import TrackhubCore

/// Randomised round trips (seeded, so failures reproduce).
@Suite struct EdgeRoundTripTests {
    private static let alphabet: [Character] = Array("aZ09-._~ +&=#%?/\\\"<>{}|^`[]:;@!$'()*,\r\n\t\u{0}é€🎯\u{FFFD}")

    @Test func encodedComponentsDecodeBackExactly() {
        var rng = EdgeTestRNG(seed: 2024)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...24, using: &rng)
            let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! })
            let encoded = PercentEncoding.encodeComponent(text)
            #expect(encoded.utf8.allSatisfy { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "%") })
            #expect(QueryString.decodeComponent(encoded) == text)
            #expect(QueryString.parse("k=" + encoded).first?.1 == text)
        }
    }

    @Test func ipAddressesPrintAndParseBack() throws {
        var rng = EdgeTestRNG(seed: 7)
        for round in 0..<5000 {
            var bits = UInt128(rng.next() as UInt64) << 64 | UInt128(rng.next() as UInt64)
            // Zero out random groups so "::" compression is exercised.
            for group in 0..<8 where Bool.random(using: &rng) { bits &= ~(UInt128(0xFFFF) << UInt128(16 * group)) }
            let address = round % 4 == 0 ? IPAddress(ipv4: UInt32(truncatingIfNeeded: bits)) : IPAddress(ipv6: bits)
            let reparsed = try #require(IPAddress(address.description), "\(address)")
            #expect(reparsed == address)
            #expect(IPAddress(hostPort: address.isIPv4 ? "\(address):80" : "[\(address)]:80") == address)
        }
    }

    @Test func clickIDTimestampsRoundTrip() throws {
        var rng = EdgeTestRNG(seed: 11)
        for _ in 0..<2000 {
            // Any time up to the year 2100: the encoded millisecond decodes back exactly.
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &rng))
            let id = ClickID.generate(now: date, using: &rng)
            let back = try #require(ClickID.timestamp(of: id))
            #expect(UInt64((back.timeIntervalSince1970 * 1000).rounded()) == ClickID.milliseconds(date))
            #expect(abs(back.timeIntervalSince(date)) < 0.001)
        }
    }
}
