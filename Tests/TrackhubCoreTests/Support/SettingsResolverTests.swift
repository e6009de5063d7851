import Foundation
import Testing
@testable import TrackhubCore

@Suite("SettingsResolver")
struct SettingsResolverTests {
    let spec = SettingSpec("port", env: "TRACKHUB_INGEST_PORT", default: "8080", help: "")

    @Test("flags override environment, which overrides the file, which overrides the default")
    func precedence() throws {
        let path = NSTemporaryDirectory() + "cfg-" + UUID().uuidString
        try "# comment\nTRACKHUB_INGEST_PORT=7000\nexport OTHER='x'\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try SettingsResolver(flags: [:], environment: [:], configFile: path).int(spec, in: 0...65535) == 7000)
        #expect(try SettingsResolver(flags: [:], environment: ["TRACKHUB_INGEST_PORT": "7100"], configFile: path).int(spec, in: 0...65535) == 7100)
        #expect(try SettingsResolver(flags: ["port": "7200"], environment: ["TRACKHUB_INGEST_PORT": "7100"], configFile: path).int(spec, in: 0...65535) == 7200)
        #expect(try SettingsResolver(flags: [:], environment: [:]).int(spec, in: 0...65535) == 8080)
        #expect(try SettingsResolver(flags: [:], environment: [:], configFile: path).file["OTHER"] == "x")
    }

    @Test("a bad value names the setting")
    func badValue() throws {
        let resolver = try SettingsResolver(flags: ["port": "eighty"], environment: [:])
        do {
            _ = try resolver.int(spec, in: 0...65535)
            Issue.record("expected an error")
        } catch let error as SettingError {
            #expect(error.description.contains("--port"))
            #expect(error.description.contains("TRACKHUB_INGEST_PORT"))
        }
        let outOfRange = try SettingsResolver(flags: ["port": "70000"], environment: [:])
        #expect(throws: SettingError.self) { try outOfRange.int(spec, in: 0...65535) }
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
