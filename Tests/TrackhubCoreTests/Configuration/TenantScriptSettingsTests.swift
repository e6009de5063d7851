import Foundation
import Testing
@testable import TrackhubCore

/// Issue 15 item 1 (leftover): the hosts a tenant configures and its attribution window, in
/// the one config model and validated, on their way to `/t.js?t=<tenant>`.
@Suite("tenant /t.js settings: checkout hosts and attribution window")
struct TenantScriptSettingsTests {
    @Test("defaults: no hosts of its own, 30 days")
    func defaults() throws {
        let file = TrackhubConfigFile(tenants: [.init(id: "a", pixels: [.init(id: "1", tokenEnv: "T")])])
        let tenant = try ConfigApplier.resolve(file, environment: ["T": "t"]).configuration.tenants[0]
        #expect(tenant.checkoutHosts == [])
        #expect(tenant.attributionWindowDays == 30)
    }

    @Test("valid hosts become host=parameter pairs; a repeated host is a warning; the window is taken")
    func valid() throws {
        let yaml = """
            tenants:
              - id: shop
                attribution_window_days: 7
                checkout_hosts:
                  - {host: pay.minhaloja.com.br, parameter: sck}
                  - {host: checkout.shop-x.com, parameter: utm_content}
                  - {host: pay.minhaloja.com.br, parameter: src}
                pixels: [{id: "1", token_env: T}]
            """
        let file = try TrackhubConfigFile.parse(yaml: yaml)
        let problems = file.validate(environment: ["T": "t"])
        #expect(problems.map(\.path) == ["tenants[0].checkout_hosts[2].host"] && problems.allSatisfy { $0.severity == .warning })
        let tenant = try ConfigApplier.resolve(file, environment: ["T": "t"]).configuration.tenants[0]
        #expect(tenant.checkoutHosts == ["pay.minhaloja.com.br=sck", "checkout.shop-x.com=utm_content"])
        #expect(tenant.attributionWindowDays == 7)
        // The console keeps tenants as documents of this same model: the settings round-trip.
        let again = try JSONDecoder().decode(TrackhubConfigFile.Tenant.self, from: try JSONEncoder().encode(file.tenants[0]))
        #expect(again.checkoutHosts == file.tenants[0].checkoutHosts && again.attributionWindowDays == 7)
    }

    @Test("bad hosts, parameters and windows are errors at their place (nothing unsafe reaches the script)")
    func invalid() throws {
        let yaml = """
            tenants:
              - id: shop
                attribution_window_days: 0
                checkout_hosts:
                  - {host: "https://pay.shop.com", parameter: sck}
                  - {host: "Pay.Shop.com", parameter: sck}
                  - {host: localhost, parameter: sck}
                  - {host: "pay.shop.com'", parameter: sck}
                  - {host: pay.shop.com, parameter: "s'ck"}
                pixels: [{id: "1", token_env: T}]
            """
        let problems = try TrackhubConfigFile.parse(yaml: yaml).validate(environment: ["T": "t"]).filter { $0.severity == .error }
        #expect(problems.map(\.path) == [
            "tenants[0].checkout_hosts[0].host", "tenants[0].checkout_hosts[1].host", "tenants[0].checkout_hosts[2].host",
            "tenants[0].checkout_hosts[3].host", "tenants[0].checkout_hosts[4].parameter", "tenants[0].attribution_window_days",
        ])
        let many = (0...20).map { "      - {host: h\($0).shop.com, parameter: sck}" }.joined(separator: "\n")
        let tooMany = try TrackhubConfigFile.parse(yaml: "tenants:\n  - id: shop\n    pixels: [{id: \"1\", token_env: T}]\n    checkout_hosts:\n" + many)
        #expect(tooMany.validate(environment: ["T": "t"]).map(\.path) == ["tenants[0].checkout_hosts"])
        #expect(try TrackhubConfigFile.parse(yaml: "tenants:\n  - id: shop\n    attribution_window_days: 366\n    pixels: [{id: \"1\", token_env: T}]\n")
            .validate(environment: ["T": "t"]).map(\.path) == ["tenants[0].attribution_window_days"])
    }

    @Test("the snapshot carries them to ingestd; an older snapshot without them reads as none")
    func snapshot() throws {
        let config = DispatchConfig(pixels: [:], tenants: ["shop": DispatchConfig.Tenant(
            id: "shop", defaultPixel: nil, checkoutHosts: ["pay.minhaloja.com.br=sck"], attributionWindowDays: 7)])
        let compiled = try SnapshotCompiler().compile(config, version: 1)
        #expect(compiled.tenants[0].checkoutHosts == ["pay.minhaloja.com.br=sck"])
        #expect(compiled.tenants[0].attributionWindowDays == 7)
        let old = #"{"version":1,"generatedAt":"t","tenants":[{"id":"shop","allowedOrigins":[]}],"links":[],"gatewayAccounts":[]}"#
        let read = try IngestSnapshot.decode(Data(old.utf8)).tenants[0]
        #expect(read.checkoutHosts == [] && read.attributionWindowDays == nil)
    }
}
