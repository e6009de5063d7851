import Foundation

/// One line of the Ajuda conversation: what a user asked (or the topic they picked) and the
/// summary the assistant answered with. Stored scrubbed (``HelpDeskStore/record(user:author:level:body:)``).
struct HelpMessage: Sendable, Equatable {
    enum Author: String, Sendable {
        case user
        case assistant
    }

    var author: Author
    /// The answer's level (`ok`, `warning`, `problem`) for an assistant line; nil for the user's.
    var level: String?
    var body: String
    var at: Date
}
