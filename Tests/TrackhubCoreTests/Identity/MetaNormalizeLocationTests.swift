import Testing
@testable import TrackhubCore

@Suite("MetaNormalize: country, state, zip")
struct MetaNormalizeLocationTests {
    @Test("Country: alpha-2 from codes and names", arguments: [
        ("BR", "br"), ("br", "br"), (" bra ", "br"), ("Brasil", "br"), ("BRAZIL", "br"), ("Brazil ", "br"),
        ("República Federativa do Brasil", "br"),
        ("United States", "us"), ("USA", "us"), ("EUA", "us"), ("Estados Unidos", "us"),
        ("UK", "gb"), ("Reino Unido", "gb"), ("GB", "gb"),
        ("Portugal", "pt"), ("Alemanha", "de"), ("Côte d'Ivoire", "ci"), ("South Korea", "kr"),
        ("Bolivia", "bo"), ("México", "mx"),
    ])
    func countries(_ input: String, _ expected: String) {
        #expect(MetaNormalize.country(input) == expected)
    }

    @Test("Country: unknown values are dropped", arguments: ["", "XX", "Atlantis", "Brasill", "B", "123", "América"])
    func unknownCountries(_ input: String) {
        #expect(MetaNormalize.country(input) == nil)
    }

    @Test("Country table covers ISO 3166-1")
    func countryTable() {
        #expect(MetaGeo.alpha2.count == 249)
        #expect(MetaGeo.alpha2ByAlpha3.count == 249)
    }

    /// The 27 federative units as people write them, independent of the generated table.
    static let brazilianStates: [(String, String)] = [
        ("Acre", "ac"), ("Alagoas", "al"), ("Amapá", "ap"), ("Amazonas", "am"), ("Bahia", "ba"),
        ("Ceará", "ce"), ("Distrito Federal", "df"), ("Espírito Santo", "es"), ("Goiás", "go"),
        ("Maranhão", "ma"), ("Mato Grosso", "mt"), ("Mato Grosso do Sul", "ms"), ("Minas Gerais", "mg"),
        ("Pará", "pa"), ("Paraíba", "pb"), ("Paraná", "pr"), ("Pernambuco", "pe"), ("Piauí", "pi"),
        ("Rio de Janeiro", "rj"), ("Rio Grande do Norte", "rn"), ("Rio Grande do Sul", "rs"),
        ("Rondônia", "ro"), ("Roraima", "rr"), ("Santa Catarina", "sc"), ("São Paulo", "sp"),
        ("Sergipe", "se"), ("Tocantins", "to"),
    ]

    @Test("State: every Brazilian UF by name, unaccented name and code")
    func brazilianStatesMap() {
        #expect(Self.brazilianStates.count == 27)
        for (name, uf) in Self.brazilianStates {
            #expect(MetaNormalize.state(name, country: "br") == uf, "\(name)")
            #expect(MetaNormalize.state(MetaText.folded(name), country: "br") == uf, "\(name) unaccented")
            #expect(MetaNormalize.state(name.uppercased(), country: "br") == uf, "\(name) uppercase")
            #expect(MetaNormalize.state(uf.uppercased(), country: "br") == uf, "\(uf)")
        }
    }

    @Test("State: codes and names", arguments: [
        ("Estado de São Paulo", "br", "sp"),
        ("sp", "br", "sp"),
        ("California", "us", "ca"),
        ("CA", "us", "ca"),
        ("New York", "us", "ny"),
        ("District of Columbia", "us", "dc"),
        ("Bavaria", "de", "bavaria"),
        ("Île-de-France", "fr", "îledefrance"),
        ("Unknown Place 9", "br", "unknownplace"),
    ])
    func states(_ input: String, _ country: String, _ expected: String) {
        #expect(MetaNormalize.state(input, country: country) == expected)
    }

    @Test("State: without a country only letters are kept")
    func stateWithoutCountry() {
        #expect(MetaNormalize.state("São Paulo", country: nil) == "sãopaulo")
        #expect(MetaNormalize.state("  ", country: "br") == nil)
        #expect(MetaNormalize.state(nil, country: "br") == nil)
    }

    @Test("Zip: no spaces, no dashes; US ZIP+4 cut to 5; lost leading zeros restored", arguments: [
        ("01310-100", "br", "01310100"),
        ("1310-100", "br", "01310100"),
        ("01310100", "br", "01310100"),
        ("94035", "us", "94035"),
        ("94035-1234", "us", "94035"),
        ("940351234", "us", "94035"),
        ("2134", "us", "02134"),
        ("02134-0001", "us", "02134"),
        ("M1 1AE", "gb", "m11ae"),
        ("SW1A 1AA", "gb", "sw1a1aa"),
        ("1000-001", "pt", "1000001"),
        ("01310-100", "", "01310100"),
    ])
    func zips(_ input: String, _ country: String, _ expected: String) {
        #expect(MetaNormalize.zip(input, country: country.isEmpty ? nil : country) == expected)
    }

    @Test("Zip: too short or empty is dropped")
    func emptyZips() {
        #expect(MetaNormalize.zip("-", country: "br") == nil)
        #expect(MetaNormalize.zip("7", country: nil) == nil)
        #expect(MetaNormalize.zip(nil, country: nil) == nil)
    }
}
