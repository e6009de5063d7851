/// One thing the assistant found, with the evidence behind it (which sale, which pixel, what
/// Meta answered), so the answer can be checked rather than believed.
public struct DiagnosisFinding: Sendable, Equatable {
    public var level: InsightLevel
    public var text: InsightText
    /// One line per piece of evidence.
    public var evidence: [InsightText]

    public init(_ level: InsightLevel, _ text: InsightText, evidence: [InsightText] = []) {
        self.level = level
        self.text = text
        self.evidence = evidence
    }
}
