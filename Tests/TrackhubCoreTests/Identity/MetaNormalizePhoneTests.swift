import Testing
@testable import TrackhubCore

@Suite("MetaNormalize.phone")
struct MetaNormalizePhoneTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String?
        var callingCode = "55"
        var expected: [String]
        var testDescription: String { "\(input ?? "nil") [\(callingCode)] -> \(expected)" }
    }

    static let singleForm: [Case] = [
        // Brazil, national forms: the default calling code is added.
        Case(input: "(11) 98765-4321", expected: ["5511987654321"]),
        Case(input: "11987654321", expected: ["5511987654321"]),
        Case(input: "11 9 8765 4321", expected: ["5511987654321"]),
        Case(input: "(11) 3456-7890", expected: ["551134567890"]),
        Case(input: "(55) 99876-5432", expected: ["5555998765432"]),
        // Already international.
        Case(input: "+55 (11) 98765-4321", expected: ["5511987654321"]),
        Case(input: "(+55) 11 98765-4321", expected: ["5511987654321"]),
        Case(input: "5511987654321", expected: ["5511987654321"]),
        Case(input: "551134567890", expected: ["551134567890"]),
        Case(input: "0055 11 98765-4321", expected: ["5511987654321"]),
        // Trunk prefix 0, with and without a carrier selection code.
        Case(input: "0 11 98765-4321", expected: ["5511987654321"]),
        Case(input: "0 21 11 98765-4321", expected: ["5511987654321"]),
        Case(input: "015 11 3456-7890", expected: ["551134567890"]),
        // Foreign numbers written internationally are kept.
        Case(input: "+1 (650) 555-1212", expected: ["16505551212"]),
        Case(input: "+44 7911 123456", expected: ["447911123456"]),
        Case(input: "+351 912 345 678", expected: ["351912345678"]),
        // Longer than any Brazilian national number: taken to carry its own country code.
        Case(input: "447911123456", expected: ["447911123456"]),
        // NANP default.
        Case(input: "(650)555-1212", callingCode: "1", expected: ["16505551212"]),
        Case(input: "1-650-555-1212", callingCode: "1", expected: ["16505551212"]),
        Case(input: "650.555.1212", callingCode: "1", expected: ["16505551212"]),
        Case(input: "011 55 11 98765-4321", callingCode: "1", expected: ["5511987654321"]),
        Case(input: "5511987654321", callingCode: "1", expected: ["5511987654321"]),
        // Another plan: trunk 0 or a missing code gets the default.
        Case(input: "07911 123456", callingCode: "44", expected: ["447911123456"]),
        Case(input: "7911 123456", callingCode: "44", expected: ["447911123456"]),
        Case(input: "447911123456", callingCode: "44", expected: ["447911123456"]),
        // No default calling code: digits are taken as international.
        Case(input: "5511987654321", callingCode: "", expected: ["5511987654321"]),
        // Unusable.
        Case(input: nil, expected: []),
        Case(input: "", expected: []),
        Case(input: "não tenho", expected: []),
        Case(input: "123", expected: []),
        Case(input: "0000", expected: []),
        Case(input: "98765-4321", expected: []),                  // no area code
        Case(input: "(10) 98765-4321", expected: []),             // DDD 10 does not exist
        Case(input: "(11) 0876-5432", expected: []),              // subscriber cannot start with 0
        Case(input: "(11) 88765-4321", expected: []),             // 9-digit subscriber must start with 9
        Case(input: "+55 11 9876-543", expected: []),             // +55 with a short national number
        Case(input: "(650)555-1212", expected: []),               // not Brazilian, no country code given
        Case(input: "+1 (150) 555-1212", expected: []),           // NANP area codes start with 2-9
        Case(input: "+1234567890123456", expected: []),           // longer than E.164 allows
        Case(input: "11987654321", callingCode: "1", expected: []),
        // Ambiguous or written in another plan: dropped, never guessed (issue 15).
        Case(input: "16946748659", expected: []),                 // DDD-16 mobile, or +1 694-674-8659?
        Case(input: "1 694 674 8659", expected: []),
        Case(input: "1 (694) 674-8659", expected: []),            // a NANP area code in parentheses
        Case(input: "(212) 555-1234", expected: []),              // fits DDD 21 by its digits, not as written
        Case(input: "(21) 2555-1234", callingCode: "1", expected: []),
        // The same digits, unambiguous: a 2-digit DDD in parentheses, the NANP plan, a "+".
        Case(input: "(16) 94674-8659", expected: ["5516946748659"]),
        Case(input: "1 (694) 674-8659", callingCode: "1", expected: ["16946748659"]),
        Case(input: "(650) 555-1212", callingCode: "1", expected: ["16505551212"]),
        Case(input: "+1 694 674 8659", expected: ["16946748659"]),
        Case(input: "+55 16 94674-8659", callingCode: "1", expected: ["5516946748659"]),
        // A DDD-1x mobile whose subscriber part cannot be a NANP exchange is not ambiguous.
        Case(input: "16991234567", expected: ["5516991234567"]),
        // The buyer's country's code for another plan.
        Case(input: "912 345 678", callingCode: "351", expected: ["351912345678"]),
    ]

    @Test("Country code and digits", arguments: singleForm)
    func normalizes(_ c: Case) {
        #expect(MetaNormalize.phone(c.input, defaultCallingCode: c.callingCode, brazilMobileBothForms: false) == c.expected)
    }

    static let bothForms: [Case] = [
        Case(input: "+55 (11) 98765-4321", expected: ["5511987654321", "551187654321"]),
        Case(input: "(21) 99123-4567", expected: ["5521991234567", "552191234567"]),
        // A legacy 8-digit mobile also gets its current 9-digit form, first.
        Case(input: "(11) 8765-4321", expected: ["5511987654321", "551187654321"]),
        Case(input: "+55 31 6123-4567", expected: ["5531961234567", "553161234567"]),
        // Landlines are never rewritten.
        Case(input: "(11) 3456-7890", expected: ["551134567890"]),
        // A 9-digit mobile whose 8-digit part starts below 6 never existed in 8 digits.
        Case(input: "(11) 93456-7890", expected: ["5511934567890"]),
        // Non-Brazilian numbers are untouched.
        Case(input: "+1 (650) 555-1212", expected: ["16505551212"]),
    ]

    @Test("Brazilian mobiles in both ninth-digit forms", arguments: bothForms)
    func bothNinthDigitForms(_ c: Case) {
        #expect(MetaNormalize.phone(c.input, defaultCallingCode: c.callingCode, brazilMobileBothForms: true) == c.expected)
    }

    @Test("All 67 Brazilian area codes are accepted and the gaps are not")
    func areaCodes() {
        #expect(MetaPhonePlan.brazilianAreaCodes.count == 67)
        for ddd in MetaPhonePlan.brazilianAreaCodes {
            #expect(MetaNormalize.phone("(\(ddd)) 98765-4321", brazilMobileBothForms: false) == ["55\(ddd)987654321"])
        }
        for ddd in ["10", "20", "23", "25", "26", "29", "30", "36", "39", "40", "50", "52", "56", "60", "70", "72", "76", "78", "80", "90"] {
            #expect(MetaNormalize.phone("(\(ddd)) 98765-4321").isEmpty, "DDD \(ddd)")
        }
    }
}
