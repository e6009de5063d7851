/// `--name value` pairs of a bench-tool subcommand; unknown names are an error, so a typo in
/// scripts/bench fails loudly instead of benchmarking the wrong thing.
struct Options {
    private var values: [String: String] = [:]

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: [String], allowed: Set<String>) throws {
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            guard name.hasPrefix("--"), allowed.contains(String(name.dropFirst(2))), i + 1 < arguments.count else {
                throw UsageError(description: "unexpected argument \(name); options: \(allowed.sorted().map { "--" + $0 }.joined(separator: " "))")
            }
            values[String(name.dropFirst(2))] = arguments[i + 1]
            i += 2
        }
    }

    func string(_ name: String, default value: String) -> String { values[name] ?? value }

    func int(_ name: String, default value: Int) throws -> Int {
        guard let text = values[name] else { return value }
        guard let n = Int(text), n >= 0 else { throw UsageError(description: "--\(name) must be a non-negative integer") }
        return n
    }
}
