import Foundation

/// A request for a person's help, opened from Ajuda when the assistant could not solve it:
/// who asked (and for which clients), what they asked and what the assistant answered, and
/// whether the operator's Telegram chat was told. The redacted support bundle is kept beside it
/// (``HelpDeskStore/bundle(case:)``), as it was when the case was opened.
struct SupportCase: Sendable, Equatable {
    enum Status: String, Sendable {
        case open
        case closed
    }

    var id: Int
    var userID: Int?
    var userName: String
    /// The clients the user works on; empty: every client (an owner or an all-tenants user).
    var tenants: [String]
    /// What the user asked last, in their words (scrubbed).
    var summary: String
    /// The conversation when the case was opened, oldest first.
    var conversation: [HelpMessage]
    var notice: SupportCaseNotice.Outcome
    var status: Status
    var openedAt: Date
    var closedAt: Date?
}
