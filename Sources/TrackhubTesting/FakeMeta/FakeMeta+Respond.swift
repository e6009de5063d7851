import Synchronization
import Foundation

/// Answering one request to the events edge: latency, behaviour, validation, recording.
extension FakeMeta {
    /// Everything after the HTTP plumbing (so it can be called without a server).
    func handle(version: String, pixel: String, queryToken: String?, contentType: String, body: [UInt8]) async -> FakeMetaReply {
        let receivedAt = Date()
        let fbtraceID = FakeMetaReply.newTraceID()
        let (sequence, behaviour, latency, retryAfter) = state.withLock { state in
            defer { state.nextSequence += 1 }
            // A countdown advances where it is stored: the pixel's own behaviour, or the
            // default (then shared by every pixel that has none of its own).
            let effective: FakeMetaBehaviour
            if var own = state.behaviours[pixel] {
                effective = FakeMetaBehaviour.consume(&own)
                state.behaviours[pixel] = own
            } else {
                effective = FakeMetaBehaviour.consume(&state.defaultBehaviour)
            }
            return (state.nextSequence, effective, state.latency, state.retryAfter[pixel])
        }
        if latency > .zero { await sleep(latency) }
        let payload = FakeMetaPayload(body: body, contentType: contentType)
        // Trackhub sends the token in the body only: a token in the URL is refused (stricter
        // than Graph, which takes both) so a regression that leaks it into URLs fails loudly.
        let token = payload.fields?["access_token"]?.stringValue
        let tokenInURL = queryToken != nil
        let events = payload.fields?["data"]?.arrayValue ?? []

        var reply: FakeMetaReply
        switch behaviour {
        case .status(let status):
            reply = .text(status, "fake-meta: forced HTTP \(status)\n")
        case .graphError(let status, let code, let subcode, let message, let isTransient):
            reply = .graphError(status: status, code: code, subcode: subcode, message: message, isTransient: isTransient, fbtraceID: fbtraceID)
        case .delay(let duration):
            await sleep(duration)
            reply = isStopping
                ? .text(503, "fake-meta: stopping\n")
                : validateAndAccept(version: version, pixel: pixel, token: token, tokenInURL: tokenInURL, payload: payload,
                                    sequence: sequence, fbtraceID: fbtraceID)
        case .ok, .failNextRequests:
            reply = validateAndAccept(version: version, pixel: pixel, token: token, tokenInURL: tokenInURL, payload: payload,
                                      sequence: sequence, fbtraceID: fbtraceID)
        }

        if reply.status >= 400 { reply.retryAfter = retryAfter }

        let record = FakeMetaRecordedRequest(
            sequence: sequence,
            apiVersion: version,
            pixel: pixel,
            tokenFingerprint: token.map(Self.tokenFingerprint),
            tokenLast4: token.map { String($0.suffix(4)) },
            testEventCode: payload.fields?["test_event_code"]?.stringValue,
            eventCount: events.count,
            eventIDs: events.compactMap { $0["event_id"]?.stringValue },
            status: reply.status,
            errorCode: reply.errorCode,
            errorSubcode: reply.errorSubcode,
            fbtraceID: fbtraceID,
            receivedAt: receivedAt,
            answeredAt: Date()
        )
        let accepted = reply.accepted
        if options.keepRecords {
            state.withLock { state in
                state.requests.append(record)
                state.accepted.append(contentsOf: accepted)
            }
        }
        recordLog.append(record, accepted: accepted)
        return reply
    }

    /// Sleeps `duration`, cut short when the server stops.
    private func sleep(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !isStopping {
            let step = min(deadline - ContinuousClock.now, .milliseconds(25))
            try? await Task.sleep(for: step)
        }
    }
}
