/// A diagnosis as plain text: `dispatchd diagnose` prints it, and it is the chat's fallback
/// when a page cannot render its parts.
extension Diagnosis {
    public func plainText(english: Bool = false) -> String {
        let mark: (InsightLevel) -> String = { level in
            switch level {
            case .ok: "[ok]"
            case .warning: english ? "[attention]" : "[atenção]"
            case .problem: english ? "[problem]" : "[problema]"
            }
        }
        var lines = ["\(mark(level)) \(topic.title.text(english: english))", summary.text(english: english)]
        for f in findings {
            lines.append("  \(mark(f.level)) \(f.text.text(english: english))")
            lines += f.evidence.map { "      · \($0.text(english: english))" }
        }
        if !fixes.isEmpty {
            lines.append(english ? "  What to do:" : "  O que fazer:")
            lines += fixes.map { "    → \($0.text.text(english: english))" }
        }
        if needsHuman {
            lines.append(english ? "  Not solved? `dispatchd support-bundle` builds the file to send to support."
                                 : "  Não resolveu? `dispatchd support-bundle` gera o arquivo para enviar ao suporte.")
        }
        return lines.joined(separator: "\n")
    }
}
