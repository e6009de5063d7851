import Foundation
import Testing
@testable import TrackhubCore

@Suite("ingest key check: the snapshot's hashes, constant time, one reason per refusal")
struct IngestKeyCheckTests {
    static let keyA = APIKeyStore.generate(.ingest)
    static let keyB = APIKeyStore.generate(.ingest)
    static let live = [IngestKeyCheck.LiveKey(hash: APIKeyStore.hash(keyA), tenant: "shop"),
                       IngestKeyCheck.LiveKey(hash: APIKeyStore.hash(keyB), tenant: "other")]

    @Test("a live key names its tenant; the scheme is case-insensitive")
    func accepted() {
        #expect(Self.keyA.hasPrefix("ths_") && Self.keyA.utf8.count == 68)
        #expect(IngestKeyCheck.check(authorization: "Bearer " + Self.keyA, keys: Self.live) == .accepted(tenant: "shop"))
        #expect(IngestKeyCheck.check(authorization: "bearer " + Self.keyB, keys: Self.live) == .accepted(tenant: "other"))
    }

    @Test("refusals: missing, not an ingest key (a read key, another scheme, too long), unknown or revoked")
    func rejected() {
        #expect(IngestKeyCheck.check(authorization: nil, keys: Self.live) == .rejected(.missing))
        #expect(IngestKeyCheck.check(authorization: "", keys: Self.live) == .rejected(.missing))
        #expect(IngestKeyCheck.check(authorization: "Bearer " + APIKeyStore.generate(.read), keys: Self.live) == .rejected(.malformed))
        #expect(IngestKeyCheck.check(authorization: "Basic " + Self.keyA, keys: Self.live) == .rejected(.malformed))
        #expect(IngestKeyCheck.check(authorization: "Bearer " + Self.keyA + String(repeating: "0", count: 64), keys: Self.live)
                == .rejected(.malformed))
        #expect(IngestKeyCheck.check(authorization: "Bearer " + APIKeyStore.generate(.ingest), keys: Self.live) == .rejected(.unknown))
        #expect(IngestKeyCheck.check(authorization: "Bearer " + Self.keyA, keys: [Self.live[1]]) == .rejected(.unknown), "revoked")
        #expect(IngestKeyCheck.check(authorization: "Bearer " + Self.keyA, keys: []) == .rejected(.unknown))
    }

    @Test("the snapshot carries only hashes, and an older snapshot without them reads as no keys")
    func snapshot() throws {
        let s = IngestSnapshot(version: 1, generatedAt: "t", tenants: [.init(id: "shop", allowedOrigins: [], ingestKeyHashes: [APIKeyStore.hash(Self.keyA)])],
                               links: [], gatewayAccounts: [])
        let text = String(decoding: try s.encoded(), as: UTF8.self)
        #expect(!text.contains(Self.keyA))
        #expect(try IngestSnapshot.decode(try s.encoded()) == s)
        let old = #"{"version":1,"generatedAt":"t","tenants":[{"id":"shop","allowedOrigins":[]}],"links":[],"gatewayAccounts":[]}"#
        #expect(try IngestSnapshot.decode(Data(old.utf8)).tenants.first?.ingestKeyHashes == [])
        let compiled = try CompiledSnapshot(s, keys: KeyRing(keys: [("k1", Array(repeating: 7, count: 32))]))
        #expect(IngestKeyCheck.check(authorization: "Bearer " + Self.keyA, keys: compiled.ingestKeys) == .accepted(tenant: "shop"))
    }
}
