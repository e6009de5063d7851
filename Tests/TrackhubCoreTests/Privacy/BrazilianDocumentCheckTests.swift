import Testing
import TrackhubCore

@Suite("CPF and CNPJ check digits")
struct BrazilianDocumentCheckTests {
    @Test("CPF and CNPJ check digits (mod 11); repeated digits and other lengths are refused")
    func checkDigits() {
        #expect(BrazilianDocumentCheck.isValid("52998224725") && BrazilianDocumentCheck.isValid("11144477735"))
        #expect(BrazilianDocumentCheck.isValid("12345678909"), "the fixtures' and the docs' example CPF")
        #expect(!BrazilianDocumentCheck.isValid("52998224724") && !BrazilianDocumentCheck.isValid("11111111111"))
        #expect(!BrazilianDocumentCheck.isValid("5299822472") && !BrazilianDocumentCheck.isValid(""))
        #expect(BrazilianDocumentCheck.isValid("11222333000181") && !BrazilianDocumentCheck.isValid("11222333000182"))
        #expect(!BrazilianDocumentCheck.isValid("00000000000000"))
        #expect(!BrazilianDocumentCheck.isValidCPF("5299822472５"), "only ASCII digits")
    }
}
