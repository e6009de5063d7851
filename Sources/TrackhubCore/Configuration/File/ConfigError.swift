/// Why `dispatchd apply` refused or failed.
public enum ConfigError: Error, CustomStringConvertible, Sendable {
    /// The file has errors; nothing was written. Holds every problem, warnings included.
    case invalid([ConfigProblem])
    /// Postgres holds something this version cannot read (a stored value that does not decode,
    /// a sealed value no key in the ring opens where it must).
    case storedDataUnreadable(String)

    public var description: String {
        switch self {
        case .invalid(let problems):
            let errors = problems.filter(\.isError)
            return "configuration has \(errors.count) error(s):\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
        case .storedDataUnreadable(let reason):
            return "stored configuration cannot be read: \(reason)"
        }
    }
}
