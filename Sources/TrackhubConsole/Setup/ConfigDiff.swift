/// A line diff of two configuration texts (the YAML of two versions) for the history page:
/// longest common subsequence over lines, small inputs only (one tenant's configuration).
public enum ConfigDiff {
    public enum Line: Sendable, Equatable {
        case same(String)
        case added(String)
        case removed(String)
    }

    public static func lines(old: String, new: String) -> [Line] {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // lcs[i][j]: length of the LCS of a[i...] and b[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [Line] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                out.append(.same(a[i])); i += 1; j += 1
            } else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] {
                out.append(.added(b[j])); j += 1
            } else {
                out.append(.removed(a[i])); i += 1
            }
        }
        return out
    }
}
