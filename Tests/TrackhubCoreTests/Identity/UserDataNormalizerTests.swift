import Foundation
import Testing
@testable import TrackhubCore

@Suite("UserDataNormalizer: Meta's documented vectors and composition")
struct UserDataNormalizerTests {
    let normalizer = UserDataNormalizer()
    let now = MetaTestSupport.now

    // MARK: Meta's documented vectors (reference §1.6)

    @Test("em: John_Smith@gmail.com")
    func emailVector() {
        let out = normalizer.normalize(RawUserData(email: "  John_Smith@gmail.com "), now: now)
        #expect(out.em == ["62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"])
    }

    @Test("ph: +1 (650) 555-1212, and (650)555-1212 with calling code 1")
    func phoneVector() {
        let expected = ["e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"]
        #expect(normalizer.normalize(RawUserData(phone: "+1 (650) 555-1212"), now: now).ph == expected)
        let us = UserDataNormalizer(defaultCountryCallingCode: "1", defaultCountry: "us")
        #expect(us.normalize(RawUserData(phone: "(650)555-1212"), now: now).ph == expected)
    }

    @Test("fn: Mary, Valéry (composed and decomposed accents)")
    func nameVectors() {
        #expect(normalizer.normalize(RawUserData(firstName: "Mary"), now: now).fn
            == ["6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec"])
        let valery = "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c"
        #expect(normalizer.normalize(RawUserData(firstName: "Valéry"), now: now).fn == [valery])
        #expect(normalizer.normalize(RawUserData(firstName: "Vale\u{301}ry"), now: now).fn == [valery])
    }

    @Test("db: 2/16/1997 -> 19970216 (US order, and BR default falling back because 16 is no month)")
    func dateOfBirthVector() {
        let expected = ["01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c"]
        #expect(normalizer.normalize(RawUserData(dateOfBirth: "2/16/1997"), now: now).db == expected)
        #expect(normalizer.normalize(RawUserData(country: "US", dateOfBirth: "2/16/1997"), now: now).db == expected)
        #expect(normalizer.normalize(RawUserData(dateOfBirth: "16/02/1997"), now: now).db == expected)
    }

    @Test("ge: f and m")
    func genderVectors() {
        #expect(normalizer.normalize(RawUserData(gender: "Feminino"), now: now).ge
            == ["252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"])
        #expect(normalizer.normalize(RawUserData(gender: "male"), now: now).ge
            == ["62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a"])
    }

    @Test("country: United States -> us, BR/Brasil -> br")
    func countryVectors() {
        #expect(normalizer.normalize(RawUserData(country: "United States"), now: now).country
            == ["79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621"])
        let br = ["885036a0da3dff3c3e05bc79bf49382b12bc5098514ed57ce0875aba1aa2c40d"]
        #expect(normalizer.normalize(RawUserData(country: "BR"), now: now).country == br)
        #expect(normalizer.normalize(RawUserData(country: "Brasil"), now: now).country == br)
    }

    @Test("ph: +55 (11) 98765-4321 -> 5511987654321 (029c7290…) plus the legacy 8-digit form")
    func brazilianPhoneVector() {
        let modern = "029c7290f14c4516673508635f0519db95f7daf42057fd0e4ad1de84c5408a66"
        let legacy = MetaHash.sha256Hex("551187654321")
        #expect(normalizer.normalize(RawUserData(phone: "+55 (11) 98765-4321"), now: now).ph == [modern, legacy])
        #expect(normalizer.normalize(RawUserData(phone: "(11) 98765-4321"), now: now).ph == [modern, legacy])
        let single = UserDataNormalizer(brazilMobileBothForms: false)
        #expect(single.normalize(RawUserData(phone: "(11) 98765-4321"), now: now).ph == [modern])
    }

    @Test("ct/st/zp: newyork, ca, 94035")
    func addressVectors() {
        let out = normalizer.normalize(
            RawUserData(city: "New York", state: "CA", zip: "94035", country: "us"), now: now)
        #expect(out.ct == [MetaHash.sha256Hex("newyork")])
        #expect(out.st == ["6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126"])
        #expect(out.zp == ["1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e"])
    }

    static let documentedVectors: [(RawUserData, HashedUserData.Key, String)] = [
        (RawUserData(city: "São Paulo"), .ct, "3eda1428ae1aece064071f8d40f08fe2bc59ffa66c171a163caf15122ec4d7f0"),
        (RawUserData(state: "São Paulo", country: "br"), .st, "be18b85f77fc024db379acf19e8a1ce62307ab7bb1bca395389ecfc2dafaf741"),
        (RawUserData(zip: "01310-100"), .zp, "9a4a139dfbfcd2fc89a3cb4302dad65a35abd8d29a56c09a962b69c5cf3bca40"),
        (RawUserData(lastName: "D'Ávila"), .ln, "d02479935c41ea85efe078b88d2efc87541c0d02fef38b91e99ffa802da6e421"),
        (RawUserData(externalId: " Cust-1 "), .externalId, "21d120906fd394b11c7a5ea3e84254bb8b1bf5f918ea5079e8eb7fe9f12907bd"),
        (RawUserData(city: "New York"), .ct, "350c754ba4d38897693aa077ef43072a859d23f613443133fecbbd90a3512ca5"),
    ]

    @Test("Our own vectors in docs/NORMALIZATION.md", arguments: documentedVectors)
    func documentedVector(_ raw: RawUserData, _ key: HashedUserData.Key, _ digest: String) {
        #expect(normalizer.normalize(raw, now: now)[key] == [digest])
    }

    @Test("The SDK's country-code-less phone hash is never what we send")
    func sdkPhoneCounterExample() {
        let sdk = "5eed6d50c9a69704a9a72b4af7d14d04d33e4460039e101b525f5d4f8a106a38"
        #expect(MetaHash.sha256Hex("6505551212") == sdk)
        for config in [UserDataNormalizer(), UserDataNormalizer(defaultCountryCallingCode: "1", defaultCountry: "us")] {
            #expect(!config.normalize(RawUserData(phone: "(650)555-1212"), now: now).ph.contains(sdk))
        }
    }

    // MARK: Composition

    @Test("A full Brazilian checkout record normalizes field by field")
    func fullBrazilianRecord() {
        let raw = RawUserData(
            email: " Maria.Silva@Gmail.COM ", phone: "(11) 98765-4321", firstName: "Maria José",
            lastName: "D'Ávila", city: "São Paulo", state: "São Paulo", zip: "01310-100", country: "Brasil",
            dateOfBirth: "16/02/1997", gender: "Feminino", externalId: " Cust-42 ")
        let plain = normalizer.normalizedValues(raw, now: now)
        #expect(plain.em == ["maria.silva@gmail.com"])
        #expect(plain.ph == ["5511987654321", "551187654321"])
        #expect(plain.fn == ["mariajosé"])
        #expect(plain.ln == ["dávila"])
        #expect(plain.ct == ["sãopaulo"])
        #expect(plain.st == ["sp"])
        #expect(plain.zp == ["01310100"])
        #expect(plain.country == ["br"])
        #expect(plain.db == ["19970216"])
        #expect(plain.ge == ["f"])
        #expect(plain.externalId == ["cust-42"])

        let hashed = normalizer.normalize(raw, now: now)
        for key in HashedUserData.Key.allCases {
            #expect(hashed[key] == plain[key].map(MetaHash.sha256Hex), "key \(key.rawValue)")
        }
    }

    @Test("external_id is trimmed, lowercased and hashed (the SDK would send it raw)")
    func externalIdIsHashed() {
        let out = normalizer.normalize(RawUserData(externalId: " Cust-1 "), now: now)
        #expect(out.externalId == [MetaHash.sha256Hex("cust-1")])
    }

    @Test("Values that already are SHA-256 digests pass through, trimmed and lowercased, never re-hashed")
    func alreadyHashedPassThrough() {
        let digest = MetaHash.sha256Hex("john_smith@gmail.com")
        let raw = RawUserData(
            email: " \(digest.uppercased()) ", phone: digest, firstName: digest, country: digest, externalId: digest)
        let out = normalizer.normalize(raw, now: now)
        #expect(out.em == [digest])
        #expect(out.ph == [digest])
        #expect(out.fn == [digest])
        #expect(out.country == [digest])
        #expect(out.externalId == [digest])
    }

    @Test("Unusable values are dropped, not hashed")
    func unusableValuesDropped() {
        let raw = RawUserData(
            email: "n/a", phone: "sem telefone", firstName: "  ", lastName: "123", city: "---", state: "",
            zip: "-", country: "Atlantis", dateOfBirth: "31/02/1997", gender: "prefiro não dizer", externalId: " ")
        let out = normalizer.normalize(raw, now: now)
        #expect(out.isEmpty)
        #expect(out == HashedUserData())
    }

    @Test("The default country is sent when none is given, unless disabled or contradicted by the phone")
    func defaultCountry() {
        let br = [MetaHash.sha256Hex("br")]
        #expect(normalizer.normalize(RawUserData(email: "a@b.com"), now: now).country == br)
        #expect(normalizer.normalize(RawUserData(phone: "+55 11 98765-4321"), now: now).country == br)
        #expect(normalizer.normalize(RawUserData(phone: "+1 650 555 1212"), now: now).country.isEmpty)
        let quiet = UserDataNormalizer(configuration: .init(emitDefaultCountry: false))
        #expect(quiet.normalize(RawUserData(email: "a@b.com"), now: now).country.isEmpty)
        // A country that was given but is unknown is not replaced by the default.
        #expect(normalizer.normalize(RawUserData(country: "Atlantis"), now: now).country.isEmpty)
    }

    @Test("The country context picks state table, ZIP rule and date order")
    func countryContext() {
        let us = normalizer.normalizedValues(
            RawUserData(state: "California", zip: "94035-1234", country: "USA", dateOfBirth: "02/03/1997"), now: now)
        #expect(us.st == ["ca"])
        #expect(us.zp == ["94035"])
        #expect(us.db == ["19970203"])
        let br = normalizer.normalizedValues(
            RawUserData(state: "Rio Grande do Sul", zip: "90010-150", dateOfBirth: "02/03/1997"), now: now)
        #expect(br.st == ["rs"])
        #expect(br.zp == ["90010150"])
        #expect(br.db == ["19970302"])
        // A foreign phone removes the Brazilian default, so the state is not mapped to a UF.
        let foreign = normalizer.normalizedValues(RawUserData(phone: "+44 7911 123456", state: "São Paulo"), now: now)
        #expect(foreign.st == ["sãopaulo"])
    }

    @Test("Configuration cleans its inputs")
    func configurationIsCleaned() {
        let config = UserDataNormalizer.Configuration(defaultCountryCallingCode: "+55", defaultCountry: "Brasil")
        #expect(config.defaultCountryCallingCode == "55")
        #expect(config.defaultCountry == "br")
        #expect(UserDataNormalizer.Configuration(defaultCountry: "Nowhere").defaultCountry == "")
        #expect(UserDataNormalizer().configuration == UserDataNormalizer.Configuration())
    }

    @Test("HashedUserData de-duplicates, merges and encodes with Meta's keys, omitting empty ones")
    func hashedUserDataShape() throws {
        let a = HashedUserData(em: ["e1", "e1", ""], ph: ["p1"])
        #expect(a.em == ["e1"])
        let merged = a.merging(HashedUserData(em: ["e2", "e1"], externalId: ["x"]))
        #expect(merged.em == ["e1", "e2"])
        #expect(merged.ph == ["p1"])
        #expect(merged.externalId == ["x"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = MetaTestSupport.utf8(try encoder.encode(merged))
        #expect(json == #"{"em":["e1","e2"],"external_id":["x"],"ph":["p1"]}"#)
        #expect(try JSONDecoder().decode(HashedUserData.self, from: Data(json.utf8)) == merged)
    }

    @Test("RawUserData's description never shows the personal data")
    func rawUserDataIsRedacted() {
        let raw = RawUserData(
            email: "john.smith@gmail.com", phone: "+55 11 98765-4321", firstName: "John", lastName: "Smith",
            city: "Campinas", externalId: "cust-9")
        let text = "\(raw) \(String(reflecting: raw))"
        for secret in ["john.smith", "98765", "John", "Smith", "Campinas", "cust-9"] {
            #expect(!text.contains(secret), "leaked \(secret)")
        }
        #expect(text.contains("j***@g***.com"))
        #expect(text.contains("***21"))
        #expect(!raw.isEmpty)
        #expect(RawUserData(email: "  ").isEmpty)
    }

    @Test("RawUserData round-trips through JSON (it is stored sealed in envelopes)")
    func rawUserDataCodable() throws {
        let raw = RawUserData(email: "a@b.com", phone: "1", dateOfBirth: "1997-02-16", externalId: "x")
        let decoded = try JSONDecoder().decode(RawUserData.self, from: JSONEncoder().encode(raw))
        #expect(decoded == raw)
    }
}
