import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// What docs/OPERATIONS.md promises an operator: `journalctl -u 'dispatchd@*' | grep -w HP123`
/// tells the whole story of one sale (received and matched, sent with attempt/status/fbtrace_id,
/// a redelivery skipped), its `envelope_id` leads to ingestd's line, and no line holds the
/// buyer's personal data. Checked on the real daemons' logs.
@Suite("the story of one sale in the logs", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct SaleLogStoryTests {
    @Test("grep -w TRANSACTION: sale received (order_id, match, event_id) → event sent (attempt, http_status, fbtrace_id) → redelivery skipped")
    func hotmartSale() async throws {
        try await withSalesFixture("logstory") { s in
            let f = s.f
            let buyer = SalesWebhooks.Buyer.unique("story")
            let click = try await s.click(to: .hotmart)
            let transaction = "HP" + String(UInt64.random(in: 1_000_000_000_000...9_999_999_999_999))
            let purchaseID = "hotmart.\(transaction)"
            let approved = SalesWebhooks.hotmart(transaction: transaction, buyer: buyer, sck: click.id, src: click.id,
                                                 approvedAt: Date().addingTimeInterval(-30))
            let first = try await s.deliverAccepted(approved)
            try await s.waitProcessed([first])
            try await f.waitDelivered([purchaseID], pixel: SalesFixture.pixel)
            let again = try await s.deliverAccepted(approved)
            try await s.waitProcessed([again])
            try await f.eventually("the redelivery recorded as a duplicate") {
                try s.ledgerOutcomes(eventID: purchaseID).contains("skipped_duplicate")
            }

            let worker = try #require(f.worker("w1"))
            let story = worker.log.split(separator: "\n").filter { Self.containsWord(transaction, in: $0) }
            func value(_ key: String, _ line: Substring?) -> String? { line.flatMap { DispatchFixture.logValue(key, in: $0) } }

            let received = story.filter { $0.contains(#"msg="sale received""#) }
            #expect(received.count == 2, "story:\n\(story.joined(separator: "\n"))")
            let firstReceived = received.first { value(LogKey.envelopeID, $0) == first }
            #expect(value(LogKey.orderID, firstReceived) == transaction)
            #expect(value("match_method", firstReceived) == "click_id")
            #expect(value("match_score", firstReceived) == "1.0")
            #expect(value(LogKey.clickID, firstReceived) == click.id)
            #expect(value(LogKey.eventID, firstReceived) == purchaseID)
            #expect(value("event_name", firstReceived) == "Purchase")

            let sent = story.filter { $0.contains(#"msg="event sent""#) }
            #expect(sent.count == 1, "story:\n\(story.joined(separator: "\n"))")
            #expect(value(LogKey.envelopeID, sent.first) == first)
            #expect(value(LogKey.attempt, sent.first) == "1")
            #expect(value("http_status", sent.first) == "200")
            let trace = value("fbtrace_id", sent.first)
            #expect(trace != nil && trace != "-", "fbtrace_id: \(trace ?? "missing")")

            let duplicate = story.filter { $0.contains(#"msg="duplicate event not sent""#) }
            #expect(duplicate.count == 1)
            #expect(value(LogKey.envelopeID, duplicate.first) == again)

            // The envelope id from the story leads to the request at the edge.
            let edge = f.ingest.log.split(separator: "\n").filter { value(LogKey.envelopeID, $0) == first }
            #expect(edge.contains { $0.contains(#"msg="webhook accepted""#) && value("durability", $0) == "redis" })

            // No line of either daemon carries the buyer's personal data in clear.
            for (what, clear) in [("email", buyer.email), ("phone", buyer.phone), ("document", "12345678909"),
                                  ("document", buyer.document), ("name", buyer.lastName)] {
                #expect(!worker.log.contains(clear), "dispatchd log holds the buyer's \(what)")
                #expect(!f.ingest.log.contains(clear), "ingestd log holds the buyer's \(what)")
            }
        }
    }

    /// `grep -w` semantics: `word` with no letter, digit or `_` right before or after it.
    static func containsWord(_ word: String, in line: Substring) -> Bool {
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        var search = line.startIndex..<line.endIndex
        while let r = line.range(of: word, range: search) {
            let before = r.lowerBound == line.startIndex ? nil : line[line.index(before: r.lowerBound)]
            let after = r.upperBound == line.endIndex ? nil : line[r.upperBound]
            if !(before.map(isWordChar) ?? false) && !(after.map(isWordChar) ?? false) { return true }
            search = line.index(after: r.lowerBound)..<line.endIndex
        }
        return false
    }
}
