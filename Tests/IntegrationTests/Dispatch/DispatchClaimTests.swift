import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Claims and redeliveries: a slow batch keeps its claim, an entry that keeps coming back is
/// dead-lettered, and throttling backs off without spending the retry budget.
extension DispatchEndToEndTests {
    @Suite("claims, delivery cap, throttle backoff")
    struct Claims {
        @Test("a batch slower than the claim limit keeps its claim: two workers, never sent twice")
        func slowBatchKeptClaimed() async throws {
            var options = DispatchFixture.Options()
            options.workers = 2
            options.claimIdleMs = 1000
            options.claimIntervalMs = 200
            options.sendTimeoutMs = 10_000
            try await withDispatchFixture("slowclaim", options: options) { f in
                let a = DispatchFixture.pixelA
                // Meta answers after 3.5 s: each batch is in flight for more than three claim limits.
                f.meta.setBehaviour(.delay(.milliseconds(3500)), pixel: a)
                let ids = try await f.clicks(3)
                try await f.waitDelivered(ids, pixel: a, timeout: .seconds(40))
                try await f.waitIdle(timeout: .seconds(30))
                let requests = f.meta.requests(pixel: a)
                for id in ids {
                    #expect(requests.filter { $0.eventIDs.contains(id) }.count == 1, "\(id) sent in \(requests.filter { $0.eventIDs.contains(id) }.count) requests")
                }
                #expect(f.meta.duplicates().isEmpty)
                #expect(!f.workerLogs.contains("claimed entries from an idle consumer"), "a worker claimed a batch in flight")
                try DispatchEndToEndTests.Faults.expectDeliveredOnce(ids, f)
                print("[dispatch claims] slow batches=\(requests.count) events=\(ids.count) sent_twice=0")
            }
        }

        @Test("an entry delivered more than TRACKHUB_MAX_DELIVERIES times is dead-lettered delivery_cap, acknowledged, replayable")
        func deliveryCap() async throws {
            var options = DispatchFixture.Options()
            options.workers = 0
            options.claimIdleMs = 1000
            options.claimIntervalMs = 200
            options.workerEnv["TRACKHUB_MAX_DELIVERIES"] = "3"
            try await withDispatchFixture("dcap", options: options) { f in
                let stream = f.layout.stream(.normal), group = f.layout.consumerGroup
                let payload = #"{"v":1,"note":"a worker died on this entry three times"}"#
                let conn = try f.redis()
                _ = try conn.command(["XGROUP", "CREATE", stream, group, "0", "MKSTREAM"])
                let id = try f.xadd(.normal, fields: ["e", payload])
                // Delivered to a consumer that is gone, three times (what three crashes leave).
                _ = try conn.command(["XREADGROUP", "GROUP", group, "gone", "COUNT", "10", "STREAMS", stream, ">"])
                let claimed = try conn.command(["XCLAIM", stream, group, "gone", "0", id, "RETRYCOUNT", "3", "JUSTID"])
                #expect(claimed.elements.first?.text == id)
                _ = try await f.startWorker("w1")
                try await f.eventually("dead-lettered delivery_cap") { try !f.deadLetters(reason: "delivery_cap").isEmpty }
                let letters = try f.deadLetters(reason: "delivery_cap")
                #expect(letters.count == 1 && letters.first?.streamID == "\(stream)/\(id)" && letters.first?.payload == payload, "\(letters)")
                #expect(try f.deadLetters(reason: "unparseable").isEmpty, "capped before it was processed")
                try await f.eventually("acknowledged") { try f.pendingCount() == 0 }
                #expect(f.workerLogs.contains("reason=delivery_cap"))
                // The stream goes on.
                let ids = try await f.clicks(2)
                try await f.waitDelivered(ids, pixel: DispatchFixture.pixelA)
                print("[dispatch claims] delivery_cap: entry \(id) dead-lettered after 4 deliveries (cap 3)")
            }
        }

        @Test("throttles in a row back off (each pause doubles up to the cap) and do not spend the retry budget")
        func throttleBackoff() async throws {
            var options = DispatchFixture.Options()
            options.throttlePauseMs = 400
            options.throttlePauseCapMs = 3200
            // Two attempts would be all a transient failure gets: four throttles must not count.
            options.workerEnv["TRACKHUB_RETRY_MAX_ATTEMPTS"] = "2"
            try await withDispatchFixture("backoff", options: options) { f in
                let a = DispatchFixture.pixelA
                f.meta.setBehaviour(.failNextRequests(4, with: .applicationThrottled, then: .ok), pixel: a)
                let ids = try await f.clicks(1)
                try await f.waitDelivered(ids, pixel: a, timeout: .seconds(40))
                let requests = f.meta.requests(pixel: a).sorted { $0.sequence < $1.sequence }
                #expect(requests.map(\.status) == [400, 400, 400, 400, 200])
                let gaps = zip(requests, requests.dropFirst()).map { $1.receivedAt.timeIntervalSince($0.answeredAt) }
                for (gap, pause) in zip(gaps, [0.4, 0.8, 1.6, 3.2]) {
                    #expect(gap >= pause * 0.9, "pauses observed \(gaps), expected at least 0.4, 0.8, 1.6, 3.2 s")
                }
                #expect(try f.deadLetters().isEmpty)
                let rows = try f.ledger(eventID: ids[0])
                #expect(rows.map(\.outcome) == ["retry_scheduled", "retry_scheduled", "retry_scheduled", "retry_scheduled", "sent"], "\(rows)")
                print("[dispatch throttle backoff] pauses_observed=\(gaps.map { String(format: "%.2f", $0) }.joined(separator: ","))s dead_lettered=0")
            }
        }

        @Test("Meta's Retry-After is honoured over the computed pause")
        func throttleHint() async throws {
            var options = DispatchFixture.Options()
            options.throttlePauseMs = 300
            try await withDispatchFixture("hint", options: options) { f in
                let a = DispatchFixture.pixelA
                f.meta.setBehaviour(.failNextRequests(1, with: .userThrottled, then: .ok), pixel: a)
                f.meta.setRetryAfter(seconds: 2, pixel: a)
                let ids = try await f.clicks(1)
                try await f.waitDelivered(ids, pixel: a, timeout: .seconds(30))
                let requests = f.meta.requests(pixel: a).sorted { $0.sequence < $1.sequence }
                #expect(requests.map(\.status) == [400, 200])
                let pause = requests[1].receivedAt.timeIntervalSince(requests[0].answeredAt)
                #expect(pause >= 1.8, "resumed after \(pause) s; Retry-After said 2 s (the computed pause is 0.3 s)")
                print("[dispatch throttle hint] retry_after=2s pause_observed=\(String(format: "%.2f", pause))s")
            }
        }
    }
}
