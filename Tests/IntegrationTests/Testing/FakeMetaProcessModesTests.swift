import Foundation
import Testing
import TrackhubCore
import TrackhubTesting
import Logging
import ServiceLifecycle

/// The fake Meta as `trackhub-fake meta` serves it to scripts: the JSON control API (what
/// scripts/faults programs), the records file it counts from, the approving Mercado Pago, the
/// counting-only mode of scripts/bench, and production's validator behind the events edge.
/// No Redis or Postgres needed.
@Suite("FakeMeta process modes")
struct FakeMetaProcessModesTests {
    static let pixel = "101000000001"
    static let token = "EAAB-control-token-42aa"

    /// A valid Purchase from a payment gateway (no browser fields needed).
    static func purchase(id: String, order: String = "order-1") -> FakeJSON {
        [
            "event_name": "Purchase", "event_time": .int(Int(Date().timeIntervalSince1970)), "event_id": .string(id),
            "action_source": "system_generated",
            "user_data": ["em": ["973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"]],
            "custom_data": ["currency": "BRL", "value": 197.0, "order_id": .string(order)],
        ]
    }

    /// The full `trackhub-fake meta` stack in-process: Graph edge, Mercado Pago, control API.
    static func withProcessFake(_ body: (FakeHTTPServer, FakeMeta, CurlClientPool) async throws -> Void) async throws {
        var options = FakeMetaOptions()
        options.keepRecords = false
        let meta = FakeMeta(options: options)
        let mercadoPago = FakeMercadoPago(approveUnknown: true)
        let server = try await FakeHTTPServer.start(
            routes: [FakeGraphRoutes(meta: meta), FakeMercadoPagoRoutes(mercadoPago: mercadoPago),
                     FakeControlRoutes(meta: meta, mercadoPago: mercadoPago)],
            name: "FakeMetaProcess")
        let pool = try CurlClientPool(size: 2)
        do {
            try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) { try await body(server, meta, pool) }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func control(_ server: FakeHTTPServer, _ pool: CurlClientPool, _ json: FakeJSON) async -> Int? {
        await pool.post(url: server.baseURL + "/_control", body: Array(json.jsonText.utf8),
                        headers: ["Content-Type: application/json"], timeout: .seconds(30)).status
    }

    static func send(_ server: FakeHTTPServer, _ pool: CurlClientPool, _ events: [FakeJSON], token: String = token) async -> HTTPOutcome {
        let url = "\(server.baseURL)/v25.0/\(pixel)/events"
        let body = CAPIRequestBody.withAccessToken(Array(FakeJSON.object(["data": .array(events)]).jsonText.utf8), token)
        return await pool.post(url: url, body: body, timeout: .seconds(30))
    }

    @Test("the control API programs behaviours, rejections and tokens; reset records to a JSON-lines file")
    func controlAPI() async throws {
        let records = FileManager.default.temporaryDirectory.appendingPathComponent("fakemeta-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: records) }
        try await Self.withProcessFake { server, meta, pool in
            #expect(await Self.control(server, pool, ["reset": ["records": .string(records)], "latency_ms": 5]) == 200)
            #expect(meta.latency == .milliseconds(5))
            #expect(await Self.send(server, pool, [Self.purchase(id: "hotmart.HP1")]).status == 200)

            #expect(await Self.control(server, pool, ["behaviour": [.init(stringLiteral: Self.pixel): ["mode": "status", "status": 503]]]) == 200)
            #expect(await Self.send(server, pool, [Self.purchase(id: "hotmart.HP2")]).status == 503)
            #expect(await Self.control(server, pool, ["behaviour": ["*": ["mode": "graph", "http": 400, "code": 4, "transient": true],
                                                                    .init(stringLiteral: Self.pixel): ["mode": "ok"]]]) == 200)
            #expect(meta.defaultBehaviour == .graphError(httpStatus: 400, code: 4, subcode: nil, message: "fake error", isTransient: true))

            #expect(await Self.control(server, pool, ["reject_prefixes": ["rej-"]]) == 200)
            #expect(await Self.send(server, pool, [Self.purchase(id: "ok-1"), Self.purchase(id: "rej-2")]).status == 400)

            let fingerprint = FakeMeta.tokenFingerprint("rotated")
            #expect(await Self.control(server, pool, ["expect_token": [.init(stringLiteral: Self.pixel): .string(fingerprint)]]) == 200)
            #expect(await Self.send(server, pool, [Self.purchase(id: "ok-3")]).status == 400)
            #expect(await Self.send(server, pool, [Self.purchase(id: "ok-4")], token: "rotated").status == 200)

            #expect(await Self.control(server, pool, ["behaviour": ["x": ["mode": "nonsense"]]]) == 400)

            let lines = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n").compactMap { FakeJSON.parse(String($0)) }
            #expect(lines.map { $0["status"]?.intValue } == [200, 503, 400, 400, 200])
            #expect(lines.map { $0["code"]?.intValue } == [nil, nil, 100, 190, nil])
            #expect(lines[0]["accepted"] == [["name": "Purchase", "id": "hotmart.HP1", "order": "order-1", "keys": ["em"]]])
            #expect(lines[0]["token_fp"]?.stringValue == String(FakeMeta.tokenFingerprint(Self.token).prefix(16)))
            #expect(!lines.contains { $0.jsonText.contains(Self.token) })
            #expect(meta.requests().isEmpty, "keepRecords off: nothing kept in memory")
        }
    }

    @Test("Mercado Pago approves any payment id, with the token set by fingerprint")
    func mercadoPago() async throws {
        try await Self.withProcessFake { server, _, pool in
            let url = server.baseURL + "/v1/payments/9123"
            let payment = await pool.get(url: url, headers: ["Authorization: Bearer anything"], timeout: .seconds(30))
            #expect(payment.status == 200)
            let json = try #require(payment.body.flatMap(FakeJSON.parse))
            #expect(json["status"] == "approved")
            #expect(json["id"] == 9123)

            #expect(await Self.control(server, pool, ["mp_token": .string(FakeMeta.tokenFingerprint("APP_USR-1"))]) == 200)
            #expect(await pool.get(url: url, headers: ["Authorization: Bearer anything"], timeout: .seconds(30)).status == 401)
            #expect(await pool.get(url: url, headers: ["Authorization: Bearer APP_USR-1"], timeout: .seconds(30)).status == 200)
        }
    }

    @Test("production's validator decides: what CAPIEventValidator refuses, the fake refuses (code 100)")
    func productionValidator() async throws {
        let pool = try CurlClientPool(size: 1)
        try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
        try await FakeMetaServer.withServer { server in
            func status(_ change: (inout [String: FakeJSON]) -> Void) async -> Int? {
                var event = Self.purchase(id: UUID().uuidString).objectValue!
                change(&event)
                let body = FakeJSON.object(["data": [.object(event)]])
                return await pool.post(url: server.eventsURL(pixel: Self.pixel),
                                       body: CAPIRequestBody.withAccessToken(Array(body.jsonText.utf8), Self.token),
                                       timeout: .seconds(30)).status
            }
            #expect(await status { _ in } == 200)
            #expect(await status { $0["custom_data"] = ["value": 197.0] } == 400, "Purchase without currency")
            #expect(await status { $0["custom_data"] = ["currency": "BRL"] } == 400, "Purchase without value")
            #expect(await status { $0["user_data"] = ["fbc": "not-a-cookie"] } == 400, "malformed fbc")
            #expect(await status { $0["user_data"] = ["client_ip_address": "1.2.3.4, 10.0.0.1"] } == 400, "a proxy's list is no IP")
            #expect(await status { $0["action_source"] = "physical_store"; $0["event_time"] = .int(Int(Date().timeIntervalSince1970) - 30 * 86_400) } == 200,
                    "physical_store events have 62 days")
            #expect(await status { $0["user_data"] = ["lead_id": "123"] } == 200, "user_data keys the model does not carry still count")
            #expect(server.acceptedCount() == 3)
        }
        }
    }

    @Test("counting-only mode counts events and answers like Meta, without a JSON tree")
    func countingMode() async throws {
        let counter = FakeMetaCounter(latency: .zero)
        let server = try await FakeHTTPServer.start(routes: [counter], name: "FakeMetaCounter")
        let pool = try CurlClientPool(size: 1)
        let (ok, empty, stats) = try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
            (await Self.send(server, pool, [Self.purchase(id: "a"), Self.purchase(id: "b")]),
             await Self.send(server, pool, []),
             await pool.get(url: server.baseURL + "/stats", timeout: .seconds(30)))
        }
        await server.stop()
        #expect(ok.status == 200)
        #expect(ok.body.flatMap(FakeJSON.parse)?["events_received"] == 2)
        #expect(empty.status == 400)
        #expect(stats.body.flatMap(FakeJSON.parse) == ["requests": 2, "events": 2, "rejected": 1])
    }
}
