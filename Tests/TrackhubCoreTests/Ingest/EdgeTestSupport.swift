/// A deterministic generator (SplitMix64) so random choices in tests are reproducible.
struct EdgeTestRNG: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A generator that returns fixed values, to pin exact outputs.
struct FixedRNG: RandomNumberGenerator {
    var values: [UInt64]
    var index = 0

    init(_ values: [UInt64]) { self.values = values }

    mutating func next() -> UInt64 {
        defer { index = (index + 1) % values.count }
        return values[index]
    }
}

/// A case-insensitive header lookup over a dictionary, like ingestd's `HTTPFields` lookup.
func edgeHeaders(_ fields: [String: String]) -> (String) -> String? {
    let lowered = Dictionary(uniqueKeysWithValues: fields.map { ($0.key.lowercased(), $0.value) })
    return { lowered[$0.lowercased()] }
}

extension String {
    /// The UTF-8 bytes, as a webhook body arrives.
    var bodyBytes: [UInt8] { Array(utf8) }
}
