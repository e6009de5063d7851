/// A programmed insights error (``FakeMeta/failInsights(account:code:subcode:status:message:)``).
struct FakeMetaInsightsFailure: Sendable, Equatable {
    var code: Int
    var subcode: Int?
    var status: Int
    var message: String
}
