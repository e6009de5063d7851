import Foundation
import Testing
import TrackhubCore

@Suite("LedgerFate and LedgerEventSummary: an event's attempts read in the seller's terms")
struct LedgerFateTests {
    static let key = LedgerEventKey(pixel: "111", eventName: "Purchase", eventID: "hotmart.HP1")

    static func row(_ id: Int64, _ outcome: LedgerOutcome, key: LedgerEventKey = key, fbtrace: String? = nil, at: Double = 0) -> LedgerAttempt {
        LedgerAttempt(id: id, key: key, attempt: Int(id), outcome: outcome.rawValue, fbtraceID: fbtrace,
                      at: Date(timeIntervalSince1970: 1_800_000_000 + at))
    }

    @Test("the latest row decides, except that a sent anywhere means Meta has it")
    func fate() {
        #expect(LedgerFate.of([]) == .unknown)
        #expect(LedgerFate.of([Self.row(1, .retryScheduled), Self.row(2, .sent, fbtrace: "T1")]) == .sent(fbtraceID: "T1"))
        #expect(LedgerFate.of([Self.row(1, .sent, fbtrace: "T1"), Self.row(2, .skippedDuplicate)]) == .sent(fbtraceID: "T1"))
        #expect(LedgerFate.of([Self.row(2, .deadLettered), Self.row(1, .retryScheduled)]) == .deadLettered)
        #expect(LedgerFate.of([Self.row(1, .held)]) == .waiting(.held))
        #expect(LedgerFate.of([Self.row(1, .parked)]) == .parked)
        #expect(LedgerFate.of([Self.row(1, .dryRun)]) == .recordedOnly)
        #expect(LedgerFate.of([LedgerAttempt(id: 1, key: Self.key, attempt: 1, outcome: "from_the_future", at: Date())]) == .unknown)
        #expect(LedgerFate.waiting(.held).label.ptBR == "Aguardando o clique")
    }

    @Test("summaries group rows by event, newest event first, with counts and the first and last time")
    func summaries() {
        let other = LedgerEventKey(pixel: "111", eventName: "PageView", eventID: "c1")
        let rows = [Self.row(1, .retryScheduled, at: 0), Self.row(3, .sent, fbtrace: "T", at: 60), Self.row(2, .sent, key: other, at: 10)]
        let s = LedgerEventSummary.summarize(rows)
        #expect(s.map(\.key) == [Self.key, other])
        #expect(s[0].attempts == 2 && s[0].lastOutcome == "sent" && s[0].fate == .sent(fbtraceID: "T"))
        #expect(s[0].firstAt == Date(timeIntervalSince1970: 1_800_000_000) && s[0].lastAt == Date(timeIntervalSince1970: 1_800_000_060))
    }

    @Test("in_flight rows: dropped once their request's outcome follows; one left alone reads as leaving now (or cut short)")
    func inFlightRows() {
        func row(_ id: Int64, _ outcome: LedgerOutcome, request: String, key: LedgerEventKey = Self.key) -> LedgerAttempt {
            LedgerAttempt(id: id, key: key, attempt: 1, outcome: outcome.rawValue, requestID: request, at: Date(timeIntervalSince1970: 1_800_000_000))
        }
        let other = LedgerEventKey(pixel: "111", eventName: "PageView", eventID: "c1")
        let rows = [row(1, .inFlight, request: "r1"), row(2, .inFlight, request: "r1", key: other), row(3, .unconfirmed, request: "r1"),
                    row(4, .inFlight, request: "r2"), row(5, .sent, request: "r2"), row(6, .inFlight, request: "r3", key: other)]
        // Event 1: both its in_flight rows settled. PageView c1: r1's in_flight has no outcome of *its own* (the
        // unconfirmed row is another event's), so it stays, as does r3's.
        #expect(LedgerAttempt.settled(rows).map(\.id) == [2, 3, 5, 6])
        #expect(LedgerFate.of(LedgerAttempt.settled(rows).filter { $0.key == Self.key }) == .sent(fbtraceID: nil))
        #expect(LedgerFate.of([row(6, .inFlight, request: "r3")]) == .waiting(.inFlight))
        #expect(LedgerFate.of([row(1, .inFlight, request: "r1"), row(3, .unconfirmed, request: "r1")]) == .waiting(.unconfirmed))
        #expect(LedgerFate.waiting(.unconfirmed).label.ptBR.hasPrefix("Sem resposta do Meta"))
    }
}

