import Crypto

/// A Lua script run with EVALSHA, falling back to EVAL when the server doesn't have it cached
/// (first use, or after a Redis restart flushed the script cache).
public struct RedisScript: Sendable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    public func run(_ connection: RedisConnection, keys: [String], args: [String]) throws -> RedisReply {
        let tail = [String(keys.count)] + keys + args
        let reply = try connection.command(["EVALSHA", sha1] + tail)
        if let message = reply.errorMessage {
            if message.hasPrefix("NOSCRIPT") {
                let second = try connection.command(["EVAL", source] + tail)
                if let m = second.errorMessage { throw RedisError(.server, m) }
                return second
            }
            throw RedisError(.server, message)
        }
        return reply
    }
}
