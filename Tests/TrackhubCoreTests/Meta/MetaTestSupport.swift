import Foundation
@testable import TrackhubCore

/// Deterministic helpers for the Meta tests (names prefixed so they cannot clash with other
/// test files in the target).
enum MetaTestSupport {
    /// 2026-06-01T12:00:00Z: a fixed "now" so date rules do not drift with the calendar.
    static let now = Date(timeIntervalSince1970: 1_780_315_200)

    /// Parses JSON bytes into Foundation objects (for asserting on structure, not bytes).
    static func jsonObject(_ data: Data) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: data)
        guard let dictionary = object as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return dictionary
    }

    static func utf8(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}

/// SplitMix64: tiny, seedable, good enough to drive jitter in tests reproducibly.
struct MetaTestRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
