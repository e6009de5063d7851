/// The one line at the top of Início that answers "is everything OK?", with its colour and,
/// when something is wrong, the next action. Decided purely from ``HomeFacts``; the worst
/// problem wins (a broken token before dead letters, both before the good news).
public struct StatusLine: Sendable, Equatable {
    public enum Level: String, Sendable {
        /// Green: everything that arrived was handled.
        case ok
        /// Amber: something needs the seller; ``action`` says what.
        case attention
        /// Blue: nothing configured yet; the action starts the setup assistant.
        case start
    }

    /// A strings-table key and its arguments (the page formats it in the user's language).
    public struct Text: Sendable, Equatable {
        public var key: String
        public var arguments: [Argument]
        public init(_ key: String, _ arguments: [Argument] = []) {
            self.key = key
            self.arguments = arguments
        }
    }

    /// An argument of a text: a count (formatted per language) or verbatim text (an id).
    public enum Argument: Sendable, Equatable {
        case count(Int)
        case text(String)
    }

    /// Where the action button leads, and its label key.
    public struct Action: Sendable, Equatable {
        public var labelKey: String
        public var path: String
        public init(labelKey: String, path: String) {
            self.labelKey = labelKey
            self.path = path
        }
    }

    public var level: Level
    public var text: Text
    public var action: Action?

    public init(level: Level, text: Text, action: Action?) {
        self.level = level
        self.text = text
        self.action = action
    }

    public static func decide(_ facts: HomeFacts) -> StatusLine {
        if facts.pixels == 0 {
            return StatusLine(level: .start, text: Text("status_start"),
                              action: Action(labelKey: "status_action_setup", path: "/setup"))
        }
        if let problem = facts.pixelProblems.max(by: { $0.waitingEvents < $1.waitingEvents }) {
            let key = problem.metaCode == 190 ? "status_token_expired" : "status_token_refused"
            return StatusLine(level: .attention,
                              text: Text(key, [.text(problem.pixelID), .count(problem.waitingEvents)]),
                              action: Action(labelKey: "status_action_token", path: "/setup?step=1&pixel=" + problem.pixelID))
        }
        if facts.deadLettersToday > 0 {
            return StatusLine(level: .attention, text: Text("status_dead_letters", [.count(facts.deadLettersToday)]),
                              action: Action(labelKey: "status_action_dead_letters", path: "/dead-letters"))
        }
        if facts.salesToday == 0 {
            return StatusLine(level: .ok, text: Text("status_ok_no_sales"), action: nil)
        }
        return StatusLine(level: .ok, text: Text("status_ok", [.count(facts.salesToday), .count(facts.sentToday)]), action: nil)
    }
}
