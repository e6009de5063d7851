import Foundation
import Testing
@_spi(PurposeOnlySeal) @testable import TrackhubCore

@Suite("KeyRing and Sealed")
struct SecurityTests {
    @Test("seal/open round trip, with the key id beside the ciphertext")
    func roundTrip() throws {
        let ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let context = SealContext.pixelToken(tenant: "t1", pixel: "p1")
        let sealed = try ring.seal(string: "token-123", for: context)
        #expect(sealed.keyID == "k1")
        #expect(sealed.form == .bound && sealed.text.hasPrefix("v2.k1."))
        #expect(!sealed.text.contains("token-123"))
        #expect(try ring.openString(sealed, for: context) == "token-123")
        #expect("\(sealed)" == "Sealed(key: k1)")
    }

    @Test("the wrong purpose or a tampered ciphertext fails authentication")
    func tamper() throws {
        let ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let context = SealContext.gatewaySecret(tenant: "t1", gateway: "hotmart", account: "main")
        let sealed = try ring.seal(string: "secret", for: context)
        #expect(throws: Sealed.SealError(.authenticationFailed)) {
            try ring.open(sealed, for: .gatewayAPIToken(tenant: "t1", gateway: "hotmart", account: "main"))
        }
        var chars = Array(sealed.text)
        chars[chars.count - 2] = chars[chars.count - 2] == "A" ? "B" : "A"
        #expect(throws: Sealed.SealError(.authenticationFailed)) { try ring.open(Sealed(text: String(chars)), for: context) }
        #expect(throws: Sealed.SealError(.malformed)) { try ring.open(Sealed(text: "v3." + sealed.text.dropFirst(3)), for: context) }
    }

    @Test("a value sealed for record A does not open for record B, nor for the same record of tenant T2")
    func boundToTenantAndRecord() throws {
        let ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let pairs: [(SealContext, [SealContext])] = [
            (.pixelToken(tenant: "t1", pixel: "A"), [.pixelToken(tenant: "t1", pixel: "B"), .pixelToken(tenant: "t2", pixel: "A")]),
            (.gatewaySecret(tenant: "t1", gateway: "hotmart", account: "a"),
             [.gatewaySecret(tenant: "t1", gateway: "hotmart", account: "b"), .gatewaySecret(tenant: "t1", gateway: "kiwify", account: "a"),
              .gatewaySecret(tenant: "t2", gateway: "hotmart", account: "a")]),
            (.webhookBody(tenant: "t1", envelope: "e1"), [.webhookBody(tenant: "t1", envelope: "e2"), .webhookBody(tenant: "t2", envelope: "e1"),
                                                          .envelopeUser(tenant: "t1", envelope: "e1")]),
            (.envelopeUser(tenant: "t1", envelope: "e1"), [.envelopeUser(tenant: "t1", envelope: "e2"), .envelopeUser(tenant: "t2", envelope: "e1")]),
            (.consoleSecret(tenant: "t1", variable: "TH_A"), [.consoleSecret(tenant: "t1", variable: "TH_B"), .consoleSecret(tenant: "t2", variable: "TH_A")]),
            (.adAccountToken(tenant: "t1", account: "act_1"), [.adAccountToken(tenant: "t1", account: "act_2"), .adAccountToken(tenant: "t2", account: "act_1")]),
            (.alertBotToken(scope: "t1"), [.alertBotToken(scope: "t2"), .alertBotToken(scope: "*")]),
        ]
        for (context, others) in pairs {
            let sealed = try ring.seal(string: "value", for: context)
            #expect(try ring.openString(sealed, for: context) == "value")
            for other in others {
                #expect(throws: Sealed.SealError(.authenticationFailed), "\(context) opened as \(other)") { try ring.open(sealed, for: other) }
            }
        }
    }

    @Test("the associated data is built in one place, unambiguously: parts are length-prefixed")
    func associatedData() {
        let a = SealContext.gatewaySecret(tenant: "t", gateway: "a", account: "b:c")
        let b = SealContext.gatewaySecret(tenant: "t", gateway: "a:b", account: "c")
        #expect(a.associatedData != b.associatedData)
        #expect(SealContext.gatewaySecret(tenant: "t1", gateway: "", account: "x").associatedData
                != SealContext.gatewaySecret(tenant: "t", gateway: "1", account: "x").associatedData)
        #expect(String(decoding: SealContext.pixelToken(tenant: "t1", pixel: "p1").associatedData, as: UTF8.self)
                == "trackhub.seal.v2\u{1F}11:pixel.token\u{1F}2:t1\u{1F}2:p1")
        #expect(SealContext.webhookBody(tenant: "t1", envelope: "e1").purposeOnlyData == Data("envelope.webhook".utf8))
        #expect("\(SealContext.envelopeUser(tenant: "t1", envelope: "secret-id"))" == "SealContext(envelope.user, tenant: t1)")
    }

    @Test("a purpose-only (v1) value sealed before binding still opens for any record of its purpose, unless refused")
    func purposeOnlyFallback() throws {
        var ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let old = try ring.sealPurposeOnly(Data("body".utf8), for: .webhookBody(tenant: "t1", envelope: "e1"))
        #expect(old.form == .purposeOnly && old.text.hasPrefix("v1.k1."))
        #expect(try ring.openString(old, for: .webhookBody(tenant: "t1", envelope: "e1")) == "body")
        // v1 carried only the purpose: that is exactly the gap the bound form closes.
        #expect(try ring.openString(old, for: .webhookBody(tenant: "t2", envelope: "e9")) == "body")
        #expect(throws: Sealed.SealError(.authenticationFailed)) { try ring.open(old, for: .envelopeUser(tenant: "t1", envelope: "e1")) }
        ring.acceptsPurposeOnly = false
        #expect(throws: Sealed.SealError(.purposeOnlyRefused)) { try ring.open(old, for: .webhookBody(tenant: "t1", envelope: "e1")) }
        let bound = try ring.seal(Data("body".utf8), for: .webhookBody(tenant: "t1", envelope: "e1"))
        #expect(try ring.openString(bound, for: .webhookBody(tenant: "t1", envelope: "e1")) == "body")
    }

    @Test("rotation's decision: purpose-only or old-key values are re-sealed bound under the active key; done ones are left")
    func resealDecision() throws {
        let old = KeyRing.generateKeyLine(id: "k1")
        let ring1 = try KeyRing.parse(old, path: "mem")
        let ring2 = try KeyRing.parse(KeyRing.generateKeyLine(id: "k2") + "\n" + old, path: "mem")
        let rotation = KeyRotation(keys: ring2, layout: StreamLayout(prefix: "th"))
        let context = SealContext.pixelToken(tenant: "t1", pixel: "p1")
        #expect(rotation.donePrefix == "v2.k2.")
        for value in [try ring1.sealPurposeOnly(Data("tok".utf8), for: context), try ring1.seal(string: "tok", for: context),
                      try ring2.sealPurposeOnly(Data("tok".utf8), for: context)] {
            let new = try #require(try rotation.resealed(value, for: context))
            #expect(new.text.hasPrefix("v2.k2.") && new.form == .bound)
            #expect(try ring2.openString(new, for: context) == "tok")
        }
        #expect(try rotation.resealed(try ring2.seal(string: "tok", for: context), for: context) == nil)
        // A value copied from another record does not open there: rotation fails rather than launder it.
        #expect(throws: Sealed.SealError(.authenticationFailed)) {
            try rotation.resealed(try ring1.seal(string: "tok", for: .pixelToken(tenant: "t1", pixel: "p2")), for: context)
        }
    }

    @Test("rotation: a new active key still opens values sealed by the old one")
    func rotation() throws {
        let old = KeyRing.generateKeyLine(id: "old")
        let ring1 = try KeyRing.parse(old, path: "mem")
        let context = SealContext.consoleSecret(tenant: "t1", variable: "TH_X")
        let sealed = try ring1.seal(string: "s", for: context)
        let ring2 = try KeyRing.parse(KeyRing.generateKeyLine(id: "new") + "\n" + old, path: "mem")
        #expect(ring2.activeKeyID == "new")
        #expect(try ring2.openString(sealed, for: context) == "s")
        #expect(try ring2.seal(string: "s", for: context).keyID == "new")
    }

    @Test("a malformed key file names the line")
    func malformed() {
        #expect(throws: KeyRing.LoadError.self) { try KeyRing.parse("k1:not-base64", path: "f") }
        #expect(throws: KeyRing.LoadError.self) { try KeyRing.parse("# only a comment\n", path: "f") }
    }

    @Test("a key file group or others can read is refused, naming the file and the chmod to run")
    func permissions() throws {
        let path = FileManager.default.temporaryDirectory.path + "/trackhub-key-\(UUID().uuidString).key"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data((KeyRing.generateKeyLine(id: "k1") + "\n").utf8),
                                               attributes: [.posixPermissions: 0o644]))
        do {
            _ = try KeyRing.load(path: path)
            Issue.record("a 0644 key file was loaded")
        } catch let error as KeyRing.LoadError {
            #expect(error.kind == .tooOpen)
            #expect(error.description == "master key file \(path) is readable or writable by group or others (mode 644); run: chmod 600 \(path)")
        }
        for mode in [0o640, 0o604, 0o620] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            #expect(throws: KeyRing.LoadError.self) { try KeyRing.load(path: path) }
        }
        for mode in [0o600, 0o400] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            #expect(try KeyRing.load(path: path).activeKeyID == "k1")
        }
    }
}
