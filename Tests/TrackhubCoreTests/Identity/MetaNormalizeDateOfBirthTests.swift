import Foundation
import Testing
@testable import TrackhubCore

@Suite("MetaNormalize.dateOfBirth")
struct MetaNormalizeDateOfBirthTests {
    @Test("Accepted shapes -> YYYYMMDD", arguments: [
        ("1997-02-16", "br", "19970216"),
        ("1997/2/16", "br", "19970216"),
        ("1997-02-16T03:00:00Z", "br", "19970216"),
        ("1997-02-16 00:00:00", "br", "19970216"),
        ("19970216", "br", "19970216"),
        ("16/02/1997", "br", "19970216"),
        ("16-02-1997", "br", "19970216"),
        ("16.02.1997", "br", "19970216"),
        ("16021997", "br", "19970216"),
        ("02/03/1997", "br", "19970302"),
        ("02/03/1997", "us", "19970203"),
        ("2/16/1997", "us", "19970216"),
        ("2/16/1997", "br", "19970216"),
        ("16/2/1997", "us", "19970216"),
        ("02161997", "us", "19970216"),
        ("29/02/2000", "br", "20000229"),
        ("01/01/1900", "br", "19000101"),
        ("2026-06-01", "br", "20260601"),
    ])
    func accepted(_ input: String, _ country: String, _ expected: String) {
        #expect(MetaNormalize.dateOfBirth(input, country: country, now: MetaTestSupport.now) == expected)
    }

    @Test("Impossible, ambiguous or future dates are dropped", arguments: [
        "", "not a date", "31/02/1997", "29/02/1900", "29/02/2001", "13/13/1997", "00/01/1997", "16/02/97",
        "1899-12-31", "2026-06-02", "2030-01-01", "1997-02", "1997021", "199702161",
    ])
    func rejected(_ input: String) {
        #expect(MetaNormalize.dateOfBirth(input, country: "br", now: MetaTestSupport.now) == nil)
    }
}
