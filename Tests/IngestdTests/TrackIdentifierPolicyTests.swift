import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubCore
@testable import ingestd

/// Issue 15 item 3 at the edge: `/track` never refuses an event for an identifier's content
/// (a pre-hashed e-mail, an e-mail without `@`); dispatchd normalizes and drops what is
/// unusable. Only a wrong JSON type is a 400 naming the field.
@Suite("ingestd /track identifier policy (in process)")
struct TrackIdentifierPolicyTests {
    @Test("a pre-hashed e-mail and an e-mail without @ are accepted and sealed as given")
    func contentIsNotJudged() async throws {
        let digest = MetaHash.sha256Hex("someone@example.com").uppercased()
        let h = IngestRouteHarness()
        let bodies = [
            #"{"tenant":"acme","session_id":"s1","user":{"email":"\#(digest)"}}"#,
            #"{"tenant":"acme","session_id":"s2","user":{"email":"johngmail.com","phone":"12"}}"#,
        ]
        let statuses = try await h.withApp { client in
            var out: [HTTPResponse.Status] = []
            for body in bodies {
                out.append(try await client.execute(uri: "/track/lead", method: .post, body: ByteBuffer(string: body)).status)
            }
            return out
        }
        #expect(statuses == [.accepted, .accepted])
        let emails = try h.sink.appended.map { appended -> String? in
            let sealed = try #require(appended.envelope.track?.user)
            return try JSONDecoder().decode(RawUserData.self, from: try h.keys.open(sealed, for: appended.envelope.userSealContext)).email
        }
        #expect(emails == [digest, "johngmail.com"])
    }

    @Test("a wrong JSON type is still a 400 naming the field")
    func wrongTypeIsRefused() async throws {
        let h = IngestRouteHarness()
        let r = try await h.withApp { client in
            try await client.execute(uri: "/track/lead", method: .post,
                                     body: ByteBuffer(string: #"{"tenant":"acme","session_id":"s","user":{"email":["a@b.com"]}}"#))
        }
        #expect(r.status == .badRequest)
        let fields = ((r.json?["errors"] as? [[String: String]]) ?? []).compactMap { $0["field"] }
        #expect(fields == ["user.email"])
        #expect(h.sink.appended.isEmpty)
    }
}
