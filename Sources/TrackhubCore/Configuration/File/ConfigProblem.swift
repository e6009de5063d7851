/// One thing wrong (or doubtful) in a configuration file, with where it is:
/// `tenants[0].pixels[1].token_env: variable TRACKHUB_X is not set`.
///
/// Messages name variables, files, ids and slugs — never a token, secret or file content.
public struct ConfigProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// The file cannot be applied until it is fixed.
        case error
        /// Applied anyway, but probably not what was meant.
        case warning
    }

    /// Where in the file: `tenants[0].links[2].destination`.
    public var path: String
    public var message: String
    public var severity: Severity

    public init(_ path: String, _ message: String, severity: Severity = .error) {
        self.path = path
        self.message = message
        self.severity = severity
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        let located = path.isEmpty ? message : "\(path): \(message)"
        return severity == .warning ? "warning: \(located)" : located
    }
}
