/// What a replay *would* do, shown before it is confirmed, and the value that confirms it.
///
/// The confirmation names the selection and the ids it covers, so a confirmation given for one
/// preview cannot replay something else: if dead letters arrived (or were replayed) in between,
/// the ids differ, the value no longer matches, and the user sees a fresh preview.
public struct DeadLetterReplayPreview: Sendable, Equatable {
    public var entries: [DeadLetterEntry]

    public init(entries: [DeadLetterEntry]) { self.entries = entries.sorted { $0.id < $1.id } }

    public var replayable: [DeadLetterEntry] { entries.filter { $0.replay == .replayable } }
    public var expired: [DeadLetterEntry] { entries.filter { $0.replay == .expired } }
    public var unreplayable: [DeadLetterEntry] { entries.filter { $0.replay == .unreplayable } }

    /// The value the user's confirmation must carry: `replay:` + the ids, then a SHA-256 of
    /// them when there are many (keeps a form field short).
    public var confirmation: String {
        let ids = entries.map { String($0.id) }.joined(separator: ",")
        return ids.count <= 64 ? "replay:\(ids)" : "replay:\(entries.count):" + String(MetaHash.sha256Hex(ids).prefix(16))
    }

    /// True when `value` confirms exactly this preview (and there is something to replay).
    public func isConfirmed(by value: String?) -> Bool {
        guard let value, !entries.isEmpty else { return false }
        return constantTimeEquals(value, confirmation)
    }

    /// The summary a confirmation page shows.
    public var summary: InsightText {
        var pt = "\(replayable.count) item(ns) serão reenviados."
        var en = "\(replayable.count) item(s) will be replayed."
        if !expired.isEmpty {
            pt += " \(expired.count) têm mais de 7 dias e serão recusados (o Meta não aceita)."
            en += " \(expired.count) are older than 7 days and will be refused (Meta does not accept them)."
        }
        if !unreplayable.isEmpty {
            pt += " \(unreplayable.count) não têm o que reenviar."
            en += " \(unreplayable.count) hold nothing to replay."
        }
        return InsightText(pt, en: en)
    }
}
