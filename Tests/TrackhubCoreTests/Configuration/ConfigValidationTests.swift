import Foundation
import Testing
@testable import TrackhubCore

@Suite("Configuration file: validation")
struct ConfigurationValidationTests {
    /// Secret values present in the environment; no message may contain them.
    static let secrets = ["EAAB-very-secret-token", "whsec_topsecret_1", "whsec_topsecret_2", "mp-access-token-xyz"]

    static let badFile = """
        tenants:
          - id: Demo Store                     # bad id
            default_country_code: "+055"       # leading zero
            default_country: atlantis
            allowed_origins: ["https://shop.example/", "ftp://x.example", "https://ok.example"]
            colour: blue                       # unknown key
            pixels:
              - id: "12ab"                     # not digits
                token_env: TH_UNSET            # not set
                mode: testing                  # bad mode
                batch_size: 1001
                max_events_per_second: 0
                events: [pageview, purchase]   # purchase is not a /track event
              - id: "111"
                token_env: TH_TOKEN
                token_file: /nonexistent       # both
                mode: test                     # needs test_event_code
                default: true
              - id: "222"
                token_env: TH_EMPTY            # empty
                default: true                  # second default
                send_click_as_page_view: true  # misspelt
            links:
              - slug: "bad slug"
                pixel: "999"                   # unknown pixel
                destination: {type: hotmart, url: "http://user@evil.example/"}
              - slug: dup
                destination: {type: telegram, bots: [{username: "@no", weight: 2000}]}
              - slug: dup                      # duplicate slug
                destination: {type: generic, url: "https://ok.example"}   # no parameter
              - slug: x1
                destination: {type: ftp, url: "https://ok.example"}
              - slug: x2
                pixel: "333"                   # belongs to another tenant
                destination: {type: utm, url: "https://ok.example", alsoSrc: true}
            gateway_accounts:
              - gateway: paypal                # unknown gateway
                account: main
                secret_env: TH_SECRET_1
              - gateway: hotmart
                account: main
                secret_env: TH_SECRET_1
                secret_file: /etc/x            # two sources
              - gateway: hotmart
                account: main                  # duplicate
                secrets_env: [TH_SECRET_1, TH_UNSET_2]
                settings: [not, a, map]
              - gateway: kiwify
                account: "bad/account"
                secret_file: /nonexistent/secret
              - gateway: stripe
                account: s
          - id: other
            pixels:
              - id: "333"
                token_env: TH_TOKEN
              - id: "111"                      # pixel ids are global
                token_env: TH_TOKEN
            gateway_accounts:
              - gateway: mercadopago
                account: mp
                secret_env: TH_SECRET_2
                api_token_env: TH_MP
        """

    static let environment = [
        "TH_TOKEN": secrets[0], "TH_SECRET_1": secrets[1], "TH_SECRET_2": secrets[2], "TH_MP": secrets[3], "TH_EMPTY": "  \n",
    ]

    @Test("every problem of a bad file is reported, each at its place")
    func findsEverything() throws {
        let file = try TrackhubConfigFile.parse(yaml: Self.badFile)
        let problems = file.validate(environment: Self.environment)
        let errors = Set(problems.filter(\.isError).map(\.path))
        let expected: Set<String> = [
            "tenants[0].id",
            "tenants[0].default_country_code",
            "tenants[0].default_country",
            "tenants[0].allowed_origins[0]",
            "tenants[0].allowed_origins[1]",
            "tenants[0].colour",
            "tenants[0].pixels[0].id",
            "tenants[0].pixels[0].token_env",
            "tenants[0].pixels[0].mode",
            "tenants[0].pixels[0].batch_size",
            "tenants[0].pixels[0].max_events_per_second",
            "tenants[0].pixels[0].events[1]",
            "tenants[0].pixels[1]",
            "tenants[0].pixels[1].test_event_code",
            "tenants[0].pixels[2].token_env",
            "tenants[0].pixels[2].default",
            "tenants[0].pixels[2].send_click_as_page_view",
            "tenants[0].links[0].slug",
            "tenants[0].links[0].pixel",
            "tenants[0].links[0].destination",
            "tenants[0].links[1].destination",
            "tenants[0].links[2].slug",
            "tenants[0].links[2].destination",
            "tenants[0].links[3].destination",
            "tenants[0].links[4].pixel",
            "tenants[0].links[4].destination",
            "tenants[0].gateway_accounts[0].gateway",
            "tenants[0].gateway_accounts[1]",
            "tenants[0].gateway_accounts[2].account",
            "tenants[0].gateway_accounts[2].secrets_env[1]",
            "tenants[0].gateway_accounts[2].settings",
            "tenants[0].gateway_accounts[3].account",
            "tenants[0].gateway_accounts[3].secret_file",
            "tenants[0].gateway_accounts[4]",
            "tenants[1].pixels",
            "tenants[1].pixels[1].id",
        ]
        #expect(errors.subtracting(expected).isEmpty, "unexpected: \(errors.subtracting(expected).sorted())")
        #expect(expected.subtracting(errors).isEmpty, "missing: \(expected.subtracting(errors).sorted())")

        func message(_ path: String) -> String {
            problems.filter { $0.path == path }.map(\.message).joined(separator: " | ")
        }
        #expect(message("tenants[0].pixels[0].token_env") == "variable TH_UNSET is not set")
        #expect(message("tenants[0].pixels[2].token_env") == "variable TH_EMPTY is empty")
        #expect(message("tenants[0].links[2].slug").contains("already defined at tenants[0].links[1]"))
        #expect(message("tenants[0].links[4].pixel") == "pixel 333 belongs to tenant other, not Demo Store")
        #expect(message("tenants[0].links[4].destination").contains("write also_src"))
        #expect(message("tenants[0].links[0].destination").contains("user info"))
        #expect(message("tenants[0].links[1].destination").contains("without '@'"))
        #expect(message("tenants[0].links[3].destination").contains("type 'ftp'"))
        #expect(message("tenants[1].pixels[1].id") == "pixel 111 is already defined at tenants[0].pixels[1]")
        #expect(message("tenants[0].gateway_accounts[2].account") == "hotmart/main is already defined at tenants[0].gateway_accounts[1]")
        #expect(message("tenants[0].gateway_accounts[3].secret_file") == "file /nonexistent/secret cannot be read")

        // A Mercado Pago account with its token configured draws no warning.
        #expect(!problems.contains { $0.path == "tenants[1].gateway_accounts[0]" })
    }

    @Test("no message, and no error description, contains a secret value")
    func neverPrintsSecrets() throws {
        let file = try TrackhubConfigFile.parse(yaml: Self.badFile)
        let problems = file.validate(environment: Self.environment)
        var texts = problems.map(\.description)
        do {
            _ = try ConfigApplier.resolve(file, environment: Self.environment)
            Issue.record("the bad file must not resolve")
        } catch {
            texts.append("\(error)")
            texts.append(String(reflecting: error))
        }
        for text in texts {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "a message quotes a secret: \(text)")
            }
        }
    }

    @Test("gateway account settings: sale event names Meta would refuse are errors, unknown keys warnings")
    func saleEventSettings() throws {
        let yaml = """
            tenants:
              - id: shop
                pixels: [{id: "1", token_env: T}]
                gateway_accounts:
                  - gateway: hotmart
                    account: main
                    secret_env: S
                    settings: {approved_event: UpsellPurchase, pending_event: "Pix Gerado", refund_event: 7, colour: red}
            """
        let problems = try TrackhubConfigFile.parse(yaml: yaml).validate(environment: ["T": "t", "S": "s"])
        let at = "tenants[0].gateway_accounts[0].settings"
        #expect(problems.filter { $0.severity == .error }.map(\.path).sorted() == ["\(at).pending_event", "\(at).refund_event"])
        #expect(problems.filter { $0.severity == .warning }.map(\.path) == ["\(at).colour"])
    }

    @Test("a tenant with one pixel needs no default flag; with two it needs exactly one")
    func defaults() throws {
        let one = TrackhubConfigFile(tenants: [.init(id: "a", pixels: [.init(id: "1", tokenEnv: "T")])])
        #expect(one.validate(environment: ["T": "t"]).isEmpty)
        let resolved = try ConfigApplier.resolve(one, environment: ["T": "t"]).configuration
        #expect(resolved.tenants[0].pixels[0].isDefault)

        let two = TrackhubConfigFile(tenants: [.init(id: "a", pixels: [.init(id: "1", tokenEnv: "T"), .init(id: "2", tokenEnv: "T")])])
        #expect(two.validate(environment: ["T": "t"]).map(\.path) == ["tenants[0].pixels"])
    }

    @Test("defaults: dry_run, 1000/s, batches of 500, every event, no PageView per click, Brazil")
    func resolvedDefaults() throws {
        let file = TrackhubConfigFile(tenants: [.init(
            id: "a", pixels: [.init(id: "1", tokenEnv: "T")],
            links: [try .init(slug: "s", destination: .kiwify(url: "https://pay.kiwify.com.br/x"))])])
        let tenant = try ConfigApplier.resolve(file, environment: ["T": " tok\n"]).configuration.tenants[0]
        #expect(tenant.defaultCountryCode == "55")
        #expect(tenant.defaultCountry == "br")
        let pixel = tenant.pixels[0]
        #expect(pixel.token == "tok")
        #expect(pixel.mode == .dryRun)
        #expect(pixel.maxEventsPerSecond == 1000)
        #expect(pixel.batchSize == 500)
        #expect(pixel.sendClickAsPageview == false)
        #expect(pixel.eventNames == PixelEventCatalog.metaNames)
        #expect(tenant.links[0].pixel == "1")
    }

    @Test("secrets from files: relative to the configuration, trimmed, and a warning when others can read them")
    func secretFiles() throws {
        let dir = try ConfigFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "  file-token\n".write(toFile: dir + "/pixel.token", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/pixel.token")
        try "hook-secret\n".write(toFile: dir + "/hook.secret", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/hook.secret")
        try """
            tenants:
              - id: a
                pixels: [{id: "1", token_file: pixel.token}]
                gateway_accounts: [{gateway: stripe, account: x, secrets_file: [hook.secret]}]
            """.write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        let file = try TrackhubConfigFile.load(path: dir + "/c.yaml")
        let problems = file.validate(environment: [:])
        #expect(problems.map(\.description) == [
            "warning: tenants[0].gateway_accounts[0].secrets_file[0]: file hook.secret is readable by every user: chmod 600 it",
        ])
        let resolved = try ConfigApplier.resolve(file, environment: [:]).configuration
        #expect(resolved.tenants[0].pixels[0].token == "file-token")
        #expect(resolved.tenants[0].accounts[0].secrets == ["hook-secret"])
    }

    @Test("an empty file is an error, not a silent no-op")
    func emptyFile() throws {
        let file = try TrackhubConfigFile.parse(yaml: "# nothing yet\n")
        #expect(file.validate(environment: [:]).map(\.description) == ["tenants: the file defines no tenant"])
    }

    @Test("origins: scheme and host (and a non-default port), as browsers send them")
    func origins() {
        #expect(ConfigResolver.originProblem("https://shop.example") == nil)
        #expect(ConfigResolver.originProblem("http://localhost:3000") == nil)
        #expect(ConfigResolver.originProblem("https://shop.example/") != nil)
        #expect(ConfigResolver.originProblem("https://shop.example/page") != nil)
        #expect(ConfigResolver.originProblem("https://Shop.example") != nil)
        #expect(ConfigResolver.originProblem("https://shop.example:443") != nil)
        #expect(ConfigResolver.originProblem("*") != nil)
        #expect(ConfigResolver.originProblem("shop.example") != nil)
    }
}

@Suite("DispatchConfig")
struct ConfigurationDispatchConfigTests {
    @Test("every description is redacted: no token, no API token")
    func redacted() {
        let token = "EAAB-super-secret-token"
        let apiToken = "APP_USR-secret"
        let pixel = DispatchConfig.Pixel(
            id: "1", tenant: "demo", accessToken: token, tokenProblem: nil, mode: .live, testEventCode: nil,
            maxEventsPerSecond: 1000, batchSize: 500, sendClickAsPageView: true, eventNames: ["lead": "Lead"], isDefault: true,
            pausedReason: nil)
        let account = DispatchConfig.GatewayAccount(
            gateway: .mercadopago, account: "main", tenant: "demo", pixel: "1", settings: [:], apiToken: apiToken,
            apiTokenProblem: nil)
        let config = DispatchConfig(
            pixels: ["1": pixel],
            tenants: ["demo": .init(id: "demo", name: "Demo", defaultPixel: "1", defaultCountryCallingCode: "55", defaultCountry: "br")],
            links: ["demo": .init(slug: "demo", tenant: "demo", pixel: "1", active: true)],
            gatewayAccounts: [account.key: account])

        var dumped = ""
        dump(config, to: &dumped)
        var dumpedPixel = ""
        dump(pixel, to: &dumpedPixel)
        for text in [config.description, config.debugDescription, "\(config)", String(reflecting: config), dumped, dumpedPixel,
                     "\(pixel)", "\(account)", String(reflecting: account)] {
            #expect(!text.contains(token))
            #expect(!text.contains(apiToken))
        }
        #expect(config.description.contains("token: <redacted>"))
        #expect(config.pixel(forLink: "demo")?.accessToken == token)
        #expect(config.pixel(gateway: "mercadopago", account: "main")?.id == "1")
        #expect(config.defaultPixel(tenant: "demo")?.forwards("lead") == true)
        #expect(config.defaultPixel(tenant: "demo")?.forwards("pageview") == false)
    }
}
