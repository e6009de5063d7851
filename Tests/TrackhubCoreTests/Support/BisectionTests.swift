import Synchronization
import Testing
@testable import TrackhubCore

@Suite("Bisection: refused items isolated by halving")
struct BisectionTests {
    struct Refused: Error {}
    struct Broken: Error {}

    /// Runs the bisection over 0..<count, refusing any batch that holds one of `poison`.
    func run(_ count: Int, poison: Set<Int>) async throws -> (accepted: [Int], refused: [Int], attempts: Int) {
        var accepted: [Int] = [], refused: [Int] = [], attempts = 0
        try await Bisection.isolate(
            Array(0..<count)[...],
            attempt: { part in
                attempts += 1
                if part.contains(where: poison.contains) { throw Refused() }
                accepted += part
            },
            isRefusal: { $0 is Refused },
            refused: { item, _ in refused.append(item) })
        return (accepted, refused, attempts)
    }

    @Test("one poison in 500: the 499 others accepted exactly once, in order; about 2·log2(500) attempts")
    func onePoison() async throws {
        let r = try await run(500, poison: [137])
        #expect(r.refused == [137])
        #expect(r.accepted == Array(0..<500).filter { $0 != 137 })
        #expect(r.attempts <= 2 * 9 + 1, "\(r.attempts) attempts")
    }

    @Test("no poison: one attempt; every item poison: each refused once", arguments: [1, 2, 3, 7, 64])
    func extremes(_ count: Int) async throws {
        let clean = try await run(count, poison: [])
        #expect(clean.attempts == 1 && clean.accepted == Array(0..<count) && clean.refused.isEmpty)
        let all = try await run(count, poison: Set(0..<count))
        #expect(all.refused == Array(0..<count) && all.accepted.isEmpty)
    }

    @Test("several poisons anywhere: exactly those refused, everything else accepted once")
    func severalPoisons() async throws {
        var rng = EdgeTestRNG(seed: 20)
        for _ in 0..<50 {
            let count = Int.random(in: 1...300, using: &rng)
            let poison = Set((0..<Int.random(in: 0...5, using: &rng)).map { _ in Int.random(in: 0..<count, using: &rng) })
            let r = try await run(count, poison: poison)
            #expect(r.refused == poison.sorted())
            #expect(r.accepted == Array(0..<count).filter { !poison.contains($0) })
        }
    }

    @Test("an error that is not a refusal propagates at once; nothing is refused")
    func otherErrorsPropagate() async {
        var attempts = 0, refused = 0
        await #expect(throws: Broken.self) {
            try await Bisection.isolate(
                Array(0..<10)[...], attempt: { _ in attempts += 1; throw Broken() }, isRefusal: { $0 is Refused },
                refused: { _, _ in refused += 1 })
        }
        #expect(attempts == 1 && refused == 0)
    }
}
