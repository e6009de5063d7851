import Foundation
import Testing
@testable import TrackhubCore

/// The pixel edits the setup assistant and the help chat share.
@Suite("Tenant document: pixel token and go-live edits")
struct TenantConfigDocumentPixelTests {
    static let keys = KeyRing(keys: [(id: "k1", bytes: Array(repeating: 9, count: 32))])

    @Test("a new pixel's token is sealed under TH_PIXEL_<id>_TOKEN, the pixel added in dry_run and default when it is the first")
    func newPixelToken() throws {
        var d = TenantConfigDocument(tenant: TrackhubConfigFile.Tenant(id: "loja", name: "Loja"))
        try d.setPixelToken("111", token: "EAAB-um", keys: Self.keys)
        try d.setPixelToken("222", token: "EAAB-dois", keys: Self.keys)
        #expect(d.tenant.pixels.map(\.id) == ["111", "222"])
        #expect(d.tenant.pixels.map(\.mode) == ["dry_run", "dry_run"])
        #expect(d.tenant.pixels.map(\.isDefault) == [true, nil])
        #expect(d.tenant.pixels[0].tokenEnv == "TH_PIXEL_111_TOKEN")
        #expect(try d.environment(keys: Self.keys) == ["TH_PIXEL_111_TOKEN": "EAAB-um", "TH_PIXEL_222_TOKEN": "EAAB-dois"])
        #expect(try !d.jsonText().contains("EAAB"), "never a token in clear in the stored document")
    }

    @Test("replacing a token keeps the pixel's mode and moves a token_file pixel to the sealed variable")
    func replaceToken() throws {
        var d = TenantConfigDocument(tenant: TrackhubConfigFile.Tenant(id: "loja", name: "Loja"))
        d.tenant.pixels = [TrackhubConfigFile.Pixel(id: "111", tokenFile: "/etc/trackhub/111.token", mode: "live")]
        try d.setPixelToken("111", token: "EAAB-novo", keys: Self.keys)
        #expect(d.tenant.pixels.count == 1 && d.tenant.pixels[0].mode == "live")
        #expect(d.tenant.pixels[0].tokenFile == nil && d.tenant.pixels[0].tokenEnv == "TH_PIXEL_111_TOKEN")
        #expect(try d.environment(keys: Self.keys)["TH_PIXEL_111_TOKEN"] == "EAAB-novo")
    }

    @Test("going live drops the test code and says the mode it had; a live or unknown pixel is left as it is")
    func switchToLive() {
        var d = TenantConfigDocument(tenant: TrackhubConfigFile.Tenant(id: "loja", name: "Loja"))
        d.tenant.pixels = [TrackhubConfigFile.Pixel(id: "111", mode: "test", testEventCode: "TEST1"), TrackhubConfigFile.Pixel(id: "222")]
        let original = d
        #expect(d.switchPixelToLive("111") == "test")
        #expect(d.tenant.pixels[0].mode == "live" && d.tenant.pixels[0].testEventCode == nil)
        let live = d
        #expect(d.switchPixelToLive("111") == nil && d == live)
        #expect(d.switchPixelToLive("999") == nil && d == live)
        #expect(d.switchPixelToLive("222") == "dry_run", "a pixel without a mode is in dry_run")
        #expect(original.tenant.pixels[0].testEventCode == "TEST1")
    }
}
