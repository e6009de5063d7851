import Foundation
import Testing
import TrackhubCore

/// The settings tables drive the real binaries' command lines: `--help`, flags, the `--config`
/// file (with `;` comments) and the checks. No server is needed: every case stops before one.
@Suite("settings on the command line")
struct SettingsCommandLineTests {
    static func run(_ binary: String, _ arguments: [String], env: [String: String] = [:]) async throws -> CommandResult {
        let dir = try TestEnvironment.scratchDirectory("settings-cli")
        return try await CommandResult.run(binary: binary, arguments: arguments, environment: env, in: dir, timeout: .seconds(20))
    }

    @Test("--help lists every setting the command reads, from the table")
    func help() async throws {
        let run = try await Self.run("dispatchd", ["run", "--help"])
        #expect(run.status == 0, "\(run.output)")
        for setting in DispatchSettings.settings(for: "run") {
            #expect(run.stdout.contains(setting.environment), "\(setting)")
            if setting.isFlag(for: "run") { #expect(run.stdout.contains(setting.flagSpelling + " <value>"), "\(setting)") }
        }
        let status = try await Self.run("dispatchd", ["status", "--help"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("--database-url <value>") && !status.stdout.contains("--consumer"))
        let ingest = try await Self.run("ingestd", ["--help"])
        #expect(ingest.status == 0)
        for setting in IngestSettings.table.settings { #expect(ingest.stdout.contains(setting.environment), "\(setting)") }
    }

    @Test("a flag the command does not take is refused; a bad flag value names the setting")
    func flags() async throws {
        let refused = try await Self.run("dispatchd", ["status", "--consumer", "w1"])
        #expect(refused.status == 64, "\(refused.output)")
        #expect(refused.stderr.contains("Unknown option '--consumer'"))
        let bad = try await Self.run("dispatchd", ["migrate", "--stream-prefix=a:b"])
        #expect(bad.status == 2, "\(bad.output)")
        #expect(bad.stderr.contains("dispatchd migrate: invalid setting --stream-prefix / TRACKHUB_STREAM_PREFIX: only letters"))
        let missing = try await Self.run("ingestd", ["--port"])
        #expect(missing.status == 64, "\(missing.output)")
    }

    @Test("the --config file is read with # and ; comments, below the environment")
    func configFile() async throws {
        let dir = try TestEnvironment.scratchDirectory("settings-file")
        let path = dir + "/trackhub.env"
        try "; a systemd-style comment\n# a shell comment\nTRACKHUB_LOG_LEVEL=loud\n".write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try await Self.run("dispatchd", ["status", "--config", path])
        #expect(fromFile.status == 2, "\(fromFile.output)")
        #expect(fromFile.stderr.contains("invalid setting --log-level / TRACKHUB_LOG_LEVEL"))
        let viaVariable = try await Self.run("dispatchd", ["status"], env: ["TRACKHUB_CONFIG": path])
        #expect(viaVariable.stderr.contains("invalid setting --log-level / TRACKHUB_LOG_LEVEL"))
        // The environment wins over the file, and a flag over both: the settings pass, and status
        // gets as far as Postgres (nothing listens on port 1).
        let nowhere = "postgres://trackhub@127.0.0.1:1/trackhub"
        let env = try await Self.run("dispatchd", ["status", "--config", path],
                                     env: ["TRACKHUB_LOG_LEVEL": "debug", "TRACKHUB_DATABASE_URL": nowhere])
        #expect(env.status == 2 && !env.stderr.contains("invalid setting"), "\(env.output)")
        let flag = try await Self.run("dispatchd", ["status", "--config", path, "--log-level", "debug", "--database-url", nowhere])
        #expect(flag.status == 2 && !flag.stderr.contains("invalid setting"), "\(flag.output)")
    }

    @Test("dispatchd run refuses a plain-http Graph or Mercado Pago URL unless it is loopback and allowed")
    func outboundURLs() async throws {
        let remote = try await Self.run("dispatchd", ["run", "--consumer", "u1", "--graph-base-url", "http://graph.facebook.com"],
                                        env: ["TRACKHUB_ALLOW_LOOPBACK_HTTP": "1"])
        #expect(remote.status == 2, "\(remote.output)")
        #expect(remote.stderr.contains("invalid setting --graph-base-url / TRACKHUB_GRAPH_BASE_URL: must be https"))
        let loopback = try await Self.run("dispatchd", ["run", "--consumer", "u1"],
                                          env: ["TRACKHUB_MERCADOPAGO_BASE_URL": "http://127.0.0.1:1"])
        #expect(loopback.status == 2, "\(loopback.output)")
        #expect(loopback.stderr.contains("TRACKHUB_MERCADOPAGO_BASE_URL: must be https (http to a loopback host needs TRACKHUB_ALLOW_LOOPBACK_HTTP=1)"))
    }
}
