import Foundation
import Testing
import TrackhubCore

@Suite("LedgerSearchQuery: what a search box was given, hashed like the dispatch hashes it")
struct LedgerSearchQueryTests {
    @Test("an e-mail becomes the dispatch's hash of it (Meta's documented vector), never kept in clear")
    func email() {
        let q = LedgerSearchQuery.parse("  John_Smith@gmail.com ")
        #expect(q.kind == .email && q.identifier == nil)
        #expect(q.emailHashes == ["62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"])
        #expect(q.emailHashes == UserDataNormalizer().normalize(RawUserData(email: "john_smith@gmail.com")).em)
        #expect(!q.description.contains("john") && !q.description.contains("62a14e"))
    }

    @Test("a Brazilian mobile gives both forms the dispatch sends; typed with punctuation it is no order id")
    func phone() {
        let q = LedgerSearchQuery.parse("+55 (11) 98765-4321")
        let dispatch = UserDataNormalizer().normalize(RawUserData(phone: "11987654321")).ph
        #expect(q.kind == .phone && q.phoneHashes == dispatch && dispatch.count == 2)
        #expect(q.identifier == nil)
        #expect(!q.description.contains("98765"))
    }

    @Test("plain digits are searched as a phone and as an order id (Mercado Pago ids are digits)")
    func digits() {
        let q = LedgerSearchQuery.parse("11987654321")
        #expect(q.kind == .phone && q.identifier == "11987654321" && !q.phoneHashes.isEmpty)
        let short = LedgerSearchQuery.parse("1234567")
        #expect(short.kind == .identifier && short.identifier == "1234567" && short.phoneHashes.isEmpty)
    }

    @Test("each tenant's normaliser is used: a number without a country code hashes per default calling code")
    func perTenantNormalizers() {
        let br = UserDataNormalizer(defaultCountryCallingCode: "55", defaultCountry: "br")
        let us = UserDataNormalizer(defaultCountryCallingCode: "1", defaultCountry: "us")
        let q = LedgerSearchQuery.parse("(650) 555-1212", normalizers: [br, us])
        #expect(q.phoneHashes.contains("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"))
        #expect(Set(q.phoneHashes).count == q.phoneHashes.count)
    }

    @Test("order ids, click ids and event ids are identifiers; blank input is empty; a pasted hash is searched every way")
    func identifiers() {
        #expect(LedgerSearchQuery.parse("HP17234567890") == LedgerSearchQuery(kind: .identifier, identifier: "HP17234567890"))
        #expect(LedgerSearchQuery.parse("hotmart.HP123").identifier == "hotmart.HP123")
        #expect(LedgerSearchQuery.parse("   ").kind == .empty)
        #expect(LedgerSearchQuery.parse(String(repeating: "x", count: 500)).kind == .empty)
        let hash = "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"
        let q = LedgerSearchQuery.parse(hash)
        #expect(q.identifier == hash && q.emailHashes == [hash] && q.phoneHashes == [hash])
    }

    @Test("an @ that is no e-mail is searched as an identifier")
    func notAnEmail() {
        let q = LedgerSearchQuery.parse("@@")
        #expect(q.kind == .identifier && q.identifier == "@@")
    }
}
