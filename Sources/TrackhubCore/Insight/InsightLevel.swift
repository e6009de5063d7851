/// How a finding reads at a glance: the colour of a status line or a diagnosis.
public enum InsightLevel: String, Sendable, Equatable, Comparable {
    case ok
    case warning
    case problem

    public static func < (a: InsightLevel, b: InsightLevel) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .problem: 2
        }
    }
}
