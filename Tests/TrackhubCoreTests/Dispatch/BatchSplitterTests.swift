import Testing
@testable import TrackhubCore

@Suite("BatchSplitter")
struct BatchSplitterTests {
    @Test("Empty, single and split steps")
    func steps() {
        #expect(BatchSplitter.split([Int]()) == .empty)
        #expect(BatchSplitter.split([7]) == .culprit(7))
        #expect(BatchSplitter.split([1, 2]) == .split(first: [1], second: [2]))
        #expect(BatchSplitter.split([1, 2, 3, 4]) == .split(first: [1, 2], second: [3, 4]))
        #expect(BatchSplitter.split([1, 2, 3, 4, 5]) == .split(first: [1, 2, 3], second: [4, 5]))
    }

    @Test("Halves keep every item once, in order", arguments: [2, 3, 10, 999, 1_000])
    func halvesPartition(_ n: Int) {
        let items = Array(0..<n)
        guard case .split(let first, let second) = BatchSplitter.split(items) else {
            Issue.record("expected a split")
            return
        }
        #expect(first + second == items)
        #expect(first.count - second.count == n % 2)
    }

    /// Drives the bisection against a fake Meta that rejects any batch containing a bad item.
    static func bisect(_ batch: [Int], bad: Set<Int>) -> (accepted: [Int], culprits: [Int], requests: Int) {
        var queue = [batch]
        var accepted: [Int] = []
        var culprits: [Int] = []
        var requests = 0
        while !queue.isEmpty {
            let current = queue.removeFirst()
            requests += 1
            if bad.isDisjoint(with: current) {
                accepted += current
                continue
            }
            switch BatchSplitter.split(current) {
            case .culprit(let item): culprits.append(item)
            case .split(let first, let second): queue += [first, second]
            case .empty: break
            }
        }
        return (accepted, culprits, requests)
    }

    @Test("Bisection isolates exactly the bad events and delivers all the others")
    func bisection() {
        let batch = Array(0..<1_000)
        for bad in [Set([417]), Set([0, 999]), Set([3, 4, 5, 500, 731])] {
            let result = Self.bisect(batch, bad: bad)
            #expect(Set(result.culprits) == bad)
            #expect(result.accepted.sorted() == batch.filter { !bad.contains($0) })
            // About 2·k·log2(n) requests, far fewer than one per event.
            #expect(result.requests <= 2 * bad.count * 11 + 1, "\(result.requests) requests for \(bad.count) bad")
        }
    }
}
