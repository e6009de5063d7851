extension ConfigResolver {
    /// `tenants[].retention`: known period names only, each validated with the others by
    /// ``RetentionPolicy/problems(attributionWindowDays:)`` (a period dedupe or attribution
    /// needs is refused, not shortened). Returns the periods set, by field.
    static func retention(_ given: [String: Int], windowDays: Int, at: String, _ out: Collector) -> [RetentionPolicy.Field: Int] {
        var overrides: [RetentionPolicy.Field: Int] = [:]
        for (name, days) in given.sorted(by: { $0.key < $1.key }) {
            guard let field = RetentionPolicy.Field(rawValue: name) else {
                out.error("\(at).retention.\(name)",
                          "is not a retention period: use \(RetentionPolicy.Field.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            overrides[field] = days
        }
        var policy = RetentionPolicy.default
        for (field, days) in overrides { policy[field] = days }
        for problem in policy.problems(attributionWindowDays: windowDays) {
            out.error("\(at).retention.\(problem.field.rawValue)", problem.message)
        }
        return overrides
    }
}
