/// Finds the items a batch operation refuses by splitting the batch in halves, so one bad item
/// costs about 2·log₂(n) attempts instead of n, and everything else goes through in large
/// batches (issue 14).
///
/// Written over closures so the rule is unit-tested without Postgres; used for stream entries
/// Postgres refuses before anything was sent (``PoisonEntryIsolation``) and for the rows of a
/// result after it was sent (``OutcomeRecorder``), where resending is not an option.
enum Bisection {
    /// Runs `attempt` over `items`. When it throws an error that `isRefusal` accepts, the items
    /// are split in two halves and each half is attempted on its own, down to single items, and
    /// each single item still refused goes to `refused` with its error. Any other error
    /// propagates at once (the halves not yet attempted are not attempted).
    ///
    /// - Parameter onSplit: called with the error and the number of items before each split.
    static func isolate<Item>(
        _ items: ArraySlice<Item>,
        attempt: ([Item]) async throws -> Void,
        isRefusal: (any Error) -> Bool,
        onSplit: (any Error, Int) -> Void = { _, _ in },
        refused: (Item, any Error) async throws -> Void
    ) async throws {
        guard !items.isEmpty else { return }
        do {
            try await attempt(Array(items))
        } catch let error where isRefusal(error) {
            try await split(items, refusedWith: error, attempt: attempt, isRefusal: isRefusal, onSplit: onSplit, refused: refused)
        }
    }

    /// The same, for items whose batch was just refused with `error` (not attempted again
    /// whole): a single item goes to `refused`, more are halved and each half attempted.
    static func split<Item>(
        _ items: ArraySlice<Item>,
        refusedWith error: any Error,
        attempt: ([Item]) async throws -> Void,
        isRefusal: (any Error) -> Bool,
        onSplit: (any Error, Int) -> Void = { _, _ in },
        refused: (Item, any Error) async throws -> Void
    ) async throws {
        guard items.count > 1 else {
            if let item = items.first { try await refused(item, error) }
            return
        }
        onSplit(error, items.count)
        let middle = items.startIndex + items.count / 2
        try await isolate(items[..<middle], attempt: attempt, isRefusal: isRefusal, onSplit: onSplit, refused: refused)
        try await isolate(items[middle...], attempt: attempt, isRefusal: isRefusal, onSplit: onSplit, refused: refused)
    }
}
