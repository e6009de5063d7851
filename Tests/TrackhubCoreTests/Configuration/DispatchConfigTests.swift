import Foundation
import Testing
@testable import TrackhubCore

@Suite("DispatchConfig: the one model")
struct DispatchConfigModelTests {
    static let yaml = """
        tenants:
          - id: demo
            allowed_origins: ["https://shop.example"]
            pixels:
              - id: "1"
                token_env: TOKEN
                default: true
              - id: "2"
                token_env: TOKEN
                events: []
              - id: "3"
                token_env: TOKEN
                events: [lead, custom]
        """

    @Test("a pixel forwards exactly the events it lists; a file that omits `events` lists all twelve, `events: []` none")
    func forwardingRule() throws {
        let file = try TrackhubConfigFile.parse(yaml: Self.yaml)
        let resolved = try #require(ConfigResolver(file: file, environment: ["TOKEN": "EAAB-token"]).run().resolved)
        let names = Dictionary(uniqueKeysWithValues: resolved.tenants[0].pixels.map { ($0.id, $0.eventNames) })
        #expect(names["1"] == PixelEventCatalog.metaNames)
        #expect(names["1"]?.count == 12)
        #expect(names["2"] == [:])
        #expect(names["3"] == ["lead": "Lead", "custom": PixelEventCatalog.ownName])

        // The model reads the stored map with one rule: listed = forwarded, nothing else.
        let all = DispatchConfig.Pixel(id: "1", tenant: "demo", accessToken: "t", mode: .live, eventNames: names["1"] ?? [:])
        let none = DispatchConfig.Pixel(id: "2", tenant: "demo", accessToken: "t", mode: .live, eventNames: names["2"] ?? ["x": "y"])
        let some = DispatchConfig.Pixel(id: "3", tenant: "demo", accessToken: "t", mode: .live, eventNames: names["3"] ?? [:])
        for event in PixelEventCatalog.allNames {
            #expect(all.forwards(event))
            #expect(!none.forwards(event), "an empty event list forwards nothing, not everything")
        }
        #expect(some.forwards("lead") && some.forwards("custom"))
        #expect(!some.forwards("pageview"))
        #expect(some.configuredName("lead") == "Lead")
        #expect(some.configuredName("custom") == nil, "custom keeps the page's own name")
        #expect(some.configuredName("pageview") == nil)
    }

    @Test("a link's or account's pixel wins; otherwise the tenant's default")
    func pixelChoice() {
        let config = DispatchConfig(
            pixels: ["1": .init(id: "1", tenant: "demo", accessToken: nil, mode: .dryRun),
                     "2": .init(id: "2", tenant: "demo", accessToken: "t", mode: .live)],
            tenants: ["demo": .init(id: "demo", defaultPixel: "1")])
        #expect(config.pixel(tenant: "demo", preferred: "2")?.id == "2")
        #expect(config.pixel(tenant: "demo", preferred: "9")?.id == "1")
        #expect(config.pixel(tenant: "demo", preferred: nil)?.id == "1")
        #expect(config.pixel(tenant: "other", preferred: nil) == nil)
        #expect(config.pixels["1"]?.accessToken == "", "no token: empty, never a placeholder")
    }
}

@Suite("SnapshotCompiler: ingestd's snapshot derived from the model")
struct SnapshotCompilerTests {
    static func config(brokenActiveLink: Bool = false) -> DispatchConfig {
        let dest = LinkDestination.generic(url: "https://example.com/landing", parameter: "th_cid")
        return DispatchConfig(
            pixels: ["1": .init(id: "1", tenant: "b", accessToken: "EAAB-secret", mode: .live, isDefault: true)],
            tenants: ["b": .init(id: "b", defaultPixel: "1", allowedOrigins: ["https://b.example"]),
                      "a": .init(id: "a", defaultPixel: nil)],
            links: ["lp": .init(slug: "lp", tenant: "b", pixel: "1", active: true, destination: dest),
                    "gone": .init(slug: "gone", tenant: "b", pixel: "1", active: false, destination: nil),
                    "go": .init(slug: "go", tenant: "a", pixel: nil, active: true, destination: brokenActiveLink ? nil : dest)],
            gatewayAccounts: ["stripe/main": .init(gateway: .stripe, account: "main", tenant: "b", pixel: "1",
                                                   webhookSecrets: [Sealed(text: "v1.k1.AAAA")]),
                              "hotmart/main": .init(gateway: .hotmart, account: "main", tenant: "a", pixel: nil,
                                                    apiToken: "never-in-a-snapshot", webhookSecrets: [])])
    }

    @Test("every tenant, the active links, every account with sealed secrets, in key order; no token")
    func compile() throws {
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let snapshot = try SnapshotCompiler().compile(Self.config(), version: 7, now: at)
        #expect(snapshot.version == 7)
        // A tenant without its own window gets the default (30 days) baked into its /t.js?t=.
        #expect(snapshot.tenants == [.init(id: "a", allowedOrigins: [], attributionWindowDays: 30),
                                     .init(id: "b", allowedOrigins: ["https://b.example"], attributionWindowDays: 30)])
        #expect(snapshot.links.map(\.slug) == ["go", "lp"])
        #expect(snapshot.links[1].pixel == "1")
        #expect(snapshot.gatewayAccounts.map { "\($0.gateway)/\($0.account)" } == ["hotmart/main", "stripe/main"])
        #expect(snapshot.gatewayAccounts[1].secrets == [Sealed(text: "v1.k1.AAAA")])
        let text = String(decoding: try snapshot.encoded(), as: UTF8.self)
        #expect(!text.contains("EAAB-secret") && !text.contains("never-in-a-snapshot"))
        #expect(try SnapshotCompiler().compile(Self.config(), version: 7, now: at) == snapshot)
    }

    @Test("an active link whose destination this version cannot read is refused, an inactive one ignored")
    func unreadableDestination() {
        #expect(throws: ConfigError.self) { try SnapshotCompiler().compile(Self.config(brokenActiveLink: true), version: 1) }
    }
}
