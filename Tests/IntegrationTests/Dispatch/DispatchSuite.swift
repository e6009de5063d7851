import Crypto
import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Issue 3 end to end: real `ingestd` and `dispatchd` processes, the suite's real Redis and a
/// fresh Postgres database per test, and the in-process fake Meta (`FakeMetaServer`).
///
/// Serialized: the fault tests measure pauses and kill processes mid-batch, and several
/// dispatchd processes per test on a 2-core machine already compete with the other suites.
@Suite("dispatchd end to end", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: TestEnvironment.available, "needs scripts/test (real Redis, Postgres and the built binaries)"))
struct DispatchEndToEndTests {}

enum DispatchTestData {
    /// SHA-256 as lowercase hex.
    static func sha256(_ s: String) -> String {
        SHA256.hash(data: Array(s.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func isHex64(_ s: String?) -> Bool {
        guard let s else { return false }
        return s.count == 64 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    static func unique(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8).lowercased() }

    /// A valid website CAPI event as `EnvelopeInterpreter` would have built it.
    static func eventJSON(name: String, id: String, time: Int64) -> String {
        #"{"action_source":"website","event_id":"\#(id)","event_name":"\#(name)","event_source_url":"https://lp.shop.example/","event_time":\#(time),"user_data":{"client_ip_address":"127.0.0.1","client_user_agent":"Mozilla/5.0 (dispatch test)"}}"#
    }

    /// An `OutboundEvent` as stored before events were typed: the event as JSON text in `eventJSON`.
    static func legacyOutboundJSON(pixel: String, name: String, id: String, envelopeID: String, time: Int64, attempts: Int) -> String {
        let event = eventJSON(name: name, id: id, time: time)
        let quoted = String(decoding: try! JSONEncoder().encode(event), as: UTF8.self)
        return #"{"attempts":\#(attempts),"envelopeID":"\#(envelopeID)","eventID":"\#(id)","eventJSON":\#(quoted),"eventName":"\#(name)","eventTime":\#(time),"pixel":"\#(pixel)"}"#
    }
}
