import Foundation
import Testing
@testable import TrackhubCore

@Suite struct JSONValueTests {
    @Test func numbersKeepTheirText() throws {
        let json = try #require(JSONValue.parse(#"{"a": 301.5, "b": -0.10, "c": 1e2, "d": 12345678901234567890}"#))
        #expect(json["a"] == .number("301.5"))
        #expect(json["a"].decimal == dec("301.5"))
        #expect(json["b"].decimal == dec("-0.1"))
        #expect(json["c"].decimal == dec("100"))
        #expect(json["d"].string == "12345678901234567890") // a long id stays exact
    }

    @Test func tolerantReads() throws {
        let json = try #require(JSONValue.parse(#"{"s":" 42 ","n":42,"f":42.0,"t":"true","z":0,"e":"","x":null,"o":{"k":1}}"#))
        #expect(json["s"].int == 42)
        #expect(json["n"].string == "42")
        #expect(json["f"].int64 == 42)
        #expect(json["t"].bool == true)
        #expect(json["z"].bool == false)
        #expect(json["e"].string == nil)
        #expect(json["x"].string == nil)
        #expect(json["x"].isNullOrMissing)
        #expect(json["missing"].isNullOrMissing)
        #expect(json["o"].string == nil)
        #expect(json["o"]["k"].int == 1)
        #expect(json["nope"]["deeper"]["still"].string == nil)
        #expect(json["o"].stringMap == ["k": "1"])
    }

    @Test func stringsAndEscapes() throws {
        let json = try #require(JSONValue.parse(#"{"a":"S\u00e3o Paulo \ud83d\ude00 \"q\" \/ \n","b":"\ud800x"}"#))
        #expect(json["a"].string == "São Paulo 😀 \"q\" /")
        #expect(json["b"].string == "\u{FFFD}x")
    }

    @Test func firstDuplicateKeyWins() throws {
        #expect(JSONValue.parse(#"{"k":"first","k":"second"}"#)?["k"].string == "first")
    }

    @Test func invalidDocuments() {
        for text in ["", "{", #"{"a":}"#, #"{"a":1,}"#, "[1,]", "01", "1.", "-", "tru", #"{"a":"\x"}"#, "{} {}",
                     "{\"a\":\"\u{01}\"}", String(repeating: "[", count: 70) + String(repeating: "]", count: 70)] {
            #expect(JSONValue.parse(text) == nil, "accepted \(text)")
        }
        #expect(JSONValue.parse("\u{FEFF}{}") == .object([:]))
        #expect(JSONValue.parse(" [true, false, null] ") == .array([.bool(true), .bool(false), .null]))
    }
}

@Suite struct SalesMoneyTests {
    @Test(arguments: [
        ("97", "97"), ("97.00", "97"), ("97,00", "97"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"),
        ("1.234.567", "1234567"), ("R$ 1.234,56", "1234.56"), ("-3.5", "-3.5"), (" 0,5 ", "0.5"), ("1e3", "1000"),
    ])
    func amounts(_ text: String, _ expected: String) {
        #expect(SalesMoney.parseAmount(text) == dec(expected))
    }

    @Test(arguments: ["", "abc", "1,2,3.4.5", "1.23.456", "12,34,567", "--1", "1..2", ".5", "5.", "1,2345,6", "1e999", "R$"])
    func junkAmounts(_ text: String) {
        #expect(SalesMoney.parseAmount(text) == nil)
    }

    @Test func minorUnits() {
        #expect(SalesMoney.fromMinorUnits(5073, exponent: 2) == dec("50.73"))
        #expect(SalesMoney.fromMinorUnits(1990, exponent: 0) == dec("1990"))
        #expect(SalesMoney.fromMinorUnits(1990, exponent: 3) == dec("1.99"))
        #expect(SalesMoney.fromMinorUnits(-5, exponent: 2) == dec("-0.05"))
        #expect(SalesField.integerMinorUnits(.string("5073")) == 5073)
        #expect(SalesField.integerMinorUnits(.string("50.73")) == nil)
        #expect(SalesField.integerMinorUnits(.number("5073.0")) == 5073)
        #expect(SalesField.integerMinorUnits(.number("50.73")) == nil)
    }

    @Test func itemCountsCannotOverflow() {
        let huge = JSONValue.number("9223372036854775807")
        #expect(SalesField.itemCount([huge, huge, huge]) == 3 * SalesField.maxQuantity)
        #expect(SalesField.itemCount([.number("2"), nil, .string("3"), .number("-4")]) == 6)
        #expect(SalesField.itemCount([]) == nil)
    }

    @Test func decimalsAreExactWhereDoubleIsNot() throws {
        // 0.1 + 0.2 in binary floating point is 0.30000000000000004.
        let json = try #require(JSONValue.parse(#"{"a":0.1,"b":0.2}"#))
        #expect(try #require(json["a"].decimal) + (try #require(json["b"].decimal)) == dec("0.3"))
    }

    @Test func currencies() {
        #expect(SalesCurrency.normalize(" brl ") == "BRL")
        #expect(SalesCurrency.normalize("R$") == nil)
        #expect(SalesCurrency.normalize("BRLL") == nil)
        #expect(SalesCurrency.normalize("BR1") == nil)
        #expect(SalesCurrency.stripeExponent("JPY") == 0)
        #expect(SalesCurrency.stripeExponent("BRL") == 2)
        #expect(SalesCurrency.stripeExponent("USD") == 2)
        #expect(SalesCurrency.stripeExponent("KWD") == 3)
        #expect(SalesCurrency.stripeExponent("ISK") == 2)
    }
}

@Suite struct SalesTimeTests {
    @Test(arguments: [
        ("2024-01-09T14:45:00.000Z", 1_704_811_500.0),
        ("2024-01-09T14:45:00Z", 1_704_811_500),
        ("2024-03-20T14:30:12.000-04:00", 1_710_959_412),
        ("2024-03-20T14:30:12+0530", 1_710_925_212),
        ("2024-09-20 14:32", 1_726_853_520), // Brasília
        ("2024-09-20 10:14:02", 1_726_838_042),
        ("20/09/2024 10:14:02", 1_726_838_042),
        ("2024-09-20", 1_726_801_200),
        ("1726851600000", 1_726_851_600),
        ("1726851600", 1_726_851_600),
        ("2024-02-29T00:00:00Z", 1_709_164_800),
    ])
    func parses(_ text: String, _ epoch: Double) {
        #expect(SalesTime.parse(text) == Date(timeIntervalSince1970: epoch))
    }

    @Test(arguments: ["0000-00-00 00:00:00", "2024-13-01", "2023-02-29", "2024-01-01T25:00", "2024-01-01T10:00:00X",
                      "yesterday", "", "0", "2024-01-01T10:00:00.Z"])
    func rejects(_ text: String) {
        #expect(SalesTime.parse(text) == nil)
    }

    @Test func fractionalSecondsAndMilliseconds() throws {
        let d = try #require(SalesTime.parse("2024-01-09T14:45:00.512Z"))
        #expect(abs(d.timeIntervalSince1970 - 1_704_811_500.512) < 0.0005)
        #expect(SalesTime.fromEpochMilliseconds(1_726_851_605_123) == Date(timeIntervalSince1970: 1_726_851_605.123))
        #expect(SalesTime.date(.number("1726851600000")) == Date(timeIntervalSince1970: 1_726_851_600))
        #expect(SalesTime.date(.number("0")) == nil)
        #expect(SalesTime.date(.bool(true)) == nil)
    }
}

@Suite struct SalesPersonTests {
    @Test func names() {
        #expect(SalesPerson.splitName("  Maria  da Silva Santos ") == ("Maria", "Santos"))
        #expect(SalesPerson.splitName("Cher") == ("Cher", nil))
        #expect(SalesPerson.splitName("   ") == (nil, nil))
        #expect(SalesPerson.splitName(nil) == (nil, nil))
    }

    @Test func documents() {
        #expect(SalesPerson.brazilianDocument("123.456.789-09") == "12345678909")
        #expect(SalesPerson.brazilianDocument("11.222.333/0001-81") == "11222333000181")
        #expect(SalesPerson.brazilianDocument("12345") == nil)
        #expect(SalesPerson.brazilianDocument("AB1234567") == nil)
    }

    @Test func phones() {
        #expect(SalesPerson.phone(number: "11987654321", callingCode: "55") == "+5511987654321")
        #expect(SalesPerson.phone(number: "5511987654321", callingCode: "55") == "+5511987654321")
        // DDD 55 (Rio Grande do Sul) without the country code still gets it.
        #expect(SalesPerson.phone(number: "55987654321", callingCode: "+55") == "+5555987654321")
        #expect(SalesPerson.phone(number: "+351 912 345 678", callingCode: "351") == "+351 912 345 678")
        #expect(SalesPerson.phone(number: "912345678", callingCode: nil) == "912345678")
        #expect(SalesPerson.phone(number: " ", callingCode: "55") == nil)
    }

    @Test func ips() {
        #expect(SalesPerson.ip(" 203.0.113.45 ") == "203.0.113.45")
        #expect(SalesPerson.ip("00.00.00.00") == nil)
        #expect(SalesPerson.ip("not an ip") == nil)
        #expect(SalesPerson.ip("2001:DB8::1") == "2001:db8::1")
    }

    @Test func reservedExampleEmails() {
        #expect(SalesPerson.isReservedExampleEmail("johndoe@example.com"))
        #expect(SalesPerson.isReservedExampleEmail("X@Example.ORG"))
        #expect(!SalesPerson.isReservedExampleEmail("someone@examples.com"))
        #expect(!SalesPerson.isReservedExampleEmail("someone@cliente.test"))
        #expect(!SalesPerson.isReservedExampleEmail(nil))
    }
}
