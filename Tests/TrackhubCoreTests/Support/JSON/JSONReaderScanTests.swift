import Testing
@testable import TrackhubCore

@Suite struct JSONReaderScanTests {
    @Test(arguments: [
        "{}", " {\n} ", #"{"a":1}"#, #"{"a":[1,2,{"b":null}],"c":true,"d":false,"e":-0.5e+10}"#,
        #"{"s":"\"\\\/\b\f\n\r\t\u00e9\ud83c\udfaf"}"#, #"{"unicode":"João 🎯"}"#, "\u{FEFF}{}",
        #"{"n":0,"m":-12,"f":1.25,"g":1E3}"#, #"{"a":{"b":{"c":{}}}}"#, #"{"a":"", "":""}"#,
    ])
    func acceptsObjects(_ json: String) {
        #expect(JSONReader.scanObject(json.bodyBytes).isObject)
        // One grammar: the document reader accepts what the scan accepts.
        #expect(JSONValue.parse(json.bodyBytes, strings: .validated)?.objectMembers != nil)
    }

    @Test(arguments: [
        "", " ", "[]", "\"x\"", "1", "null", "{", "}", #"{"a":1,}"#, #"{"a" 1}"#, #"{a:1}"#, #"{'a':1}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":+1}"#, #"{"a":tru}"#,
        #"{"a":"\x"}"#, #"{"a":"\u12G4"}"#, "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}", #"{"a":1}{}"#,
        #"{"a":1} x"#, #"{"a":[1,]}"#, #"{"a":[1 2]}"#, #"{"a":"unterminated}"#, "{\"a\":NaN}",
    ])
    func rejectsNonObjects(_ json: String) {
        #expect(!JSONReader.scanObject(json.bodyBytes).isObject)
        #expect(JSONValue.parse(json.bodyBytes, strings: .validated)?.objectMembers == nil)
    }

    @Test func rejectsInvalidUTF8() {
        #expect(!JSONReader.scanObject([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]).isObject) // {"a":"\xFF"}
        #expect(!JSONReader.scanObject([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D]).isObject) // overlong
        #expect(!JSONReader.scanObject([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]).isObject) // surrogate
        #expect(!JSONReader.scanObject([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE2, 0x82, 0x22, 0x7D]).isObject) // truncated
    }

    @Test func repairedStringsReplaceInvalidUTF8() {
        let body: [UInt8] = [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D] // {"a":"\xFF"}
        #expect(JSONValue.parse(body, strings: .validated) == nil)
        #expect(JSONValue.parse(body) == .object(["a": .string("\u{FFFD}")]))
    }

    @Test func depthIsBounded() {
        let ok = String(repeating: #"{"a":"#, count: JSONReader.maxDepth - 1) + "1" + String(repeating: "}", count: JSONReader.maxDepth - 1)
        #expect(JSONReader.scanObject(("{\"x\":" + ok + "}").bodyBytes).isObject)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(!JSONReader.scanObject(("{\"x\":" + deep + "}").bodyBytes).isObject)
    }

    @Test func capturesTopLevelStringMember() {
        let body = #"{"id":"e1","data":{"hottok":"nested"},"hottok":"top\u0041","version":"2.0.0"}"#
        let scan = JSONReader.scanObject(body.bodyBytes, capturing: "hottok")
        #expect(scan.isObject)
        #expect(scan.member == "topA")
    }

    @Test func capturesOnlyStrings() {
        #expect(JSONReader.scanObject(#"{"hottok":123}"#.bodyBytes, capturing: "hottok").member == nil)
        #expect(JSONReader.scanObject(#"{"hottok":null}"#.bodyBytes, capturing: "hottok").member == nil)
        #expect(JSONReader.scanObject(#"{"other":"x"}"#.bodyBytes, capturing: "hottok").member == nil)
    }

    @Test func matchesEscapedKeysAndDecodesValues() {
        let scan = JSONReader.scanObject(#"{"hot\u0074ok":"a\"b\\c\/d\u00e9\ud83c\udfaf"}"#.bodyBytes, capturing: "hottok")
        #expect(scan.member == "a\"b\\c/dé🎯")
        #expect(JSONReader.scanObject(#"{"k":"\ud800x"}"#.bodyBytes, capturing: "k").member == "\u{FFFD}x")
    }

    @Test func firstMemberWins() {
        #expect(JSONReader.scanObject(#"{"k":"one","k":"two"}"#.bodyBytes, capturing: "k").member == "one")
    }

    @Test func invalidDocumentCapturesNothingUseful() {
        let scan = JSONReader.scanObject(#"{"hottok":"x", oops}"#.bodyBytes, capturing: "hottok")
        #expect(!scan.isObject)
    }
}
