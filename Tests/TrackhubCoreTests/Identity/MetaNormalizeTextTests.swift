import Testing
@testable import TrackhubCore

@Suite("MetaNormalize: email, names, city, gender, external_id")
struct MetaNormalizeTextTests {
    @Test("Email: trimmed and lowercased", arguments: [
        (" John_Smith@Gmail.com ", "john_smith@gmail.com"),
        ("MARIA@UOL.COM.BR", "maria@uol.com.br"),
        ("mailto:a@b.co", "a@b.co"),
        ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
        ("josé@exemplo.com.br", "josé@exemplo.com.br"),
    ])
    func validEmails(_ input: String, _ expected: String) {
        #expect(MetaNormalize.email(input) == expected)
    }

    @Test("Email: what is not an address is dropped", arguments: [
        "", "   ", "n/a", "john", "john@", "@gmail.com", "john@gmail", "john@@gmail.com", "john@x@gmail.com",
        "john smith@gmail.com", "john@gmail.c", "john@.com", "john@gmail..com", "john@gmail.com.", "john@10.0.0.1",
        "11987654321",
    ])
    func invalidEmails(_ input: String) {
        #expect(MetaNormalize.email(input) == nil)
    }

    @Test("Names: lowercase letters only, accents kept", arguments: [
        ("Mary", "mary"),
        ("Valéry", "valéry"),
        ("D'Ávila", "dávila"),
        ("Silva-Santos", "silvasantos"),
        ("  José  Maria ", "josémaria"),
        ("O'Neil Jr.", "oneiljr"),
        ("Anne-Marie 2", "annemarie"),
        ("Ñuñez", "ñuñez"),
        ("Zoe\u{308}", "zoë"),
        ("ÇAĞLAR", "çağlar"),
        ("Владимир", "владимир"),
    ])
    func names(_ input: String, _ expected: String) {
        #expect(MetaNormalize.name(input) == expected)
    }

    @Test("Names: nothing left means nil", arguments: ["", "  ", "123", "-.'", "😀"])
    func emptyNames(_ input: String) {
        #expect(MetaNormalize.name(input) == nil)
    }

    @Test("City: letters only, accents kept", arguments: [
        ("São Paulo", "sãopaulo"),
        ("New York", "newyork"),
        ("Rio de Janeiro - RJ", "riodejaneirorj"),
        ("St. Louis", "stlouis"),
        ("Brasília", "brasília"),
        ("Itaquaquecetuba 2", "itaquaquecetuba"),
    ])
    func cities(_ input: String, _ expected: String) {
        #expect(MetaNormalize.city(input) == expected)
        #expect(MetaNormalize.city("1234") == nil)
    }

    @Test("Gender: m/f from common words", arguments: [
        ("M", "m"), ("male", "m"), ("Masculino", "m"), (" masc ", "m"), ("Homem", "m"),
        ("F", "f"), ("FEMALE", "f"), ("feminino", "f"), ("Mulher", "f"), ("femenino", "f"),
    ])
    func genders(_ input: String, _ expected: String) {
        #expect(MetaNormalize.gender(input) == expected)
    }

    @Test("Gender: anything else is dropped", arguments: ["", "x", "other", "outro", "não informado", "mf"])
    func unknownGenders(_ input: String) {
        #expect(MetaNormalize.gender(input) == nil)
    }

    @Test("external_id: trimmed and lowercased")
    func externalId() {
        #expect(MetaNormalize.externalId(" Cust-1 ") == "cust-1")
        #expect(MetaNormalize.externalId("  ") == nil)
        #expect(MetaNormalize.externalId(nil) == nil)
    }
}
