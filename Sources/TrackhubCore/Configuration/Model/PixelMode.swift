/// How dispatchd treats a pixel's events (`pixels.mode`).
public enum PixelMode: String, Codable, Sendable, CaseIterable {
    /// Send to Meta for real.
    case live
    /// Send to Meta with the pixel's `test_event_code`: events show in Events Manager's
    /// "Test events" tab and do not count for ads.
    case test
    /// Build, validate and record the payload in the ledger without sending anything.
    case dryRun = "dry_run"
}
