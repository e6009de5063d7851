import Foundation

/// Redis' memory use and limit, read from the `INFO memory` section.
public struct RedisMemoryUsage: Sendable, Equatable {
    /// `used_memory`: bytes Redis allocated.
    public let used: Int
    /// `maxmemory`: the configured limit in bytes (0: none).
    public let max: Int

    public init(used: Int, max: Int) {
        self.used = used
        self.max = max
    }

    /// Parses `INFO memory` text (`name:value` lines, CRLF); nil when `used_memory` is missing.
    public init?(info: String) {
        var used: Int?
        var max = 0
        for line in info.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            let value = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            if name == "used_memory" { used = value }
            if name == "maxmemory", let value { max = value }
        }
        guard let used else { return nil }
        self.init(used: used, max: max)
    }
}
