/// The assistant's answer to one topic: a summary, the findings with their evidence, the
/// fixes it proposes, and whether a person should take over.
public struct Diagnosis: Sendable, Equatable {
    public var topic: TroubleshootingTopic
    /// The worst finding's level (``InsightLevel/ok`` when nothing is wrong).
    public var level: InsightLevel
    public var summary: InsightText
    public var findings: [DiagnosisFinding]
    public var fixes: [ProposedFix]
    /// True when the rules could not explain what the user reports: offer "falar com o
    /// suporte" (the support bundle).
    public var needsHuman: Bool

    public init(topic: TroubleshootingTopic, summary: InsightText, findings: [DiagnosisFinding], fixes: [ProposedFix], needsHuman: Bool) {
        self.topic = topic
        self.level = findings.map(\.level).max() ?? .ok
        self.summary = summary
        self.findings = findings
        self.fixes = fixes
        self.needsHuman = needsHuman
    }
}
