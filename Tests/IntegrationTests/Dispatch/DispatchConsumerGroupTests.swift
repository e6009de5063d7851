import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Several dispatchd processes in one consumer group: sharing, crash recovery, poison entries,
/// graceful shutdown.
extension DispatchEndToEndTests {
    @Suite("consumer group")
    struct ConsumerGroup {
        @Test("two dispatchd processes share 400 clicks; each PageView reaches Meta exactly once")
        func twoWorkersShare() async throws {
            var options = DispatchFixture.Options()
            options.workers = 2
            options.readCount = 20  // small reads, so both consumers get entries while clicks flow
            try await withDispatchFixture("share", options: options) { f in
                // A little latency at Meta keeps a consumer busy while the other reads.
                f.meta.defaultBehaviour = .delay(.milliseconds(30))
                let ids = try await f.clicks(400)
                #expect(Set(ids).count == 400)
                try await f.waitDelivered(ids, timeout: .seconds(60))
                try await f.waitIdle()

                #expect(f.meta.duplicates().isEmpty, "\(f.meta.duplicates().prefix(5))")
                #expect(f.meta.acceptedCount(pixel: DispatchFixture.pixelA, eventName: "PageView") == 400)
                let sent = try f.ledger(outcome: "sent")
                #expect(sent.count == 400 && Set(sent.map(\.eventID)) == Set(ids))
                let w1 = DispatchFixture.sentEventIDs(in: try #require(f.worker("w1")).log)
                let w2 = DispatchFixture.sentEventIDs(in: try #require(f.worker("w2")).log)
                #expect(!w1.isEmpty && !w2.isEmpty, "both consumers must have sent some: w1=\(w1.count) w2=\(w2.count)")
                #expect(Set(w1).isDisjoint(with: w2))
                #expect(w1.count + w2.count == 400)
                #expect(try f.deadLetters().isEmpty)
                print("[dispatch share] accepted=\(f.meta.acceptedEvents().count) delivered=400 duplicated=0 w1=\(w1.count) w2=\(w2.count) requests=\(f.meta.requests().count)")
            }
        }

        @Test("kill -9 of one of two workers mid-batch: the survivor claims its pending entries; nothing is lost; re-sends keep the event_id")
        func killNineMidBatch() async throws {
            var options = DispatchFixture.Options()
            options.workers = 2
            options.readCount = 25
            options.batchSize = 25
            options.sendTimeoutMs = 2000
            try await withDispatchFixture("kill9", options: options) { f in
                // Slow answers keep batches in flight when the kill comes.
                f.meta.defaultBehaviour = .delay(.milliseconds(400))
                let victim = try #require(f.worker("w1"))
                let survivor = try #require(f.worker("w2"))
                async let produced = f.clicks(300)
                // Kill once w1 has delivered a whole batch and holds unacknowledged entries again.
                try await f.eventually("w1 busy with entries in flight", timeout: .seconds(30), poll: .milliseconds(20)) {
                    let pending = try f.redis().command(["XPENDING", f.layout.stream(.normal), f.layout.consumerGroup, "-", "+", "1000", "w1"])
                    return DispatchFixture.sentEventIDs(in: victim.log).count >= 25 && pending.elements.count >= 5
                }
                // It has just read its next batch; give it time to have that request in flight at the fake (400 ms answers).
                try await Task.sleep(for: .milliseconds(200))
                let pendingAtKill = try f.redis().command(["XPENDING", f.layout.stream(.normal), f.layout.consumerGroup, "-", "+", "1000", "w1"]).elements.count
                victim.kill9()
                let ids = try await produced
                try await f.waitDelivered(ids, timeout: .seconds(60))
                try await f.waitIdle(timeout: .seconds(30))
                try await Task.sleep(for: .milliseconds(500))  // requests the victim left at the fake finish

                let counts = f.acceptedCounts(pixel: DispatchFixture.pixelA)
                #expect(Set(counts.keys) == Set(ids), "every click delivered, nothing else")
                let duplicates = f.meta.duplicates()
                #expect(duplicates.allSatisfy { Set(ids).contains($0.eventID) && $0.eventName == "PageView" })
                #expect(duplicates.count <= pendingAtKill, "only entries the victim held can be re-sent")
                #expect(survivor.log.contains("claimed entries from an idle consumer"))
                #expect(try f.deadLetters().isEmpty)
                let sentRows = try f.ledger(outcome: "sent")
                #expect(Set(sentRows.map(\.eventID)) == Set(ids))
                let victimSent = DispatchFixture.sentEventIDs(in: victim.log).count
                let survivorSent = DispatchFixture.sentEventIDs(in: survivor.log).count
                print("[dispatch kill9] clicks=300 pending_at_kill=\(pendingAtKill) accepted=\(counts.values.reduce(0, +)) delivered=\(counts.count) duplicated=\(duplicates.reduce(0) { $0 + $1.count - 1 }) (same event_id) dead_lettered=0 ledger_sent_rows=\(sentRows.count) victim_logged_sent=\(victimSent) survivor_logged_sent=\(survivorSent)")
            }
        }

        @Test("poison stream entries are dead-lettered as unparseable and the consumer keeps going")
        func poisonEntries() async throws {
            try await withDispatchFixture("poison") { f in
                let before = try await f.click()
                try await f.waitDelivered([before])
                let garbage = try f.xadd(.normal, fields: ["e", "{this is not an envelope"])
                let wrongShape = try f.xadd(.low, fields: ["e", #"{"v":1,"kind":"click","id":42}"#])
                let noPayload = try f.xadd(.high, fields: ["x", "y"])
                let after = try await f.clicks(3)
                try await f.waitDelivered(after)
                try await f.eventually("three unparseable dead letters") { try f.deadLetters(reason: "unparseable").count == 3 }
                try await f.waitIdle()

                let letters = try f.deadLetters()
                #expect(letters.count == 3 && letters.allSatisfy { $0.reason == "unparseable" }, "\(letters)")
                let entries = Set(letters.compactMap(\.streamID))
                #expect(entries == ["\(f.layout.stream(.normal))/\(garbage)", "\(f.layout.stream(.low))/\(wrongShape)",
                                    "\(f.layout.stream(.high))/\(noPayload)"])
                #expect(letters.first { $0.streamID?.hasSuffix(garbage) == true }?.payload == "{this is not an envelope")
                #expect(try f.pendingCount() == 0, "poison entries are acknowledged, not retried forever")
                #expect(f.meta.acceptedEvents().count == 4 && f.meta.duplicates().isEmpty)
                let running = f.workers.allSatisfy { $0.isRunning }
                #expect(running)
                print("[dispatch poison] accepted=4 delivered=4 duplicated=0 dead_lettered=\(letters.count) (unparseable)")
            }
        }

        @Test("SIGTERM: dispatchd exits 0 within a bound, also with a batch in flight; nothing is lost")
        func sigterm() async throws {
            var options = DispatchFixture.Options()
            options.sendTimeoutMs = 2000
            try await withDispatchFixture("sigterm", options: options) { f in
                // Idle worker.
                let idle = try #require(f.worker("w1"))
                var start = ContinuousClock.now
                let idleStatus = await idle.terminate(timeout: .seconds(10))
                #expect(idleStatus == 0, "log:\n\(idle.log.suffix(1500))")
                let idleStop = ContinuousClock.now - start
                #expect(idleStop < .seconds(5))
                #expect(idle.log.contains("dispatchd stopped"))

                // Busy worker: slow Meta, entries in flight.
                f.meta.defaultBehaviour = .delay(.milliseconds(500))
                let busy = try await f.startWorker("w2")
                let ids = try await f.clicks(40)
                try await f.meta.waitForRequests(count: 1)
                start = ContinuousClock.now
                let status = await busy.terminate(timeout: .seconds(15))
                let busyStop = ContinuousClock.now - start
                #expect(status == 0, "log:\n\(busy.log.suffix(1500))")
                #expect(busyStop < .seconds(8), "stopped in \(busyStop)")

                // Whatever it handed back is finished by the next worker.
                f.meta.defaultBehaviour = .ok
                try await f.startWorker("w3")
                try await f.waitDelivered(ids, timeout: .seconds(30))
                try await f.waitIdle()
                #expect(try f.deadLetters().isEmpty)
                print("[dispatch sigterm] idle_stop=\(idleStop) busy_stop=\(busyStop) accepted=\(f.meta.acceptedEvents().count) delivered=\(ids.count) duplicated=\(f.meta.duplicates().count)")
            }
        }
    }
}
