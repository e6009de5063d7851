import Testing
@testable import TrackhubCore

@Suite("stream drain before an erasure")
struct StreamDrainTests {
    @Test("processed only when everything up to the top was delivered and nothing at or before it is pending")
    func processed() {
        #expect(StreamDrain.isProcessed(top: "0-0", lastDelivered: nil, oldestPending: nil), "an empty stream")
        #expect(!StreamDrain.isProcessed(top: "10-0", lastDelivered: nil, oldestPending: nil), "no group: nobody will process it")
        #expect(!StreamDrain.isProcessed(top: "10-0", lastDelivered: "9-5", oldestPending: nil), "not delivered yet")
        #expect(StreamDrain.isProcessed(top: "10-0", lastDelivered: "10-0", oldestPending: nil))
        #expect(!StreamDrain.isProcessed(top: "10-0", lastDelivered: "12-0", oldestPending: "10-0"), "the top is pending")
        #expect(!StreamDrain.isProcessed(top: "10-0", lastDelivered: "12-0", oldestPending: "3-0"), "an older entry is pending")
        #expect(StreamDrain.isProcessed(top: "10-0", lastDelivered: "12-0", oldestPending: "11-0"), "only newer entries are pending")
        #expect(StreamDrain.isProcessed(top: "9-99", lastDelivered: "10-0", oldestPending: nil), "ids compare as numbers")
    }
}
