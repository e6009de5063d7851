import Foundation
import Testing
@testable import TrackhubCore

/// Values the example configuration's variables are given in these tests.
enum ConfigFixtures {
    static let exampleEnvironment: [String: String] = {
        var env = ["TRACKHUB_DEMO_PIXEL_TOKEN": "EAAB-demo-token-123"]
        for gateway in Gateway.allCases {
            env["TRACKHUB_DEMO_\(gateway.rawValue.uppercased())_SECRET"] = "whsec-\(gateway.rawValue)-s3cret"
        }
        return env
    }()

    /// `config/example.yaml` in the repository.
    static var examplePath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/example.yaml").path
    }

    static func scratchDirectory() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("trackhub-config-" + UUID().uuidString.prefix(8).lowercased())
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

@Suite("Configuration file: loading")
struct ConfigurationFileTests {
    @Test("the shipped example loads, validates without errors, and reads as documented")
    func example() throws {
        let file = try TrackhubConfigFile.load(path: ConfigFixtures.examplePath)
        let problems = file.validate(environment: ConfigFixtures.exampleEnvironment)
        #expect(problems.filter(\.isError).isEmpty, "\(problems)")
        // The only warning: Mercado Pago without an API token.
        #expect(problems.map(\.path) == ["tenants[0].gateway_accounts[4]"])

        let tenant = try #require(file.tenants.first)
        #expect(file.tenants.count == 1)
        #expect(tenant.id == "demo")
        #expect(tenant.allowedOrigins == ["http://localhost:3000"])
        #expect(tenant.pixels.map(\.id) == ["1234567890"])
        let pixel = tenant.pixels[0]
        #expect(pixel.mode == "dry_run")
        #expect(pixel.sendClickAsPageview == true)
        #expect(pixel.tokenEnv == "TRACKHUB_DEMO_PIXEL_TOKEN")
        #expect(tenant.links.map(\.slug) == ["demo", "bot", "lp"])
        #expect(try tenant.links[0].destinationValue().get() == .hotmart(url: "https://pay.hotmart.com/X00000000X?off=demo", alsoSrc: true))
        #expect(try tenant.links[1].destinationValue().get()
            == .telegram(bots: [WeightedBot(username: "demo_bot", weight: 3), WeightedBot(username: "demo_backup_bot", weight: 1)]))
        #expect(try tenant.links[2].destinationValue().get() == .generic(url: "https://example.com/landing", parameter: "th_cid"))
        #expect(Set(tenant.gatewayAccounts.map(\.gateway)) == Set(Gateway.allCases.map(\.rawValue)))
        // Every payment gateway's account `main`, and the demo bot (its username is its account).
        #expect(tenant.gatewayAccounts.allSatisfy { $0.account == ($0.gateway == Gateway.telegram.rawValue ? "demo_bot" : "main") })
        #expect(tenant.gatewayAccounts.map(\.secretEnv)
            == Gateway.allCases.map { "TRACKHUB_DEMO_\($0.rawValue.uppercased())_SECRET" })
    }

    @Test("YAML and JSON give the same model; the JSON form round-trips")
    func yamlAndJSON() throws {
        let yaml = try TrackhubConfigFile.load(path: ConfigFixtures.examplePath)
        let json = try yaml.jsonText()
        #expect(json.contains("\"send_click_as_pageview\""))
        #expect(json.contains("\"also_src\""))
        var reparsed = try TrackhubConfigFile.parse(json: json)
        reparsed.baseDirectory = yaml.baseDirectory
        #expect(reparsed == yaml)
    }

    @Test("ids and codes read as written, unquoted numbers and `no` (Norway) included")
    func scalars() throws {
        let file = try TrackhubConfigFile.parse(yaml: """
            tenants:
              - id: acme
                default_country_code: 351
                default_country: no
                pixels:
                  - id: 1234567890123456
                    token_env: T
                    default: true
                gateway_accounts:
                  - gateway: hotmart
                    account: 007
                    secret_env: S
                    settings: {pending_event: PaymentPending, quoted: "yes", flag: true, n: 2, list: [a, 1]}
            """)
        let tenant = try #require(file.tenants.first)
        #expect(tenant.defaultCountryCode == "351")
        #expect(tenant.defaultCountry == "no")
        #expect(tenant.pixels[0].id == "1234567890123456")
        #expect(tenant.gatewayAccounts[0].account == "007")
        #expect(tenant.gatewayAccounts[0].settings == .object([
            "pending_event": .string("PaymentPending"), "quoted": .string("yes"), "flag": .bool(true), "n": .int(2),
            "list": .array([.string("a"), .int(1)]),
        ]))
        #expect(file.validate(environment: ["T": "t", "S": "s"]).filter(\.isError).isEmpty)
    }

    @Test("a value of the wrong type is refused at load with its place in the file")
    func shapeErrors() {
        let cases: [(String, String)] = [
            ("tenants: {id: x}", "tenants"),
            ("tenants:\n  - id: x\n    pixels:\n      - id: \"1\"\n        batch_size: lots\n", "tenants[0].pixels[0].batch_size"),
            ("tenants:\n  - id: x\n    allowed_origins: https://a.example\n", "tenants[0].allowed_origins"),
            ("tenants:\n  - id: x\n    pixels:\n      - id: \"1\"\n        default: maybe\n", "tenants[0].pixels[0].default"),
        ]
        for (yaml, at) in cases {
            do {
                _ = try TrackhubConfigFile.parse(yaml: yaml, name: "f.yaml")
                Issue.record("expected a load error for \(at)")
            } catch let error as TrackhubConfigFile.LoadError {
                guard case .shape(let path, let place, _) = error else {
                    Issue.record("expected a shape error, got \(error)")
                    continue
                }
                #expect(path == "f.yaml")
                #expect(place == at)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("broken YAML and JSON are syntax errors naming the line")
    func syntaxErrors() {
        #expect(throws: TrackhubConfigFile.LoadError.self) { try TrackhubConfigFile.parse(json: "{\"tenants\": [") }
        do {
            _ = try TrackhubConfigFile.parse(yaml: "tenants:\n  - id: x\n   name: [unclosed\n", name: "c.yaml")
            Issue.record("expected a syntax error")
        } catch let error as TrackhubConfigFile.LoadError {
            guard case .syntax(let path, let message) = error else {
                Issue.record("expected syntax, got \(error)")
                return
            }
            #expect(path == "c.yaml")
            #expect(message.contains("line"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the loader picks the format by extension and refuses others")
    func extensions() throws {
        let dir = try ConfigFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = #"{"tenants":[{"id":"a","pixels":[{"id":1234,"token_env":"T"}]}]}"#
        try json.write(toFile: dir + "/c.json", atomically: true, encoding: .utf8)
        try json.write(toFile: dir + "/c.txt", atomically: true, encoding: .utf8)
        let file = try TrackhubConfigFile.load(path: dir + "/c.json")
        #expect(file.tenants[0].pixels[0].id == "1234")
        #expect(file.baseDirectory == dir)
        #expect(throws: TrackhubConfigFile.LoadError.unsupportedExtension(path: dir + "/c.txt")) {
            try TrackhubConfigFile.load(path: dir + "/c.txt")
        }
        #expect(throws: TrackhubConfigFile.LoadError.unreadable(path: dir + "/missing.yaml")) {
            try TrackhubConfigFile.load(path: dir + "/missing.yaml")
        }
    }

    @Test("destinations: also_src maps to alsoSrc both ways; the model's own spelling is refused with a hint")
    func destinationMapping() throws {
        let written = ConfigValue.object(["type": .string("hotmart"), "url": .string("https://pay.hotmart.com/X"), "also_src": .bool(true)])
        let destination = try LinkDestinationMapping.decode(written).get()
        #expect(destination == .hotmart(url: "https://pay.hotmart.com/X", alsoSrc: true))
        #expect(try LinkDestinationMapping.configValue(destination) == written)

        let camel = ConfigValue.object(["type": .string("hotmart"), "url": .string("https://pay.hotmart.com/X"), "alsoSrc": .bool(true)])
        guard case .failure(let failure) = LinkDestinationMapping.decode(camel) else {
            Issue.record("alsoSrc should be refused")
            return
        }
        #expect(failure.problems == ["alsoSrc is not a setting of a hotmart destination (write also_src)"])
    }
}
