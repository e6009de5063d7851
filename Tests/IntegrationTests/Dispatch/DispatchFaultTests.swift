import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Meta misbehaving in every documented way: each event ends delivered or dead-lettered with
/// the right reason — never both, never lost — and the ledger shows every attempt.
extension DispatchEndToEndTests {
    @Suite("faults at Meta")
    struct Faults {
        /// Common end-state checks: every id accepted at least once and never dead-lettered,
        /// exactly one `sent` ledger row each, duplicates at the fake only under a known id.
        static func expectDeliveredOnce(_ ids: [String], _ f: DispatchFixture, pixel: String = DispatchFixture.pixelA,
                                        sourceLocation: SourceLocation = #_sourceLocation) throws {
            let counts = f.acceptedCounts(pixel: pixel)
            let dead = Set(try f.deadLetters().compactMap(\.eventID))
            for id in ids {
                #expect((counts[id] ?? 0) >= 1, "\(id) not delivered", sourceLocation: sourceLocation)
                #expect(!dead.contains(id), "\(id) dead-lettered", sourceLocation: sourceLocation)
                let rows = try f.ledger(eventID: id)
                #expect(rows.filter { $0.outcome == "sent" }.count == 1, "\(id): \(rows)", sourceLocation: sourceLocation)
            }
            let unknown = Set(counts.keys).subtracting(ids)
            #expect(unknown.isEmpty, "accepted ids nobody sent: \(unknown)", sourceLocation: sourceLocation)
        }

        @Test("500s from Meta: retried with backoff until delivered; ledger shows retry_scheduled then sent")
        func serverErrors() async throws {
            try await withDispatchFixture("e500") { f in
                // Pixel A: Graph's transient 500 (code 2) three times; pixel B: a bare proxy 502 twice.
                f.meta.setBehaviour(.failNextRequests(3, then: .ok), pixel: DispatchFixture.pixelA)
                f.meta.setBehaviour(.failNextRequests(2, with: .status(502), then: .ok), pixel: DispatchFixture.pixelB)
                let a = try await f.clicks(10, slug: DispatchFixture.slugA)
                let b = try await f.clicks(4, slug: DispatchFixture.slugB)
                try await f.waitDelivered(a, pixel: DispatchFixture.pixelA)
                try await f.waitDelivered(b, pixel: DispatchFixture.pixelB)
                try await f.waitIdle()

                try Self.expectDeliveredOnce(a, f)
                try Self.expectDeliveredOnce(b, f, pixel: DispatchFixture.pixelB)
                #expect(f.meta.duplicates().isEmpty, "a 5xx accepts nothing, so nothing may arrive twice")
                let failedA = f.meta.requests(pixel: DispatchFixture.pixelA).filter { !$0.accepted }
                let failedB = f.meta.requests(pixel: DispatchFixture.pixelB).filter { !$0.accepted }
                #expect(failedA.count == 3 && failedA.allSatisfy { $0.status == 500 && $0.errorCode == 2 })
                #expect(failedB.count == 2 && failedB.allSatisfy { $0.status == 502 })

                // Every event carried by a failed request has a retry_scheduled row per failure, then one sent row.
                let retried = failedA.flatMap(\.eventIDs) + failedB.flatMap(\.eventIDs)
                let retryRows = try f.ledger(outcome: "retry_scheduled")
                #expect(retryRows.count == retried.count, "\(retryRows)")
                for row in retryRows {
                    #expect(row.httpStatus == (row.pixel == DispatchFixture.pixelA ? 500 : 502))
                    if row.pixel == DispatchFixture.pixelA { #expect(row.metaCode == 2) }
                    let rows = try f.ledger(eventID: row.eventID)
                    #expect(rows.last?.outcome == "sent" && rows.last!.attempt > row.attempt, "\(rows)")
                }
                #expect(try f.deadLetters().isEmpty)
                let outcomes = try f.ledgerOutcomes()
                print("[dispatch e500] accepted=\(f.meta.acceptedEvents().count) delivered=\(a.count + b.count) duplicated=0 dead_lettered=0 failed_requests=\(failedA.count + failedB.count) retry_rows=\(outcomes["retry_scheduled"] ?? 0)")
            }
        }

        @Test("a pixel failing every attempt: dead-lettered retries_exhausted after the attempt budget, never sent; replay delivers after the fix")
        func retriesExhausted() async throws {
            var options = DispatchFixture.Options()
            options.workerEnv = ["TRACKHUB_RETRY_MAX_ATTEMPTS": "3"]
            try await withDispatchFixture("exhaust", options: options) { f in
                f.meta.setBehaviour(.status(503), pixel: DispatchFixture.pixelB)
                let doomed = try await f.click(DispatchFixture.slugB)
                let fine = try await f.click(DispatchFixture.slugA)
                try await f.eventually("dead-lettered after 3 attempts") { try !f.deadLetters(reason: "retries_exhausted").isEmpty }
                try await f.waitDelivered([fine], pixel: DispatchFixture.pixelA)
                try await f.waitIdle()

                #expect(f.meta.requests(pixel: DispatchFixture.pixelB).count == 3)
                #expect(f.meta.acceptedCount(pixel: DispatchFixture.pixelB) == 0)
                let rows = try f.ledger(eventID: doomed)
                #expect(rows.map(\.outcome) == ["retry_scheduled", "retry_scheduled", "dead_lettered"], "\(rows)")
                #expect(rows.map(\.attempt) == [1, 2, 3], "\(rows)")
                let letter = try #require(try f.deadLetters().first)
                #expect(letter.eventID == doomed && letter.reason == "retries_exhausted" && letter.detail.contains("3 attempts"), "\(letter)")

                // Meta recovers; the operator replays.
                f.meta.setBehaviour(.ok, pixel: DispatchFixture.pixelB)
                let replay = try await f.cli(["dlq", "replay", "--reason", "retries_exhausted"])
                #expect(replay.status == 0 && replay.stdout.contains("replayed 1 event(s)"), "\(replay.output)")
                try await f.waitDelivered([doomed], pixel: DispatchFixture.pixelB)
                try await f.waitIdle()
                #expect(f.meta.acceptedCount(eventID: doomed) == 1)
                #expect(try f.ledger(eventID: doomed).last?.outcome == "sent")
                print("[dispatch exhausted] requests_b=\(f.meta.requests(pixel: DispatchFixture.pixelB).count) accepted=\(f.meta.acceptedEvents().count) delivered=2 duplicated=0 dead_lettered=1 (replayed)")
            }
        }

        @Test("timeouts: Meta answers after the client gave up; the retry delivers with the same event_id")
        func timeouts() async throws {
            var options = DispatchFixture.Options()
            options.sendTimeoutMs = 500
            try await withDispatchFixture("timeout", options: options) { f in
                // The first two requests take 900 ms (send timeout 500 ms) and are accepted anyway.
                f.meta.setBehaviour(.failNextRequests(2, with: .delay(.milliseconds(900)), then: .ok), pixel: DispatchFixture.pixelA)
                let ids = try await f.clicks(6)
                try await f.waitDelivered(ids)
                try await f.waitIdle()
                // Let the second slow request finish at the fake before counting.
                try await Task.sleep(for: .seconds(1))

                try Self.expectDeliveredOnce(ids, f)
                // No answer after sending: recorded `unconfirmed` (Meta may have it), each after its request's in_flight row.
                let timeoutRows = try f.ledger(outcome: "unconfirmed")
                #expect(!timeoutRows.isEmpty)
                #expect(timeoutRows.allSatisfy { $0.httpStatus == nil && ($0.metaMessage ?? "").contains("timeout") }, "\(timeoutRows.map { $0.metaMessage ?? "-" })")
                let opened = Set(try f.ledger(outcome: "in_flight").map { "\($0.eventID)|\($0.requestID ?? "")" })
                #expect(timeoutRows.allSatisfy { opened.contains("\($0.eventID)|\($0.requestID ?? "")") })
                let duplicates = f.meta.duplicates()
                // A duplicate can only be one of the events of a timed-out request, under its own id.
                let slowIDs = Set(f.meta.requests(pixel: DispatchFixture.pixelA).filter { $0.answeredAt.timeIntervalSince($0.receivedAt) >= 0.85 }.flatMap(\.eventIDs))
                #expect(duplicates.allSatisfy { slowIDs.contains($0.eventID) && $0.eventName == "PageView" })
                let accepted = f.meta.acceptedEvents().count
                print("[dispatch timeout] accepted=\(accepted) delivered=\(ids.count) duplicated=\(duplicates.reduce(0) { $0 + $1.count - 1 }) (same event_id) dead_lettered=0 timed_out_events=\(slowIDs.count)")
            }
        }

        @Test("throttling (codes 4, 17, 80004) pauses only that pixel for the pause; the other pixel keeps delivering")
        func throttling() async throws {
            var options = DispatchFixture.Options()
            options.throttlePauseMs = 2000  // room for B's delivery inside A's pause on a loaded machine
            try await withDispatchFixture("throttle", options: options) { f in
                let a = DispatchFixture.pixelA, b = DispatchFixture.pixelB
                let cases: [(Int, FakeMetaBehaviour)] = [(4, .applicationThrottled), (17, .userThrottled), (80004, .adAccountThrottled)]
                for (code, behaviour) in cases {
                    f.meta.setBehaviour(.failNextRequests(1, with: behaviour, then: .ok), pixel: a)
                    let before = f.meta.requests(pixel: a).count
                    let first = try await f.click(DispatchFixture.slugA)
                    let throttled = try await f.meta.waitForRequests(count: before + 1, pixel: a)[before]
                    #expect(throttled.errorCode == code && throttled.eventIDs == [first])
                    // During A's pause: another event for A waits, B is delivered.
                    let second = try await f.click(DispatchFixture.slugA)
                    let other = try await f.click(DispatchFixture.slugB)
                    try await f.waitDelivered([other], pixel: b, timeout: .seconds(10))
                    let bAccepted = try #require(f.meta.acceptedEvents(pixel: b).first { $0.eventID == other })
                    let bRequest = try #require(f.meta.requests(pixel: b).first { $0.sequence == bAccepted.requestSequence })
                    try await f.waitDelivered([first, second], pixel: a, timeout: .seconds(10))
                    let resumed = try #require(f.meta.requests(pixel: a).first { $0.sequence > throttled.sequence })
                    // Nothing was sent for A during the pause (2 s, allowing for timer granularity) …
                    let pause = resumed.receivedAt.timeIntervalSince(throttled.answeredAt)
                    #expect(pause >= 1.8, "code \(code): A resumed after \(pause) s")
                    // … while B's request was answered before A resumed.
                    #expect(bRequest.answeredAt < resumed.receivedAt, "code \(code): B waited for A's pause")
                    // The outcome row is written after Meta's answer: wait for it rather than race it.
                    try await f.eventually("the sent row of \(first)") { try f.ledger(eventID: first).last?.outcome == "sent" }
                    let rows = try f.ledger(eventID: first)
                    #expect(rows.first?.outcome == "retry_scheduled" && rows.first?.metaCode == code, "\(rows)")
                    print("[dispatch throttle] code=\(code) pause_observed=\(String(format: "%.2f", pause))s b_answered_before_a_resumed=\(String(format: "%.2f", resumed.receivedAt.timeIntervalSince(bRequest.answeredAt)))s")
                }
                try await f.waitIdle()
                let all = f.meta.acceptedEvents().compactMap(\.eventID)
                #expect(f.meta.duplicates().isEmpty)
                #expect(try f.deadLetters().isEmpty)
                print("[dispatch throttle] accepted=\(all.count) delivered=\(Set(all).count) duplicated=0 dead_lettered=0")
            }
        }

        @Test("190 parks a pixel's events and pauses it (status shows it); apply with a new token delivers them with that token")
        func invalidToken() async throws {
            // Workers reload the configuration only every 1.5 s here, so the apply below nearly
            // always lands while the worker still holds the old token: the events `apply`
            // unparks are refused (190) once more and parked again, and must still be delivered
            // once the worker has the new token (the stale pause is released by RetryService).
            var options = DispatchFixture.Options()
            options.configRefreshMs = 1500
            try await withDispatchFixture("token", options: options) { f in
                let a = DispatchFixture.pixelA
                let newToken = "EAAB-rotated-" + UUID().uuidString.prefix(8)
                // Meta now only accepts the new token: the configured one gets 400 code 190.
                f.meta.expectToken(pixel: a, token: newToken)
                let parked = try await f.clicks(3)
                try await f.eventually("parked after 190") { try Set(f.ledger(outcome: "parked").map(\.eventID)).isSuperset(of: parked) }
                let refused = f.meta.requests(pixel: a)
                #expect(!refused.isEmpty && refused.allSatisfy { $0.errorCode == 190 })
                let refusedRows = try f.ledger(outcome: "parked").filter { $0.metaCode == 190 }
                #expect(!refusedRows.isEmpty && refusedRows.allSatisfy { $0.httpStatus == 400 && $0.requestID != nil })
                #expect(f.workerLogs.contains("alert=pixel_token"), "a refused token raises an alert in the log")
                // While paused, new events for A are parked without asking Meta; B is unaffected.
                let later = try await f.click(DispatchFixture.slugA)
                let other = try await f.click(DispatchFixture.slugB)
                try await f.waitDelivered([other], pixel: DispatchFixture.pixelB)
                try await f.eventually("later event parked") { try !f.ledger(eventID: later, outcome: "parked").isEmpty }
                #expect(f.meta.requests(pixel: a).count == refused.count, "a paused pixel must not burn requests")
                #expect(f.meta.acceptedCount(pixel: a) == 0)

                let status = try await f.cli(["status"])
                try status.requireSuccess("dispatchd status")
                let pixelSection = status.stdout.components(separatedBy: "PIXELS").last ?? ""
                let aLines = pixelSection.components(separatedBy: "\n  \(DispatchFixture.pixelB)").first ?? ""
                #expect(aLines.contains(a) && aLines.contains("PAUSED") && aLines.contains("until a new token is applied"), "\(status.stdout)")
                #expect(aLines.contains("parked=4"), "\(status.stdout)")
                #expect(aLines.contains("Invalid OAuth access token"), "\(status.stdout)")
                #expect(!status.output.contains(f.tokenA))

                // The operator puts the new token in the environment and applies the same file.
                let applied = try await f.apply(tokenA: newToken)
                #expect(applied.stdout.contains("pixel \(a) resumed (4 parked event(s) rescheduled)"), "\(applied.stdout)")
                let all = parked + [later]
                try await f.waitDelivered(all, pixel: a, timeout: .seconds(15))
                try await f.waitIdle()
                try Self.expectDeliveredOnce(all, f)
                let fingerprint = FakeMeta.tokenFingerprint(newToken)
                #expect(f.meta.requests(pixel: a).filter(\.accepted).allSatisfy { $0.tokenFingerprint == fingerprint })
                #expect(f.meta.duplicates().isEmpty)
                for id in all {
                    let rows = try f.ledger(eventID: id)
                    #expect(rows.first?.outcome == "parked" && rows.last?.outcome == "sent", "\(rows)")
                }
                let after = try await f.cli(["status"])
                #expect(!after.stdout.contains("PAUSED"), "\(after.stdout)")
                #expect(!(f.workerLogs + status.output + after.output + applied.output).contains(newToken))
                let refusedAfterApply = f.meta.requests(pixel: a).filter { $0.errorCode == 190 }.count - refused.count
                print("[dispatch token] refused_requests=\(refused.count) refused_after_apply(stale worker config)=\(refusedAfterApply) parked=\(all.count) accepted=\(f.meta.acceptedCount(pixel: a)) duplicated=0 dead_lettered=0")
            }
        }

        @Test("code 100 for one event of a batch: only it is dead-lettered (reason invalid, Meta's message); replay delivers it after the fix; expired replays are refused")
        func invalidEventAndReplay() async throws {
            var options = DispatchFixture.Options()
            options.workers = 0  // queue the events first, so they go to Meta as one batch
            try await withDispatchFixture("invalid", options: options) { f in
                let ids = try await f.clicks(8)
                let bad = ids[3]
                f.meta.rejectEventIDs = [bad]
                try await f.startWorker("w1")
                try await f.eventually("invalid event dead-lettered") { try !f.deadLetters(reason: "invalid").isEmpty }
                let good = ids.filter { $0 != bad }
                try await f.waitDelivered(good)
                try await f.waitIdle()

                #expect(f.meta.requests().first?.eventCount == 8, "one batch first: \(f.meta.summary())")
                try Self.expectDeliveredOnce(good, f)
                #expect(f.meta.acceptedCount(eventID: bad) == 0)
                let letters = try f.deadLetters()
                #expect(letters.count == 1, "\(letters)")
                let letter = try #require(letters.first)
                #expect(letter.reason == "invalid" && letter.eventID == bad && letter.pixel == DispatchFixture.pixelA)
                #expect(letter.detail.contains("event_id '\(bad)'"), "Meta's message: \(letter.detail)")
                let badRows = try f.ledger(eventID: bad)
                #expect(badRows.last?.outcome == "dead_lettered" && badRows.last?.metaCode == 100, "\(badRows)")
                #expect(badRows.dropLast().allSatisfy { $0.outcome == "batch_rejected" })
                #expect(!badRows.contains { $0.outcome == "sent" })
                let rejected = try f.ledger(outcome: "batch_rejected")
                #expect(rejected.contains { $0.eventID == good[0] }, "the first request carried every event")
                let dlqList = try await f.cli(["dlq", "list", "--reason", "invalid"])
                #expect(dlqList.status == 0 && dlqList.stdout.contains(bad), "\(dlqList.output)")
                print("[dispatch invalid] requests=\(f.meta.requests().count) accepted=\(f.meta.acceptedEvents().count) delivered=\(good.count) duplicated=\(f.meta.duplicates().count) dead_lettered=\(letters.count)")

                // The fix: Meta accepts it now. Replay puts it back, same event_id.
                f.meta.rejectEventIDs = []
                let replay = try await f.cli(["dlq", "replay", "--reason", "invalid"])
                #expect(replay.status == 0 && replay.stdout.contains("replayed 1 event(s)"), "\(replay.output)")
                try await f.waitDelivered([bad])
                try await f.waitIdle()
                #expect(f.meta.acceptedCount(eventID: bad) == 1)
                #expect(f.meta.duplicates().isEmpty)
                #expect(try f.deadLetters().allSatisfy(\.replayed))
                #expect(try f.ledger(eventID: bad).last?.outcome == "sent")
                #expect(try f.ledger(eventID: bad, outcome: "sent").count == 1)

                // An event older than Meta's 7 days: refused without --force.
                let oldID = DispatchTestData.unique("old")
                let oldTime = Int64(Date().timeIntervalSince1970) - 8 * 86_400
                // Written in the shape dead letters had before events were typed (the event as JSON text):
                // an upgrade must still replay it.
                let legacy = DispatchTestData.legacyOutboundJSON(pixel: DispatchFixture.pixelA, name: "Lead", id: oldID,
                                                                 envelopeID: "env-\(oldID)", time: oldTime, attempts: 3)
                let old = try JSONDecoder().decode(OutboundEvent.self, from: Data(legacy.utf8))
                #expect(old.eventID == oldID && old.attempts == 3 && old.event.actionSource == .website)
                let oldLetter = try f.insertDeadLetter(reason: "retries_exhausted", detail: "transient after 3 attempts", event: old,
                                                       payload: legacy)
                let refused = try await f.cli(["dlq", "replay", "--id", String(oldLetter)])
                #expect(refused.status == 1, "\(refused.output)")
                #expect(refused.stdout.contains("refused 1 expired event(s)") && refused.stdout.contains("--force"), "\(refused.output)")
                #expect(try f.deadLetters().first { $0.id == oldLetter }?.replayed == false)
                #expect(try RetrySchedule(layout: f.layout).depth(connection: f.redis()).scheduled == 0)

                // Forced: it is re-queued, and the sender still never puts it in a batch (dead letter `expired`).
                let forced = try await f.cli(["dlq", "replay", "--id", String(oldLetter), "--force"])
                #expect(forced.status == 0 && forced.stdout.contains("replayed 1 event(s)") && forced.stderr.contains("warning"), "\(forced.output)")
                try await f.eventually("forced expired replay dead-lettered again") { try !f.deadLetters(reason: "expired").isEmpty }
                try await f.waitIdle()
                #expect(try f.deadLetters(reason: "expired").first?.eventID == oldID)
                #expect(!f.meta.requests().contains { $0.eventIDs.contains(oldID) })
            }
        }
    }
}
