import Foundation
import Testing
@testable import TrackhubCore

/// Issue 15 item 3: one policy for every identifier (docs/NORMALIZATION.md, "One policy for
/// every identifier"): hashes pass through lowercased for every key, an invalid value drops
/// that key only and is reported as dropped, ZIP+4 keeps 5 digits, a CEP keeps 8.
@Suite("Identifier policy")
struct IdentifierPolicyTests {
    let normalizer = UserDataNormalizer()
    let now = MetaTestSupport.now

    @Test("An uppercase SHA-256 hex passes through lowercased for every key, e-mail included")
    func hashesPassThroughEverywhere() {
        let digest = MetaHash.sha256Hex("someone@example.com")
        let given = " \(digest.uppercased()) "
        let raw = RawUserData(email: given, phone: given, firstName: given, lastName: given, city: given, state: given,
                              zip: given, country: given, dateOfBirth: given, gender: given, externalId: given)
        let out = normalizer.normalize(raw, now: now)
        for key in HashedUserData.Key.allCases {
            #expect(out[key] == [digest], "\(key.rawValue)")
        }
        #expect(UserDataDrops.dropped(raw, out).isEmpty)
    }

    @Test("A phone is read in the buyer's own country's plan when the country is known", arguments: [
        ("(650) 555-1212", "US", "16505551212"),
        ("1 (694) 674-8659", "US", "16946748659"),
        ("1 (694) 674-8659", "Estados Unidos", "16946748659"),
        ("912 345 678", "Portugal", "351912345678"),
        ("07911 123456", "gb", "447911123456"),
        ("(11) 98765-4321", "BR", "5511987654321"),
        ("+55 11 98765-4321", "US", "5511987654321"),   // a "+" says the country itself
    ])
    func buyerCountryPhone(phone: String, country: String, expected: String) {
        let out = normalizer.normalize(RawUserData(phone: phone, country: country), now: now)
        #expect(out.ph.first == MetaHash.sha256Hex(expected))
        // A US number is never read as a Brazilian mobile.
        #expect(!out.ph.contains(MetaHash.sha256Hex("55" + expected.dropFirst())))
    }

    @Test("Without the buyer's country the tenant default applies only to a number that fits its plan; an ambiguous one is dropped and reported")
    func ambiguousPhoneDropped() {
        for phone in ["1 694 674 8659", "16946748659", "1 (694) 674-8659", "(650) 555-1212"] {
            let raw = RawUserData(email: "ana@example.com", phone: phone)
            let out = normalizer.normalize(raw, now: now)
            #expect(out.ph.isEmpty, "\(phone)")
            #expect(out.em.count == 1)
            #expect(UserDataDrops.dropped(raw, out) == [.ph])
        }
        #expect(normalizer.normalize(RawUserData(phone: "(16) 94674-8659"), now: now).ph.first == MetaHash.sha256Hex("5516946748659"))
    }

    @Test("An invalid value drops its key only; the others are kept and the drops are reported")
    func invalidDropsOnlyThatKey() {
        let raw = RawUserData(email: "john@gmail", phone: "12", firstName: "Maria", city: "São Paulo",
                              zip: "01310-100", dateOfBirth: "31/02/1997", gender: "talvez")
        let out = normalizer.normalize(raw, now: now)
        #expect(out.em.isEmpty && out.ph.isEmpty && out.db.isEmpty && out.ge.isEmpty)
        #expect(out.fn == [MetaHash.sha256Hex("maria")])
        #expect(out.ct == [MetaHash.sha256Hex("sãopaulo")])
        #expect(out.zp == [MetaHash.sha256Hex("01310100")])
        #expect(UserDataDrops.dropped(raw, out) == [.em, .ph, .db, .ge])
    }

    @Test("An e-mail without @ is dropped like any other invalid e-mail, never an error")
    func emailWithoutAt() {
        let raw = RawUserData(email: "johngmail.com", firstName: "John")
        let out = normalizer.normalize(raw, now: now)
        #expect(out.em.isEmpty)
        #expect(out.fn == [MetaHash.sha256Hex("john")])
        #expect(UserDataDrops.dropped(raw, out) == [.em])
    }

    @Test("Blank values and a defaulted country are not drops")
    func blanksAreNotDrops() {
        let raw = RawUserData(email: "a@b.com", phone: "  ", lastName: "")
        let out = normalizer.normalize(raw, now: now)
        #expect(out.country == [MetaHash.sha256Hex("br")])
        #expect(UserDataDrops.dropped(raw, out).isEmpty)
        #expect(UserDataDrops.dropped(RawUserData(country: "Atlantis"), normalizer.normalize(RawUserData(country: "Atlantis"), now: now)) == [.country])
    }

    @Test("ZIP+4 keeps the first 5 digits, with or without a country (the tenant default is br)", arguments: [
        ("94035-1234", "", "94035"),
        ("94035-1234", "us", "94035"),
        ("94035 - 1234", "", "94035"),
        ("02134-0001", "", "02134"),
    ])
    func zipPlus4(_ input: String, _ country: String, _ expected: String) {
        let out = normalizer.normalizedValues(RawUserData(zip: input, country: country.isEmpty ? nil : country), now: now)
        #expect(out.zp == [expected])
    }

    @Test("A Brazilian CEP keeps its 8 digits, dash or not, leading zero restored", arguments: [
        ("01310-100", "01310100"),
        ("01310100", "01310100"),
        ("1310100", "01310100"),
        (" 04101-300 ", "04101300"),
    ])
    func cep(_ input: String, _ expected: String) {
        #expect(normalizer.normalizedValues(RawUserData(zip: input, country: "BR"), now: now).zp == [expected])
        #expect(normalizer.normalizedValues(RawUserData(zip: input), now: now).zp == [expected])
    }
}
