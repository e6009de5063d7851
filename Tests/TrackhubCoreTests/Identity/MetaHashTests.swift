import Testing
@testable import TrackhubCore

@Suite("MetaHash")
struct MetaHashTests {
    @Test("SHA-256 lowercase hex of UTF-8 bytes, matching Meta's documented digests")
    func knownDigests() {
        #expect(MetaHash.sha256Hex("john_smith@gmail.com") == "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")
        #expect(MetaHash.sha256Hex("valéry") == "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c")
        #expect(MetaHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("Recognises exactly 64 lowercase hex characters")
    func recognisesDigests() {
        #expect(MetaHash.isSHA256Hex(MetaHash.sha256Hex("x")))
        #expect(!MetaHash.isSHA256Hex(MetaHash.sha256Hex("x").uppercased()))
        #expect(!MetaHash.isSHA256Hex(String(MetaHash.sha256Hex("x").dropLast())))
        #expect(!MetaHash.isSHA256Hex(MetaHash.sha256Hex("x") + "0"))
        #expect(!MetaHash.isSHA256Hex(String(repeating: "g", count: 64)))
        #expect(!MetaHash.isSHA256Hex("d41d8cd98f00b204e9800998ecf8427e"), "MD5-length hex is not passed through")
    }
}
