public import Foundation

/// The pure stages of a batch around the per-envelope interpretation: decode the entries
/// (opening and hashing user data in memory), then build the funnel events once the clicks
/// they may borrow from are known.
extension EnvelopeInterpreter {
    /// Decodes stream entries into envelopes; an entry without a payload, that does not decode,
    /// or whose user data cannot be opened becomes a dead letter (`unparseable`).
    public func decode(_ entries: [StreamEntry], config: DispatchConfig) -> DecodedBatch {
        var batch = DecodedBatch()
        for entry in entries {
            let source = "\(entry.stream)/\(entry.id)"
            guard let payload = entry.payload else {
                batch.deadLetters.append(DeadLetter(reason: .unparseable, detail: "stream entry has no payload (trimmed or deleted)",
                                                    streamEntry: source))
                continue
            }
            let e: Envelope
            do {
                e = try Envelope.decode(payload)
            } catch {
                batch.deadLetters.append(DeadLetter(reason: .unparseable, detail: "envelope does not decode: \(Self.shortError(error))",
                                                    streamEntry: source, payload: String(decoding: payload.prefix(65_536), as: UTF8.self)))
                continue
            }
            do {
                if let user = try hashedUserAndDrops(e, tenant: config.tenants[e.tenant]) {
                    batch.hashed[e.id] = user.hashed
                    if !user.dropped.isEmpty { batch.dropped[e.id] = user.dropped }
                }
                batch.envelopes.append(e)
            } catch {
                batch.deadLetters.append(DeadLetter(reason: .unparseable, detail: "user data cannot be opened: \(Self.shortError(error))",
                                                    envelopeID: e.id, streamEntry: source, payload: String(decoding: payload, as: UTF8.self)))
            }
        }
        return batch
    }

    /// The touchpoints of a decoded batch.
    public func touchpoints(_ batch: DecodedBatch) -> [TouchpointRow] {
        batch.envelopes.compactMap { touchpoint($0, hashed: batch.hashed[$0.id]) }
    }

    /// Builds the funnel events of a batch; a `/track` event borrows what its click lends
    /// (``ClickLending``: only a click of its own tenant). Webhooks are skipped (sales).
    public func interpretFunnel(_ batch: DecodedBatch, clicks: [String: [ClickContext]], config: DispatchConfig,
                                now: Date) -> FunnelEvents {
        var out = FunnelEvents()
        for e in batch.envelopes where e.kind != .webhook {
            do {
                let click = e.track?.clickId.flatMap { ClickLending.ownClick(clicks[$0], tenant: e.tenant) }
                let i = try interpret(e, config: config, click: click, hashed: batch.hashed[e.id], dropped: batch.dropped[e.id] ?? [],
                                      now: now)
                out.events += i.events
                out.consentBlocked += i.consentBlocked
                if let note = i.note, i.events.isEmpty, i.consentBlocked.isEmpty { out.notes.append((e.id, note)) }
            } catch let rejected as Rejected {
                out.deadLetters.append(.envelope(e, reason: rejected.reason, detail: rejected.detail))
            } catch {
                out.deadLetters.append(.envelope(e, reason: .unparseable, detail: Self.shortError(error)))
            }
        }
        return out
    }

    /// An error's description, bounded (decoding errors can quote input).
    static func shortError(_ error: any Error) -> String {
        if error is DecodingError { return "malformed JSON" }
        return String("\(error)".prefix(300))
    }
}
