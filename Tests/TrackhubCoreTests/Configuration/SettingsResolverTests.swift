import Foundation
import Logging
import Testing
@testable import TrackhubCore

@Suite("SettingsResolver")
struct SettingsResolverTests {
    let port = IngestSettings.port

    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cfg-" + UUID().uuidString
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("flags override environment, which overrides the file, which overrides the default")
    func precedence() throws {
        let path = try Self.file("# comment\nTRACKHUB_INGEST_PORT=7000\nexport OTHER='x'\n")
        #expect(try SettingsResolver(flags: [:], environment: [:], configFile: path).int(port) == 7000)
        #expect(try SettingsResolver(flags: [:], environment: ["TRACKHUB_INGEST_PORT": "7100"], configFile: path).int(port) == 7100)
        #expect(try SettingsResolver(flags: ["port": "7200"], environment: ["TRACKHUB_INGEST_PORT": "7100"], configFile: path).int(port) == 7200)
        #expect(try SettingsResolver(flags: [:], environment: [:]).int(port) == 8080)
        #expect(try SettingsResolver(flags: [:], environment: [:], configFile: path).file["OTHER"] == "x")
        // The file may also come from --config (a flag) or TRACKHUB_CONFIG.
        #expect(try SettingsResolver(flags: ["config": path], environment: [:]).int(port) == 7000)
        #expect(try SettingsResolver(flags: [:], environment: ["TRACKHUB_CONFIG": path]).int(port) == 7000)
    }

    @Test("settings files take # and ; comment lines, as systemd's EnvironmentFile= does")
    func comments() throws {
        let text = "; the docs' style\n# the shell's style\n  ; indented\nTRACKHUB_INGEST_PORT=7300\nTRACKHUB_COOKIE_DOMAIN=a#b;c\n"
        let parsed = try SettingsFile.parse(text, path: "f")
        #expect(parsed == ["TRACKHUB_INGEST_PORT": "7300", "TRACKHUB_COOKIE_DOMAIN": "a#b;c"])
        let resolver = try SettingsResolver(flags: [:], environment: [:], configFile: try Self.file(text))
        #expect(try resolver.int(port) == 7300)
        #expect(throws: SettingError.self) { try SettingsFile.parse("TRACKHUB_X=1\nnot a setting\n", path: "f") }
        do {
            _ = try SettingsFile.parse("TRACKHUB_X=1\nnot a setting\n", path: "f")
        } catch {
            #expect("\(error)".contains("f line 2: expected KEY=value"))
        }
    }

    @Test("a bad value names the setting; the range comes from the table")
    func badValue() throws {
        let resolver = try SettingsResolver(flags: ["port": "eighty"], environment: [:])
        do {
            _ = try resolver.int(port)
            Issue.record("expected an error")
        } catch let error as SettingError {
            #expect(error.description == "invalid setting --port / TRACKHUB_INGEST_PORT: 'eighty' is not an integer")
        }
        let outOfRange = try SettingsResolver(flags: ["port": "70000"], environment: [:])
        #expect(throws: SettingError.self) { try outOfRange.int(port) }
        do { _ = try outOfRange.int(port) } catch { #expect("\(error)".hasSuffix("70000 is outside 0...65535")) }
        // An empty variable is set: it overrides the default, and a required setting is then an error.
        let empty = try SettingsResolver(flags: [:], environment: ["TRACKHUB_DATABASE_URL": ""])
        #expect(throws: SettingError.self) { try empty.text(DispatchSettings.databaseURL) }
        let checks: [(Setting, String)] = [
            (SharedSettings.streamPrefix, "a:b"), (SharedSettings.logLevel, "loud"), (SharedSettings.redisURL, "http://x"),
            (DispatchSettings.graphBaseURL, "graph.facebook.com"), (DispatchSettings.graphVersion, "25"),
            (DispatchSettings.consumer, "a b"), (IngestSettings.trustedProxies, "10.0.0.0/8, nope"),
            (IngestSettings.cookieSecure, "maybe"), (DispatchSettings.matchScoreThreshold, "1.5"),
            (DispatchSettings.claimIdleMs, "999"),
        ]
        for (setting, raw) in checks {
            let r = try SettingsResolver(flags: [:], environment: [setting.environment: raw])
            #expect(setting.value.problem(raw) != nil, "\(setting) accepted \(raw)")
            #expect(throws: SettingError.self) { _ = try r.checked(setting) }
        }
    }

    @Test("typed values: durations, URLs without trailing /, lists, booleans, computed defaults")
    func typed() throws {
        let r = try SettingsResolver(flags: [:], environment: [
            "TRACKHUB_GRAPH_BASE_URL": "http://127.0.0.1:9/", "TRACKHUB_TRUSTED_PROXIES": "10.0.0.0/8, ::1,",
            "TRACKHUB_COOKIE_SECURE": "on", "TRACKHUB_COOKIE_DOMAIN": "",
        ])
        #expect(try r.duration(DispatchSettings.claimIdleMs) == .milliseconds(60_000))
        #expect(try r.url(DispatchSettings.graphBaseURL) == "http://127.0.0.1:9")
        #expect(try r.list(IngestSettings.trustedProxies) == ["10.0.0.0/8", "::1"])
        #expect(try r.bool(IngestSettings.cookieSecure))
        #expect(try r.optionalText(IngestSettings.cookieDomain) == nil)
        #expect(try r.double(DispatchSettings.matchScoreThreshold) == 0.7)
        #expect(try r.text(DispatchSettings.consumer, fallback: "host-1") == "host-1")
        #expect(try r.logLevel(SharedSettings.logLevel) == .info)
    }

    @Test("the command line: the table's flags are taken out, by command; the rest is left for ArgumentParser")
    func commandLine() throws {
        let table = DispatchSettings.table
        let run = try SettingsCommandLine(["run", "--consumer", "w1", "--admin-port=0", "--redis-url", "redis://h:1"], table: table, subcommands: true)
        #expect(run.command == "run")
        #expect(run.flags == ["consumer": "w1", "admin-port": "0", "redis-url": "redis://h:1"])
        #expect(run.remaining == ["run"])
        // A flag before the subcommand does not hide it.
        let early = try SettingsCommandLine(["--log-level", "debug", "apply", "f.yaml", "--dry-run"], table: table, subcommands: true)
        #expect(early.command == "apply")
        #expect(early.flags == ["log-level": "debug"])
        #expect(early.remaining == ["apply", "f.yaml", "--dry-run"])
        // A run-only flag on another command stays for ArgumentParser to refuse.
        let status = try SettingsCommandLine(["status", "--consumer", "w1"], table: table, subcommands: true)
        #expect(status.flags.isEmpty)
        #expect(status.remaining == ["status", "--consumer", "w1"])
        #expect(throws: SettingsCommandLine.MissingValue.self) {
            try SettingsCommandLine(["--port"], table: IngestSettings.table, subcommands: false)
        }
        let ingest = try SettingsCommandLine(["--port", "0", "--help"], table: IngestSettings.table, subcommands: false)
        #expect(ingest.flags == ["port": "0"])
        #expect(ingest.wantsHelp)
        #expect(ingest.command == nil)
    }

    @Test("redis URLs parse; the password never prints")
    func redisURL() {
        let e = RedisEndpoint(url: "redis://:s3cret@10.0.0.5:6380/2")
        #expect(e?.address == .tcp(host: "10.0.0.5", port: 6380))
        #expect(e?.database == 2)
        #expect(e?.password == "s3cret")
        #expect(!(e?.description.contains("s3cret") ?? true))
        #expect(RedisEndpoint(url: "unix:///run/redis.sock?db=1")?.address == .unix(path: "/run/redis.sock"))
        #expect(RedisEndpoint(url: "http://x") == nil)
    }
}
