import Foundation
import Testing
import TrackhubCore
import TrackhubTesting

/// Everything a dispatchd integration test needs, all real except Meta:
/// - a fresh Postgres database (created here, migrated by `dispatchd migrate`, dropped at the end);
/// - a unique Redis key prefix on the suite's Redis (every key under it deleted at the end);
/// - a key ring and a YAML configuration written per test — two tenants, each with a NUMERIC
///   pixel in `live` mode whose token comes from an environment variable, a tracking link and a
///   gateway account — applied by `dispatchd apply` (which also publishes the ingest snapshot);
/// - the in-process ``FakeMetaServer`` as `TRACKHUB_GRAPH_BASE_URL`;
/// - a real `ingestd` on the same prefix, Redis and key file (it does NOT publish a snapshot of
///   its own: it serves what `apply` published);
/// - N `dispatchd run` processes with short timeouts, so faults resolve in seconds.
///
/// Use ``withDispatchFixture(_:options:_:)``: it stops every process, the fake server, and
/// removes the database and keys whether the test passes or fails. Every wait is bounded.
final class DispatchFixture: @unchecked Sendable {
    // @unchecked: configured in `start` and then only read, except `workers` and the token
    // values, which the test body (one task) changes through methods.

    struct Options: Sendable {
        var workers = 1
        /// Events per CAPI request for both pixels.
        var batchSize = 500
        /// Pixel A's `max_events_per_second` (1000 is the configuration's default); above what
        /// a test sends keeps a large batch in one request.
        var maxEventsPerSecondA = 1000
        var readCount = 500
        /// Generous: a test that wants timeouts sets a short one. With a short default, a slow
        /// moment on a loaded machine turns into a retried send that Meta (the fake) accepted
        /// twice — correct behaviour (same event_id), but not what an exactly-once check expects.
        var sendTimeoutMs = 3000
        var claimIdleMs = 3000
        var claimIntervalMs = 500
        var retryBaseMs = 100
        var retryCapMs = 1000
        var throttlePauseMs = 1000
        /// Low, so a test with several throttles in a row does not wait minutes.
        var throttlePauseCapMs = 4000
        var configRefreshMs = 500
        /// How long a sale waits for a late click, and how often it looks again (short here:
        /// a test's click either is queued right behind the sale or never comes).
        var lateClickHoldMs = 8000
        var lateClickRecheckMs = 250
        /// Extra `TRACKHUB_*` settings for every worker.
        var workerEnv: [String: String] = [:]
        var meta = FakeMetaOptions()
    }

    // The configuration every test gets (see `configYAML`).
    static let tenantA = "shop"
    static let tenantB = "other"
    static let pixelA = "101000000001"
    static let pixelB = "202000000002"
    static let slugA = "ad-a"
    static let slugB = "ad-b"
    static let originA = "https://lp.shop.example"
    static let originB = "https://lp.other.example"
    static let tokenEnvA = "TH_TEST_PIXEL_TOKEN_A"
    static let tokenEnvB = "TH_TEST_PIXEL_TOKEN_B"

    let name: String
    let options: Options
    let dir: String
    let layout: StreamLayout
    let keyFile: String
    let keys: KeyRing
    let redisURL: String
    let databaseName: String
    let databaseURL: String
    let configPath: String
    private(set) var meta: FakeMetaServer!
    private(set) var ingest: DaemonProcess!
    private(set) var ingestPort = 0
    private(set) var workers: [DaemonProcess] = []
    /// The tokens the environment of the next `apply` holds.
    private(set) var tokenA: String
    private(set) var tokenB: String
    private var databaseCreated = false

    private init(name: String, options: Options) throws {
        guard let redis = TestEnvironment.redisURL, let database = TestEnvironment.databaseURL else {
            throw HarnessError("needs scripts/test (TRACKHUB_TEST_REDIS_URL, TRACKHUB_TEST_DATABASE_URL)")
        }
        self.name = name
        self.options = options
        dir = try TestEnvironment.scratchDirectory("dispatch-" + name)
        layout = StreamLayout(prefix: TestEnvironment.uniquePrefix("d" + name.filter { $0.isLetter || $0.isNumber }.prefix(10)))
        (keyFile, keys) = try TestEnvironment.masterKeyFile(in: dir)
        redisURL = redis
        databaseName = "trackhub_d_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        databaseURL = try PostgresTestEnvironment.url(database, database: databaseName)
        configPath = dir + "/trackhub.yaml"
        let suffix = String(UUID().uuidString.prefix(8))
        tokenA = "EAAB-test-a-" + suffix
        tokenB = "EAAB-test-b-" + suffix
    }

    /// Creates and migrates the database, applies the configuration, starts the fake Meta
    /// server, ingestd, and `options.workers` dispatchd workers (named w1, w2, …).
    static func start(_ name: String, options: Options = Options()) async throws -> DispatchFixture {
        let f = try DispatchFixture(name: name, options: options)
        do {
            try f.createDatabase()
            try await f.cli(["migrate"]).requireSuccess("dispatchd migrate")
            try await f.apply()
            f.meta = try await FakeMetaServer.start(options: options.meta)
            try await f.startIngest()
            for i in 1...max(1, options.workers) where options.workers > 0 {
                try await f.startWorker("w\(i)")
            }
            return f
        } catch {
            await f.stop()
            throw error
        }
    }

    // MARK: - Processes

    /// Environment of every dispatchd command (run, migrate, apply, dlq, status).
    var commonEnv: [String: String] {
        [
            "TRACKHUB_DATABASE_URL": databaseURL,
            "TRACKHUB_REDIS_URL": redisURL,
            "TRACKHUB_STREAM_PREFIX": layout.prefix,
            "TRACKHUB_MASTER_KEY_FILE": keyFile,
            "TRACKHUB_LOG_LEVEL": "info",
            Self.tokenEnvA: tokenA,
            Self.tokenEnvB: tokenB,
            "TH_TEST_HOTMART_SECRET": "hottok-dispatch-test",
            "TH_TEST_KIWIFY_SECRET": "kiwify-dispatch-test",
        ]
    }

    var workerEnv: [String: String] {
        var env = commonEnv
        env.merge([
            "TRACKHUB_GRAPH_BASE_URL": meta.baseURL,
            // The fakes listen on 127.0.0.1 over plain http.
            "TRACKHUB_ALLOW_LOOPBACK_HTTP": "1",
            "TRACKHUB_ADMIN_PORT": "0",
            // Workers log every event (funnel events' `event sent` lines are `debug`), so a test
            // can tell which worker sent what and check no line leaks personal data.
            "TRACKHUB_LOG_LEVEL": "debug",
            "TRACKHUB_READ_COUNT": String(options.readCount),
            "TRACKHUB_SEND_TIMEOUT_MS": String(options.sendTimeoutMs),
            "TRACKHUB_CONNECT_TIMEOUT_MS": "500",
            "TRACKHUB_CLAIM_IDLE_MS": String(options.claimIdleMs),
            "TRACKHUB_CLAIM_INTERVAL_MS": String(options.claimIntervalMs),
            "TRACKHUB_RETRY_BASE_MS": String(options.retryBaseMs),
            "TRACKHUB_RETRY_CAP_MS": String(options.retryCapMs),
            "TRACKHUB_THROTTLE_PAUSE_MS": String(options.throttlePauseMs),
            "TRACKHUB_THROTTLE_PAUSE_CAP_MS": String(options.throttlePauseCapMs),
            "TRACKHUB_CONFIG_REFRESH_MS": String(options.configRefreshMs),
            "TRACKHUB_POSTGRES_CONNECTIONS": "3",
            "TRACKHUB_LATE_CLICK_HOLD_MS": String(options.lateClickHoldMs),
            "TRACKHUB_LATE_CLICK_RECHECK_MS": String(options.lateClickRecheckMs),
        ]) { _, new in new }
        env.merge(options.workerEnv) { _, new in new }
        return env
    }

    /// Starts `dispatchd run --consumer NAME` and waits until it joined the consumer group.
    @discardableResult
    func startWorker(_ consumer: String) async throws -> DaemonProcess {
        let worker = try DaemonProcess(binary: "dispatchd", arguments: ["run", "--consumer", consumer], environment: workerEnv,
                                       logPath: dir + "/dispatchd-\(consumer).log")
        workers.append(worker)
        _ = try await worker.waitForLog("joined consumer group", timeout: .seconds(20))
        return worker
    }

    func worker(_ consumer: String) -> DaemonProcess? {
        workers.first { $0.logPath.hasSuffix("/dispatchd-\(consumer).log") }
    }

    /// Stops ingestd and starts it again (it reads the key ring only at start); the new port
    /// is in ``ingestPort``.
    func restartIngest() async throws {
        _ = await ingest.terminate()
        try await startIngest()
    }

    private func startIngest() async throws {
        let env = [
            "TRACKHUB_INGEST_PORT": "0",
            "TRACKHUB_REDIS_URL": redisURL,
            "TRACKHUB_STREAM_PREFIX": layout.prefix,
            "TRACKHUB_SPOOL_DIR": dir + "/spool",
            "TRACKHUB_MASTER_KEY_FILE": keyFile,
            "TRACKHUB_SNAPSHOT_POLL_MS": "100",
            "TRACKHUB_LOG_LEVEL": "info",
            // The harness stands in for a proxy: a test may send a visitor's X-Forwarded-For.
            "TRACKHUB_TRUSTED_PROXIES": "127.0.0.1/32",
        ]
        ingest = try DaemonProcess(binary: "ingestd", arguments: [], environment: env, logPath: dir + "/ingestd.log")
        ingestPort = try await ingest.waitForPort("ingestd listening")
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let r = try? await RawHTTP.get(port: ingestPort, "/readyz"), r.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("ingestd not ready (snapshot published by apply?); log:\n\(ingest.log.suffix(2000))")
    }

    /// Runs a dispatchd subcommand to completion (bounded) and captures its output.
    func cli(_ arguments: [String], env extra: [String: String] = [:], timeout: Duration = .seconds(30)) async throws -> CommandResult {
        var env = commonEnv
        env.merge(extra) { _, new in new }
        return try await CommandResult.run(binary: "dispatchd", arguments: arguments, environment: env, in: dir, timeout: timeout)
    }

    // MARK: - Configuration

    /// The YAML `dispatchd apply` reads: tenant `shop` (pixel A, link ad-a to Hotmart, Hotmart
    /// account), tenant `other` (pixel B, link ad-b to a generic page, Kiwify account).
    var configYAML: String {
        """
        tenants:
          - id: \(Self.tenantA)
            name: Shop (dispatch test)
            default_country_code: "55"
            default_country: br
            allowed_origins: ["\(Self.originA)"]
            pixels:
              - id: "\(Self.pixelA)"
                token_env: \(Self.tokenEnvA)
                mode: live
                send_click_as_pageview: true
                batch_size: \(options.batchSize)
                max_events_per_second: \(options.maxEventsPerSecondA)
                default: true
            links:
              - slug: \(Self.slugA)
                destination:
                  type: hotmart
                  url: "https://pay.hotmart.com/X1234?off=a1"
                  also_src: true
            gateway_accounts:
              - gateway: hotmart
                account: main
                secret_env: TH_TEST_HOTMART_SECRET
          - id: \(Self.tenantB)
            name: Other (dispatch test)
            default_country_code: "55"
            default_country: br
            allowed_origins: ["\(Self.originB)"]
            pixels:
              - id: "\(Self.pixelB)"
                token_env: \(Self.tokenEnvB)
                mode: live
                send_click_as_pageview: true
                batch_size: \(options.batchSize)
                default: true
            links:
              - slug: \(Self.slugB)
                destination:
                  type: generic
                  url: "https://lp.other.example/offer"
                  parameter: cid
            gateway_accounts:
              - gateway: kiwify
                account: other
                secret_env: TH_TEST_KIWIFY_SECRET

        """
    }

    /// Writes the configuration and runs `dispatchd apply` (with new token values when given,
    /// as an operator would after generating a token in Events Manager). Returns its output.
    @discardableResult
    func apply(tokenA newA: String? = nil, tokenB newB: String? = nil) async throws -> CommandResult {
        if let newA { tokenA = newA }
        if let newB { tokenB = newB }
        try configYAML.write(toFile: configPath, atomically: true, encoding: .utf8)
        let result = try await cli(["apply", configPath])
        try result.requireSuccess("dispatchd apply")
        return result
    }

    // MARK: - Traffic through ingestd

    /// A click on a tracking link (with a Meta click id and a `_fbp` cookie, like a browser
    /// coming from an ad); returns the click id.
    func click(_ slug: String = DispatchFixture.slugA, fbclid: String? = "IwAR-test_Ab9", fbp: String? = "fb.1.1596403881668.1116446470",
               userAgent: String = "Mozilla/5.0 (dispatch test)") async throws -> String {
        var target = "/go/\(slug)?utm_source=fb"
        if let fbclid { target += "&fbclid=\(fbclid)" }
        var headers = [("User-Agent", userAgent)]
        if let fbp { headers.append(("Cookie", "_fbp=\(fbp)")) }
        let r = try await RawHTTP.get(port: ingestPort, target, headers: headers)
        guard r.status == 302, let cookie = r.header("Set-Cookie"), cookie.hasPrefix("th_cid=") else {
            throw HarnessError("click on /go/\(slug) answered \(r.status): \(r.text)")
        }
        return String(cookie.dropFirst("th_cid=".count).prefix { $0 != ";" })
    }

    /// Many clicks, 16 at a time; returns the click ids.
    func clicks(_ count: Int, slug: String = DispatchFixture.slugA) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            var ids: [String] = []
            var started = 0
            while started < min(16, count) {
                group.addTask { try await self.click(slug) }
                started += 1
            }
            while let id = try await group.next() {
                ids.append(id)
                if started < count {
                    group.addTask { try await self.click(slug) }
                    started += 1
                }
            }
            return ids
        }
    }

    /// `POST /track/{event}` from the tenant's landing page; returns the response (202 expected).
    func track(_ event: String, _ body: [String: Any], origin: String = DispatchFixture.originA,
               userAgent: String = "Mozilla/5.0 (dispatch test)") async throws -> RawHTTP.Response {
        var fields = body
        if fields["tenant"] == nil { fields["tenant"] = Self.tenantA }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
        return try await RawHTTP.post(port: ingestPort, "/track/\(event)", json: json,
                                      headers: [("Origin", origin), ("User-Agent", userAgent)])
    }

    // MARK: - Redis

    func redis() throws -> RedisConnection {
        try RedisConnection(endpoint: RedisEndpoint(url: redisURL)!)
    }

    /// Appends raw fields to an ingest stream (poison entries).
    @discardableResult
    func xadd(_ priority: StreamPriority, fields: [String]) throws -> String {
        let reply = try redis().command(["XADD", layout.stream(priority), "*"] + fields)
        guard let id = reply.text else { throw HarnessError("XADD failed: \(reply)") }
        return id
    }

    /// Pending entries of the consumer group per stream.
    func pendingCount() throws -> Int {
        let conn = try redis()
        var total = 0
        for stream in layout.allStreams {
            let reply = try conn.command(["XPENDING", stream, layout.consumerGroup])
            total += reply.elements.first?.int ?? 0
        }
        return total
    }

    // MARK: - Postgres

    func postgres() throws -> PostgresConnection {
        try PostgresConnection(databaseURL, applicationName: "dispatch-tests")
    }

    struct LedgerRow: Sendable, CustomStringConvertible {
        let id: Int
        let eventID: String
        let eventName: String
        let pixel: String
        let attempt: Int
        let outcome: String
        let httpStatus: Int?
        let metaCode: Int?
        let metaMessage: String?
        let fbtraceID: String?
        let requestID: String?
        let hasPayload: Bool
        var description: String {
            "#\(id) \(eventName)/\(eventID) px=\(pixel) attempt=\(attempt) \(outcome) http=\(httpStatus.map(String.init) ?? "-") code=\(metaCode.map(String.init) ?? "-")"
        }
    }

    /// Ledger rows (`dispatch_attempts`) in insertion order, optionally filtered. The `in_flight`
    /// rows written before each request only when asked for (`outcome: "in_flight"` or
    /// `inFlight: true`): the tests read the trail of outcomes; the in-flight tests read those.
    func ledger(eventID: String? = nil, outcome: String? = nil, pixel: String? = nil, inFlight: Bool = false) throws -> [LedgerRow] {
        var sql = """
            SELECT id, event_id, event_name, pixel_id, attempt, outcome, http_status, meta_code, meta_message, fbtrace_id,
                   request_id, payload IS NOT NULL AS has_payload
            FROM dispatch_attempts WHERE \(inFlight || outcome == LedgerOutcome.inFlight.rawValue ? "true" : "outcome <> 'in_flight'")
            """
        var params: [PostgresValue?] = []
        for (column, value) in [("event_id", eventID), ("outcome", outcome), ("pixel_id", pixel)] {
            guard let value else { continue }
            params.append(.string(value))
            sql += " AND \(column) = $\(params.count)"
        }
        sql += " ORDER BY id"
        let conn = try postgres()
        defer { conn.close() }
        let r = try conn.query(sql, params)
        return try r.indices.map { i in
            LedgerRow(id: try r.int(i, "id") ?? 0, eventID: try r.string(i, "event_id") ?? "", eventName: try r.string(i, "event_name") ?? "",
                      pixel: try r.string(i, "pixel_id") ?? "", attempt: try r.int(i, "attempt") ?? 0, outcome: try r.string(i, "outcome") ?? "",
                      httpStatus: try r.int(i, "http_status"), metaCode: try r.int(i, "meta_code"), metaMessage: try r.string(i, "meta_message"),
                      fbtraceID: try r.string(i, "fbtrace_id"), requestID: try r.string(i, "request_id"),
                      hasPayload: try r.bool(i, "has_payload") ?? false)
        }
    }

    /// Ledger row counts by outcome.
    func ledgerOutcomes(pixel: String? = nil) throws -> [String: Int] {
        Dictionary(try ledger(pixel: pixel).map { ($0.outcome, 1) }, uniquingKeysWith: +)
    }

    struct DeadLetterRow: Sendable, CustomStringConvertible {
        let id: Int
        let reason: String
        let detail: String
        let eventID: String?
        let pixel: String?
        let envelopeID: String?
        let streamID: String?
        let payload: String?
        let replayed: Bool
        var description: String { "dl#\(id) \(reason) event=\(eventID ?? "-") stream=\(streamID ?? "-") replayed=\(replayed): \(detail.prefix(120))" }
    }

    func deadLetters(reason: String? = nil) throws -> [DeadLetterRow] {
        var sql = "SELECT id, reason, detail, event_id, pixel_id, envelope_id, stream_id, payload, replayed_at IS NOT NULL AS replayed FROM dead_letters"
        var params: [PostgresValue?] = []
        if let reason {
            sql += " WHERE reason = $1"
            params.append(.string(reason))
        }
        sql += " ORDER BY id"
        let conn = try postgres()
        defer { conn.close() }
        let r = try conn.query(sql, params)
        return try r.indices.map { i in
            DeadLetterRow(id: try r.int(i, "id") ?? 0, reason: try r.string(i, "reason") ?? "", detail: try r.string(i, "detail") ?? "",
                          eventID: try r.string(i, "event_id"), pixel: try r.string(i, "pixel_id"), envelopeID: try r.string(i, "envelope_id"),
                          streamID: try r.string(i, "stream_id"), payload: try r.string(i, "payload"),
                          replayed: try r.bool(i, "replayed") ?? false)
        }
    }

    /// Inserts a dead letter directly (to craft cases the pipeline can't produce on demand,
    /// such as an event older than Meta's window); returns its id.
    /// `payload` overrides the stored text (e.g. an older shape of the event).
    func insertDeadLetter(reason: String, detail: String, event: OutboundEvent, payload: String? = nil) throws -> Int {
        let payload = try payload ?? String(decoding: JSONEncoder().encode(event), as: UTF8.self)
        let conn = try postgres()
        defer { conn.close() }
        let r = try conn.query(
            "INSERT INTO dead_letters (envelope_id, reason, detail, payload, event_id, pixel_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            [.string(event.envelopeID), .string(reason), .string(detail), .string(payload), .string(event.eventID), .string(event.pixel)])
        return try r.int(0, "id") ?? 0
    }

    // MARK: - Waiting

    /// Polls `condition` until it holds; throws with `describe()` after `timeout`.
    func eventually(_ what: String, timeout: Duration = .seconds(20), poll: Duration = .milliseconds(100),
                    describe: () throws -> String = { "" }, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try condition() { return }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("timed out after \(timeout) waiting for \(what). \((try? describe()) ?? "")\nfake meta: \(meta?.summary().suffix(1500) ?? "-")")
            }
            try await Task.sleep(for: poll)
        }
    }

    /// Waits until every entry of every stream is acknowledged and the retry schedule is empty.
    func waitIdle(timeout: Duration = .seconds(20)) async throws {
        let schedule = RetrySchedule(layout: layout)
        try await eventually("streams drained and retry schedule empty", timeout: timeout,
                             describe: { "pending=\(try self.pendingCount()) retries=\(try schedule.depth(connection: self.redis()))" }) {
            let depth = try schedule.depth(connection: redis())
            return try pendingCount() == 0 && depth.scheduled == 0 && depth.inflight == 0
        }
    }

    // MARK: - Logs

    /// Every worker's log, concatenated.
    var workerLogs: String { workers.map(\.log).joined(separator: "\n") }

    /// The value of `key=` in a logfmt line.
    static func logValue(_ key: String, in line: Substring) -> String? {
        guard let range = line.range(of: " \(key)=") else { return nil }
        let rest = line[range.upperBound...]
        if rest.hasPrefix("\"") { return String(rest.dropFirst().prefix { $0 != "\"" }) }
        return String(rest.prefix { $0 != " " })
    }

    /// event_ids of the `outcome=sent` lines in a worker's log.
    static func sentEventIDs(in log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains("msg=\"event sent\"") }.compactMap { logValue("event_id", in: $0) }
    }

    // MARK: - Teardown

    /// Stops every process (SIGTERM, then SIGKILL after a bound), the fake server, drops the
    /// database and deletes the Redis keys. Safe to call twice.
    func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for process in workers + [ingest].compactMap({ $0 }) {
                group.addTask { await process.terminate(timeout: .seconds(10)) }
            }
        }
        await meta?.stop()
        if let conn = try? redis() {
            var cursor = "0"
            repeat {
                guard let reply = try? conn.command(["SCAN", cursor, "MATCH", layout.prefix + ":*", "COUNT", "1000"]),
                      reply.elements.count == 2 else { break }
                cursor = reply.elements[0].text ?? "0"
                let keys = reply.elements[1].elements.compactMap(\.text)
                if !keys.isEmpty { _ = try? conn.command(["DEL"] + keys) }
            } while cursor != "0"
        }
        if databaseCreated, let base = TestEnvironment.databaseURL, let admin = try? PostgresConnection(base, applicationName: "dispatch-tests") {
            try? admin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
            admin.close()
            databaseCreated = false
        }
    }

    private func createDatabase() throws {
        let admin = try PostgresConnection(TestEnvironment.databaseURL!, applicationName: "dispatch-tests")
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(databaseName)")
        databaseCreated = true
    }

    /// Log tails of every process, for failure messages.
    func diagnostics() -> String {
        var s = "fixture \(name) in \(dir), prefix \(layout.prefix)\n"
        for w in workers { s += "--- \(w.logPath) (last 3000 chars)\n\(w.log.suffix(3000))\n" }
        if let ingest { s += "--- ingestd (last 1000 chars)\n\(ingest.log.suffix(1000))\n" }
        return s
    }
}

/// Runs `body` with a started fixture and always tears it down; on failure the processes' log
/// tails are recorded with the error.
func withDispatchFixture<T>(_ name: String, options: DispatchFixture.Options = .init(),
                            _ body: (DispatchFixture) async throws -> T) async throws -> T {
    let f = try await DispatchFixture.start(name, options: options)
    do {
        let result = try await body(f)
        await f.stop()
        return result
    } catch {
        Issue.record("\(error)\n\(f.diagnostics())")
        await f.stop()
        throw error
    }
}

/// The result of one finished CLI run.
struct CommandResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String

    var output: String { stdout + stderr }

    func requireSuccess(_ what: String) throws {
        guard status == 0 else { throw HarnessError("\(what) exited \(status):\n\(stdout)\n\(stderr)") }
    }

    /// Runs a binary from TRACKHUB_BIN_DIR with only the given `TRACKHUB_*` settings; kills it
    /// (and throws) if it has not finished after `timeout`.
    static func run(binary: String, arguments: [String], environment: [String: String], in dir: String,
                    timeout: Duration) async throws -> CommandResult {
        let tag = UUID().uuidString.prefix(8)
        let outPath = dir + "/cli-\(tag).out", errPath = dir + "/cli-\(tag).err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binDir! + "/" + binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRACKHUB_") || $0.key.hasPrefix("TRACKHUB_TEST") }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw HarnessError("\(binary) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return CommandResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

extension DispatchFixture {
    /// Waits until the fake Meta server accepted every one of `ids` (for `pixel`, when given).
    func waitDelivered<C: Collection>(_ ids: C, pixel: String? = nil, timeout: Duration = .seconds(20)) async throws where C.Element == String {
        let want = Set(ids)
        try await eventually("\(want.count) event(s) accepted by the fake Meta", timeout: timeout, describe: {
            let got = Set(self.meta.acceptedEvents(pixel: pixel).compactMap(\.eventID))
            return "missing \(want.subtracting(got).count): \(Array(want.subtracting(got).prefix(5)))"
        }) {
            want.isSubset(of: Set(meta.acceptedEvents(pixel: pixel).compactMap(\.eventID)))
        }
    }

    /// How many times the fake accepted each event id.
    func acceptedCounts(pixel: String? = nil) -> [String: Int] {
        Dictionary(meta.acceptedEvents(pixel: pixel).compactMap { $0.eventID.map { ($0, 1) } }, uniquingKeysWith: +)
    }
}
