/// Everything the fake Meta is programmed with and has recorded, behind `FakeMeta`'s lock.
struct FakeMetaState {
    var behaviours: [String: FakeMetaBehaviour] = [:]
    var defaultBehaviour: FakeMetaBehaviour = .ok
    /// Pixel → `FakeMeta.tokenFingerprint` of the only token it accepts.
    var expectedTokens: [String: String] = [:]
    /// Pixels the Graph pixel read knows (`GET /{version}/{pixel}`): id → what it answers.
    var pixels: [String: FakeMetaPixel] = [:]
    /// Fingerprints of tokens that expired (190, subcode 463 on every request).
    var expiredTokens: Set<String> = []
    /// Ad accounts the insights read serves, its programmed failures, its page cap and what it received.
    var adAccounts: [String: FakeMetaAdAccount] = [:]
    var insightsFailures: [String: FakeMetaInsightsFailure] = [:]
    var insightsMaxPageSize = 500
    var insightsRequests: [String: Int] = [:]
    var rejectEventIDs: Set<String> = []
    var rejectEventIDPrefixes: [String] = []
    /// Pixel → seconds sent as `Retry-After` on that pixel's refused answers.
    var retryAfter: [String: Int] = [:]
    /// Slept before answering any events request (Meta's own response time).
    var latency: Duration = .zero
    var requests: [FakeMetaRecordedRequest] = []
    var accepted: [FakeMetaAcceptedEvent] = []
    var nextSequence = 1
    var stopping = false

    /// The programming and the records go, the latency stays (what a scenario reset means).
    mutating func reset() {
        self = FakeMetaState(latency: latency, stopping: stopping)
    }
}
