import Foundation
import Testing
@testable import TrackhubCore

@Suite("KeyRing and Sealed")
struct SecurityTests {
    @Test("seal/open round trip, with the key id beside the ciphertext")
    func roundTrip() throws {
        let ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let sealed = try ring.seal(string: "token-123", context: "pixel.token")
        #expect(sealed.keyID == "k1")
        #expect(!sealed.text.contains("token-123"))
        #expect(try ring.openString(sealed, context: "pixel.token") == "token-123")
        #expect("\(sealed)" == "Sealed(key: k1)")
    }

    @Test("the wrong context or a tampered ciphertext fails authentication")
    func tamper() throws {
        let ring = try KeyRing.parse(KeyRing.generateKeyLine(id: "k1"), path: "mem")
        let sealed = try ring.seal(string: "secret", context: "a")
        #expect(throws: Sealed.SealError.self) { try ring.open(sealed, context: "b") }
        var chars = Array(sealed.text)
        chars[chars.count - 2] = chars[chars.count - 2] == "A" ? "B" : "A"
        #expect(throws: Sealed.SealError.self) { try ring.open(Sealed(text: String(chars)), context: "a") }
    }

    @Test("rotation: a new active key still opens values sealed by the old one")
    func rotation() throws {
        let old = KeyRing.generateKeyLine(id: "old")
        let ring1 = try KeyRing.parse(old, path: "mem")
        let sealed = try ring1.seal(string: "s", context: "c")
        let ring2 = try KeyRing.parse(KeyRing.generateKeyLine(id: "new") + "\n" + old, path: "mem")
        #expect(ring2.activeKeyID == "new")
        #expect(try ring2.openString(sealed, context: "c") == "s")
        #expect(try ring2.seal(string: "s", context: "c").keyID == "new")
    }

    @Test("a malformed key file names the line")
    func malformed() {
        #expect(throws: KeyRing.LoadError.self) { try KeyRing.parse("k1:not-base64", path: "f") }
        #expect(throws: KeyRing.LoadError.self) { try KeyRing.parse("# only a comment\n", path: "f") }
    }

    @Test("a key file group or others can read is refused, naming the file and the chmod to run")
    func permissions() throws {
        let path = FileManager.default.temporaryDirectory.path + "/trackhub-key-\(UUID().uuidString).key"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data((KeyRing.generateKeyLine(id: "k1") + "\n").utf8),
                                               attributes: [.posixPermissions: 0o644]))
        do {
            _ = try KeyRing.load(path: path)
            Issue.record("a 0644 key file was loaded")
        } catch let error as KeyRing.LoadError {
            #expect(error.kind == .tooOpen)
            #expect(error.description == "master key file \(path) is readable or writable by group or others (mode 644); run: chmod 600 \(path)")
        }
        for mode in [0o640, 0o604, 0o620] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            #expect(throws: KeyRing.LoadError.self) { try KeyRing.load(path: path) }
        }
        for mode in [0o600, 0o400] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            #expect(try KeyRing.load(path: path).activeKeyID == "k1")
        }
    }
}
