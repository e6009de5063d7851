import Foundation
import Testing
@testable import TrackhubCore

@Suite struct ClickIDTests {
    @Test func formatIsLowercaseCrockfordULID() {
        var rng = EdgeTestRNG(seed: 1)
        let id = ClickID.generate(now: Date(timeIntervalSince1970: 1_700_000_000.123), using: &rng)
        #expect(id.utf8.count == 26)
        #expect(id.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) })
        #expect(ClickID.isValid(id))
    }

    @Test func knownEncoding() {
        // All-zero randomness and t = 0 → all zeros; the maximum 48-bit time → "7zzzzzzzzz".
        var zeros = FixedRNG([0])
        #expect(ClickID.generate(now: Date(timeIntervalSince1970: 0), using: &zeros) == String(repeating: "0", count: 26))
        var ones = FixedRNG([UInt64.max])
        let maxID = ClickID.generate(now: Date(timeIntervalSince1970: 1e13), using: &ones)
        #expect(maxID == "7zzzzzzzzz" + String(repeating: "z", count: 16))
        // 1_469_918_176_385 ms is the ULID spec's example time "01ARYZ6S41".
        var rng = FixedRNG([0])
        let spec = ClickID.generate(now: Date(timeIntervalSince1970: 1_469_918_176.385), using: &rng)
        #expect(spec.hasPrefix("01aryz6s41"))
    }

    @Test func timestampRoundTripsToTheMillisecond() throws {
        var rng = EdgeTestRNG(seed: 7)
        let now = Date(timeIntervalSince1970: 1_754_000_123.456)
        let id = ClickID.generate(now: now, using: &rng)
        let ts = try #require(ClickID.timestamp(of: id))
        #expect(Int64((ts.timeIntervalSince1970 * 1000).rounded()) == 1_754_000_123_456)
    }

    @Test func sortsByTime() {
        var rng = EdgeTestRNG(seed: 3)
        let base = 1_700_000_000.0
        let ids = (0..<200).map { ClickID.generate(now: Date(timeIntervalSince1970: base + Double($0) * 0.001), using: &rng) }
        #expect(ids == ids.sorted())
    }

    @Test func randomPartDiffersWithinOneMillisecond() {
        let now = Date()
        let ids = Set((0..<1000).map { _ in ClickID.generate(now: now) })
        #expect(ids.count == 1000)
        #expect(Set(ids.map { $0.prefix(10) }).count == 1)
    }

    @Test(arguments: [
        "", "01aryz6s41tsv4rrffq69g5fa", "01aryz6s41tsv4rrffq69g5fav0",
        "01ARYZ6S41TSV4RRFFQ69G5FAV", // uppercase is not our format
        "01aryz6s41tsv4rrffq69g5fau", // u is not Crockford
        "01aryz6s41tsv4rrffq69g5fai", "01aryz6s41tsv4rrffq69g5fal", "01aryz6s41tsv4rrffq69g5fao",
        "81aryz6s41tsv4rrffq69g5fav", // overflows 48 bits of time
        "01aryz6s41tsv4rrffq69g5fa-", "01aryz6s41 sv4rrffq69g5fav", "01aryz6s41tsv4rrffq69g5fá",
    ])
    func rejectsForeignIDs(_ id: String) {
        #expect(!ClickID.isValid(id))
        #expect(ClickID.timestamp(of: id) == nil)
    }

    @Test func acceptsValidExamples() {
        #expect(ClickID.isValid("01aryz6s41tsv4rrffq69g5fav"))
        #expect(ClickID.isValid("7zzzzzzzzzzzzzzzzzzzzzzzzz"))
    }

    @Test func clampsTimesOutsideTheULIDRange() throws {
        var rng = EdgeTestRNG(seed: 9)
        let early = ClickID.generate(now: Date(timeIntervalSince1970: -5), using: &rng)
        #expect(early.hasPrefix("0000000000"))
        #expect(try #require(ClickID.timestamp(of: early)).timeIntervalSince1970 == 0)
    }
}
