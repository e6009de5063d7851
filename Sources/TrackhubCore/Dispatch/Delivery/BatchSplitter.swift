/// Finding the bad event in a batch Meta rejected.
///
/// Meta rejects a whole batch when any one event in it is invalid, and does not say which.
/// Bisecting finds it: send each half again; a half that is accepted is done, a half that is
/// rejected is split again, and a rejected batch of one is the bad event (dead-letter it).
/// With k bad events among n this costs O(k log n) requests instead of n.
public enum BatchSplitter {
    /// The next step for a rejected batch.
    public enum Step<Item> {
        /// Re-send both halves separately. `first` holds the first ceil(n/2) items, order kept.
        case split(first: [Item], second: [Item])
        /// A batch of one was rejected: this item is the bad one.
        case culprit(Item)
        /// Nothing was in the batch.
        case empty
    }

    /// What to do with `rejected`, a batch Meta refused as invalid (or expired).
    public static func split<Item>(_ rejected: [Item]) -> Step<Item> {
        switch rejected.count {
        case 0:
            return .empty
        case 1:
            return .culprit(rejected[0])
        default:
            let middle = (rejected.count + 1) / 2
            return .split(first: Array(rejected[..<middle]), second: Array(rejected[middle...]))
        }
    }
}

extension BatchSplitter.Step: Sendable where Item: Sendable {}
extension BatchSplitter.Step: Equatable where Item: Equatable {}
