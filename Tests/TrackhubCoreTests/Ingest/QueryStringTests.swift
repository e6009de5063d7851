import Testing
@testable import TrackhubCore

@Suite struct QueryStringTests {
    private func pairs(_ raw: String) -> [[String]] {
        QueryString.parse(raw).map { [$0.0, $0.1] }
    }

    @Test func parsesInOrderKeepingRepeatsAndBareNames() {
        #expect(pairs("a=1&b=2&a=3&flag&empty=") == [["a", "1"], ["b", "2"], ["a", "3"], ["flag", ""], ["empty", ""]])
    }

    @Test func skipsEmptySegments() {
        #expect(pairs("") == [])
        #expect(pairs("&&a=1&&&b=2&") == [["a", "1"], ["b", "2"]])
    }

    @Test func splitsAtTheFirstEquals() {
        #expect(pairs("a==b=c&=v") == [["a", "=b=c"], ["", "v"]])
    }

    @Test func decodesPercentAndPlus() {
        #expect(pairs("q=caf%C3%A9+com+leite&x%5B%5D=1&p=%2B1%20") == [["q", "café com leite"], ["x[]", "1"], ["p", "+1 "]])
        #expect(pairs("utm_content=a%26b%3Dc%23d") == [["utm_content", "a&b=c#d"]])
        #expect(pairs("mixed=%c3%a9%C3%A9") == [["mixed", "éé"]])
    }

    @Test func keepsMalformedEscapesLiterally() {
        #expect(pairs("a=100%&b=%4&c=%zz1&d=%%41&e=%") == [["a", "100%"], ["b", "%4"], ["c", "%zz1"], ["d", "%A"], ["e", "%"]])
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        #expect(pairs("a=%FF") == [["a", "\u{FFFD}"]])
    }

    @Test func rawUnicodeIsKept() {
        #expect(pairs("nome=João&emoji=🎯") == [["nome", "João"], ["emoji", "🎯"]])
    }

    @Test func parsesFormBodiesFromBytes() {
        let body = "chave_unica=abc123&venda%5Bcodigo%5D=987&comprador%5Bnome%5D=Jos%C3%A9+Silva".bodyBytes
        let parsed = QueryString.parse(body)
        #expect(parsed.map { [$0.0, $0.1] } == [["chave_unica", "abc123"], ["venda[codigo]", "987"], ["comprador[nome]", "José Silva"]])
    }

    @Test func firstValueFindsEncodedNamesWithoutParsingEverything() {
        let body = "x=1&chave%5Funica=k%2B1&chave_unica=second".bodyBytes
        #expect(QueryString.firstValue(named: "chave_unica", in: body) == "k+1")
        #expect(QueryString.firstValue(named: "missing", in: body) == nil)
        #expect(QueryString.firstValue(named: "x", in: "x&x=2".bodyBytes) == "")
        #expect(QueryString.firstValue(named: "chave", in: "chave_unica=1".bodyBytes) == nil)
        #expect(QueryString.firstValue(named: "chave_unica", in: "chave=1".bodyBytes) == nil)
    }

    @Test func firstInPairs() {
        let parsed = QueryString.parse("signature=abc&signature=def")
        #expect(QueryString.first("signature", in: parsed) == "abc")
        #expect(QueryString.first("nope", in: parsed) == nil)
    }

    @Test func decodeComponent() {
        #expect(QueryString.decodeComponent("a+b%20c%") == "a b c%")
        #expect(QueryString.decodeComponent("plain") == "plain")
    }
}
