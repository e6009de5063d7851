import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 4 end to end: signed gateway webhooks through a real `ingestd` into real `dispatchd`
/// workers (real Redis, a fresh Postgres database per test), matched to the click that
/// produced the sale, and sent to the in-process fake Meta as exactly one Purchase.
///
/// Serialized like the dispatch suite: several processes per test on a 2-core machine.
@Suite("sales end to end", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct SalesEndToEndTests {}

/// Checks shared by the sales tests.
enum SalesChecks {
    /// The one Purchase of `eventID` at the fake (exactly one accepted, no duplicate), or a
    /// recorded failure.
    static func onePurchase(_ s: SalesFixture, _ eventID: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> FakeMetaAcceptedEvent {
        let events = s.accepted(eventID: eventID)
        #expect(events.count == 1, "\(eventID) accepted \(events.count) times", sourceLocation: sourceLocation)
        #expect(events.allSatisfy { $0.eventName == "Purchase" && $0.pixel == SalesFixture.pixel }, sourceLocation: sourceLocation)
        return try #require(events.first, sourceLocation: sourceLocation)
    }

    /// The Purchase carries the click's browser identifiers exactly as the click's own
    /// PageView carried them (fbc, fbp, IP, user agent), and the website fields.
    static func carriesClick(_ purchase: FakeMetaAcceptedEvent, clickPageView: FakeMetaAcceptedEvent, sourceURL: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let user = purchase["user_data"]
        let clickUser = clickPageView["user_data"]
        #expect(clickUser?["fbc"]?.stringValue?.hasPrefix("fb.1.") == true, "the click had an fbc", sourceLocation: sourceLocation)
        #expect(user?["fbc"]?.stringValue == clickUser?["fbc"]?.stringValue, sourceLocation: sourceLocation)
        #expect(user?["fbp"]?.stringValue == "fb.1.1596403881668.1116446470", sourceLocation: sourceLocation)
        #expect(user?["client_ip_address"]?.stringValue == "127.0.0.1", sourceLocation: sourceLocation)
        #expect(user?["client_user_agent"]?.stringValue == SalesFixture.clickUserAgent, sourceLocation: sourceLocation)
        #expect(purchase.actionSource == "website", sourceLocation: sourceLocation)
        #expect(purchase["event_source_url"]?.stringValue == sourceURL, sourceLocation: sourceLocation)
    }

    /// The buyer's email and phone, normalised and hashed (a Brazilian mobile in both
    /// ninth-digit forms).
    static func carriesBuyer(_ purchase: FakeMetaAcceptedEvent, _ buyer: SalesWebhooks.Buyer,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(SalesExpect.hashes(purchase, "em") == [SalesExpect.sha256(buyer.email.lowercased())], sourceLocation: sourceLocation)
        let national = buyer.phone
        let eightDigit = String(national.prefix(2)) + String(national.dropFirst(3))
        #expect(SalesExpect.hashes(purchase, "ph") == [SalesExpect.sha256("55" + national), SalesExpect.sha256("55" + eightDigit)],
                sourceLocation: sourceLocation)
        for field in ["em", "ph", "fn", "ln", "external_id"] {
            #expect(SalesExpect.hashes(purchase, field).allSatisfy(DispatchTestData.isHex64), "\(field) not hashed",
                    sourceLocation: sourceLocation)
        }
    }

    /// custom_data of a Purchase.
    static func customData(_ purchase: FakeMetaAcceptedEvent, value: Double, currency: String, orderID: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let custom = purchase["custom_data"]
        #expect(custom?["value"]?.doubleValue == value, sourceLocation: sourceLocation)
        #expect(custom?["currency"]?.stringValue == currency, sourceLocation: sourceLocation)
        #expect(custom?["order_id"]?.stringValue == orderID, sourceLocation: sourceLocation)
    }
}
