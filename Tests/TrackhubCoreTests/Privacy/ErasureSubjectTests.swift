import Foundation
import Testing
@testable import TrackhubCore

@Suite("erasure subject")
struct ErasureSubjectTests {
    let normalizer = UserDataNormalizer()

    @Test("identifiers are hashed exactly as the dispatch hashed them (e-mail, both phone forms, CPF as external_id)")
    func hashesLikeTheDispatch() throws {
        let s = try ErasureSubject.make(tenant: "shop", email: "  Maria.Souza@Example.COM ", phone: "(11) 98765-4321",
                                        cpf: "123.456.789-09", externalID: "CRM-77", normalizer: normalizer)
        let stored = normalizer.normalize(RawUserData(email: "maria.souza@example.com", phone: "+55 11 98765 4321"))
        #expect(s.emailHashes == stored.em)
        #expect(s.phoneHashes == stored.ph)
        #expect(s.phoneHashes.count == 2, "the 9-digit and the legacy 8-digit mobile")
        // The sale path sends the buyer's document as external_id (Conversion.buyerForHashing).
        let sale = Conversion(gateway: .hotmart, account: "main", transactionID: "HP1", status: .approved, rawEventType: "x",
                              value: 1, currency: "BRL", buyer: RawUserData(email: "x@y.z"), document: "12345678909",
                              occurredAt: Date())
        let saleHashes = normalizer.normalize(sale.buyerForHashing)
        #expect(saleHashes.externalId.allSatisfy(s.externalIDHashes.contains))
        #expect(s.externalIDHashes.contains(MetaHash.sha256Hex("crm-77")))
        #expect(s.matches(saleHashes))
        #expect(s.matches(stored))
        #expect(!s.matches(normalizer.normalize(RawUserData(email: "other@example.com"))))
    }

    @Test("raw bodies are recognised by the clear e-mail in any case and the CPF with or without punctuation")
    func needles() throws {
        let s = try ErasureSubject.make(tenant: "shop", email: "maria@example.com", cpf: "12345678909", normalizer: normalizer)
        #expect(s.appears(inBody: Array(#"{"buyer":{"email":"MARIA@Example.com"}}"#.utf8)))
        #expect(s.appears(inBody: Array(#"{"document":"123.456.789-09"}"#.utf8)))
        #expect(s.appears(inBody: Array("comprador%5Bcnpj_cpf%5D=12345678909".utf8)))
        #expect(!s.appears(inBody: Array(#"{"buyer":{"email":"mario@example.com"}}"#.utf8)))
        #expect(s.appears(inText: #"{"em":["\#(s.emailHashes[0])"]}"#))
    }

    @Test("a Telegram user: --telegram-user-id and --external-id of its hash name the same person; their updates are recognised by sender")
    func telegramUser() throws {
        let hash = TelegramUserIdentity.externalID(userID: 6_100_123_456)
        let byID = try ErasureSubject.make(tenant: "shop", telegramUserID: " 6100123456 ", normalizer: normalizer)
        let byHash = try ErasureSubject.make(tenant: "shop", externalID: hash.uppercased(), normalizer: normalizer)
        #expect(byID.externalIDHashes == [hash] && byHash.externalIDHashes == [hash])
        #expect(byID.matches(HashedUserData(externalId: [hash])))
        let start = #"{"update_id":7,"message":{"message_id":1,"from":{"id":6100123456,"is_bot":false,"first_name":"Ana"},"chat":{"id":6100123456,"type":"private"},"text":"/start x"}}"#
        let other = #"{"update_id":8,"message":{"message_id":2,"from":{"id":6100123457,"is_bot":false},"chat":{"id":6100123457,"type":"private"},"text":"oi"}}"#
        let callback = #"{"update_id":9,"callback_query":{"id":"q","from":{"id":6100123456},"message":{"message_id":3,"chat":{"id":-100}}}}"#
        #expect(byHash.sent(telegramUpdate: Array(start.utf8)) && byHash.sent(telegramUpdate: Array(callback.utf8)))
        #expect(!byHash.sent(telegramUpdate: Array(other.utf8)))
        #expect(!byHash.appears(inBody: Array(start.utf8)), "the clear id is never a needle: digits could be anything")
        for bad in ["", "abc", "-5", "0", "12a"] {
            #expect(throws: ErasureSubject.Invalid.self) { try ErasureSubject.make(tenant: "shop", telegramUserID: bad, normalizer: normalizer) }
        }
        #expect(!byID.description.contains("6100123456") && !byID.description.contains(hash))
    }

    @Test("nothing usable is refused, and the description names no identifier")
    func refusals() throws {
        #expect(throws: ErasureSubject.Invalid.self) { try ErasureSubject.make(tenant: "shop", normalizer: normalizer) }
        #expect(throws: ErasureSubject.Invalid.self) { try ErasureSubject.make(tenant: "shop", email: "not-an-email", normalizer: normalizer) }
        #expect(throws: ErasureSubject.Invalid.self) { try ErasureSubject.make(tenant: "shop", cpf: "123", normalizer: normalizer) }
        #expect(throws: ErasureSubject.Invalid.self, "a CPF with wrong check digits, as the console refuses it") {
            try ErasureSubject.make(tenant: "shop", cpf: "529.982.247-24", normalizer: normalizer)
        }
        #expect(throws: ErasureSubject.Invalid.self) { try ErasureSubject.make(tenant: "", email: "a@b.c", normalizer: normalizer) }
        let s = try ErasureSubject.make(tenant: "shop", email: "maria@example.com", phone: "11987654321", normalizer: normalizer)
        #expect(!s.description.contains("maria") && !s.description.contains(s.emailHashes[0]) && !s.description.contains("987654321"))
    }
}
