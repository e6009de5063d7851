import Testing
@testable import TrackhubCore

@Suite("Redact")
struct RedactTests {
    @Test("Email keeps two initials and the public suffix", arguments: [
        ("john.smith@gmail.com", "j***@g***.com"),
        (" maria@uol.com.br ", "m***@u***.com.br"),
        ("a@sub.company.co.uk", "a***@s***.co.uk"),
        ("x@localhost", "x***@***"),
        ("not-an-email", "***"),
        ("@gmail.com", "***"),
        ("", "***"),
    ])
    func email(_ input: String, _ expected: String) {
        #expect(Redact.email(input) == expected)
    }

    @Test("Phone keeps the last two digits only")
    func phone() {
        #expect(Redact.phone("+55 (11) 98765-4321") == "***21")
        #expect(Redact.phone("5511987654321") == "***21")
        #expect(Redact.phone("7") == "***")
        #expect(Redact.phone("") == "***")
    }

    @Test("Token keeps an ellipsis and the last four characters, nothing for short values")
    func token() {
        #expect(Redact.token("EAABsbCS1iHgBAKZCZBzQ9xQ1") == "…9xQ1")
        #expect(Redact.token("  EAABsbCS1iHgBAKZCZBzQ9xQ1 ") == "…9xQ1")
        #expect(Redact.token("whsec_1234") == "…")
        #expect(Redact.token("") == "…")
    }
}
