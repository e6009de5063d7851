extension Duration {
    /// Whole milliseconds (truncated): what Redis (PX, BLOCK, min-idle) and the ledger take.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
