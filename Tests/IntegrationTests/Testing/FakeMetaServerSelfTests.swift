import Foundation
import Logging
import ServiceLifecycle
import Testing
import TrackhubCore
import TrackhubTesting

/// Proves each FakeMetaServer behaviour over real HTTP through CurlClientPool, so the
/// integration tests that rely on the fake can trust what it answers and records.
/// Needs no external service (no Redis/Postgres), so it always runs.
@Suite("FakeMetaServer")
struct FakeMetaServerSelfTests {
    static let pixel = "1234567890"
    static let token = "EAAB-test-token-9f3a"
    static let emailHash = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"

    static var now: Int { Int(Date().timeIntervalSince1970) }

    /// A valid website event (all of Meta's required fields plus the website ones).
    static func event(_ name: String = "Purchase", id: String? = UUID().uuidString, time: Int? = nil, source: String = "website") -> FakeJSON {
        var object: [String: FakeJSON] = [
            "event_name": .string(name),
            "event_time": .int(time ?? now),
            "action_source": .string(source),
            "event_source_url": "https://shop.example/checkout",
            "user_data": [
                "em": [.string(emailHash)],
                "client_user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
                "client_ip_address": "203.0.113.7",
            ],
            "custom_data": ["currency": "BRL", "value": 97.5],
        ]
        if let id { object["event_id"] = .string(id) }
        return .object(object)
    }

    static func batch(_ events: [FakeJSON], testEventCode: String? = nil) -> FakeJSON {
        var body: [String: FakeJSON] = ["data": .array(events)]
        if let testEventCode { body["test_event_code"] = .string(testEventCode) }
        return .object(body)
    }

    /// Starts a fake and a two-thread client pool, runs `body`, stops both.
    static func withFake(_ body: (FakeMetaServer, CurlClientPool) async throws -> Void) async throws {
        let pool = try CurlClientPool(size: 2)
        try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
            try await FakeMetaServer.withServer { meta in try await body(meta, pool) }
        }
    }

    /// Requests wait up to 30 s (the fake answers in milliseconds): at the start of a full run,
    /// hundreds of tests starting at once on 2 cores once held answers past a 5 s timeout.
    static func send(
        _ meta: FakeMetaServer,
        _ pool: CurlClientPool,
        _ body: FakeJSON,
        pixel: String = pixel,
        token: String = token,
        timeout: Duration = .seconds(30)
    ) async -> HTTPOutcome {
        await pool.post(url: meta.eventsURL(pixel: pixel), body: wire(body, token: token), timeout: timeout)
    }

    /// `body` as Trackhub sends it: the token as the body's first member.
    static func wire(_ body: FakeJSON, token: String = token) -> [UInt8] {
        CAPIRequestBody.withAccessToken(Array(body.jsonText.utf8), token)
    }

    /// The status and JSON body of a response; throws (failing the test) for anything else.
    static func answer(_ outcome: HTTPOutcome) throws -> (status: Int, json: FakeJSON) {
        guard case .response(let status, let body, _) = outcome else {
            throw FakeServerError("expected an HTTP response, got \(outcome)")
        }
        guard let json = FakeJSON.parse(body) else {
            throw FakeServerError("HTTP \(status) body is not JSON: \(String(decoding: body, as: UTF8.self))")
        }
        return (status, json)
    }

    // MARK: Acceptance and recording

    @Test("a valid batch is accepted and recorded as sent, without storing the token")
    func acceptsValidBatch() async throws {
        try await Self.withFake { meta, pool in
            let purchase = Self.event("Purchase", id: "order-1")
            let lead = Self.event("Lead", id: "lead-1", source: "system_generated")
            let (status, json) = try Self.answer(await Self.send(meta, pool, Self.batch([purchase, lead], testEventCode: "TEST123")))

            #expect(status == 200)
            #expect(json["events_received"] == 2)
            #expect(json["messages"] == [])
            #expect(json["fbtrace_id"]?.stringValue?.isEmpty == false)

            let accepted = meta.acceptedEvents(pixel: Self.pixel)
            #expect(accepted.count == 2)
            #expect(accepted.first?.json == purchase)
            #expect(accepted.first?["user_data"]?["em"]?[0]?.stringValue == Self.emailHash)
            #expect(accepted.map(\.testEventCode) == ["TEST123", "TEST123"])
            #expect(accepted.map(\.actionSource) == ["website", "system_generated"])
            #expect(meta.acceptedCount(pixel: Self.pixel, eventName: "Lead") == 1)
            #expect(meta.acceptedCount(eventID: "order-1") == 1)
            #expect(meta.acceptedCount(pixel: "999") == 0)
            #expect(meta.duplicates().isEmpty)

            let request = try #require(meta.requests(pixel: Self.pixel).first)
            #expect(request.status == 200 && request.accepted)
            #expect(request.apiVersion == "v25.0")
            #expect(request.eventCount == 2)
            #expect(request.eventIDs == ["order-1", "lead-1"])
            #expect(request.testEventCode == "TEST123")
            #expect(request.tokenLast4 == "9f3a")
            #expect(request.tokenFingerprint == FakeMeta.tokenFingerprint(Self.token))
            #expect(!String(describing: request).contains(Self.token))
            #expect(request.fbtraceID == json["fbtrace_id"]?.stringValue)
        }
    }

    @Test("boundaries: 1000 events and a 6-day-old event are accepted")
    func acceptsBoundaries() async throws {
        try await Self.withFake { meta, pool in
            let thousand = (0..<1000).map { Self.event(id: "bulk-\($0)") }
            let (status, json) = try Self.answer(await Self.send(meta, pool, Self.batch(thousand)))
            #expect(status == 200)
            #expect(json["events_received"] == 1000)

            let old = Self.event(id: "six-days", time: Self.now - 6 * 86_400)
            #expect(try Self.answer(await Self.send(meta, pool, Self.batch([old]))).status == 200)
            #expect(meta.acceptedCount() == 1001)
        }
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let label: String
        let body: [UInt8]
        let subcode: Int?
        var testDescription: String { label }

        init(_ label: String, _ body: FakeJSON, subcode: Int? = nil) {
            self.label = label
            self.body = FakeMetaServerSelfTests.wire(body)
            self.subcode = subcode
        }

        init(_ label: String, raw: String) {
            self.label = label
            self.body = CAPIRequestBody.withAccessToken(Array(raw.utf8), FakeMetaServerSelfTests.token)
            self.subcode = nil
        }

        static func withEvent(_ label: String, _ change: (inout [String: FakeJSON]) -> Void) -> InvalidCase {
            var event = FakeMetaServerSelfTests.event().objectValue!
            change(&event)
            return InvalidCase(label, FakeMetaServerSelfTests.batch([FakeMetaServerSelfTests.event(), .object(event)]))
        }

        static let all: [InvalidCase] = [
            InvalidCase(
                "event older than 7 days rejects the whole batch",
                FakeMetaServerSelfTests.batch([FakeMetaServerSelfTests.event(), FakeMetaServerSelfTests.event(time: FakeMetaServerSelfTests.now - 8 * 86_400)]),
                subcode: 2_804_003
            ),
            InvalidCase("empty data", ["data": []]),
            InvalidCase("1001 events", FakeMetaServerSelfTests.batch((0..<1001).map { _ in FakeMetaServerSelfTests.event() })),
            InvalidCase("data missing", ["test_event_code": "T1"]),
            InvalidCase("data not an array", ["data": ["event_name": "Purchase"]]),
            InvalidCase("test_event_code not a string", ["data": [FakeMetaServerSelfTests.event()], "test_event_code": 5]),
            InvalidCase("body not JSON", raw: "{\"data\": ["),
            withEvent("event_name missing") { $0["event_name"] = nil },
            withEvent("event_time missing") { $0["event_time"] = nil },
            withEvent("event_time as a string") { $0["event_time"] = .string(String(FakeMetaServerSelfTests.now)) },
            withEvent("event_time in milliseconds") { $0["event_time"] = .int(FakeMetaServerSelfTests.now * 1000) },
            withEvent("action_source missing") { $0["action_source"] = nil },
            withEvent("action_source unknown") { $0["action_source"] = "web" },
            withEvent("user_data missing") { $0["user_data"] = nil },
            withEvent("user_data empty") { $0["user_data"] = [:] },
            withEvent("website event without client_user_agent") { $0["user_data"] = ["em": [.string(FakeMetaServerSelfTests.emailHash)]] },
            withEvent("website event without event_source_url") { $0["event_source_url"] = nil },
            withEvent("event_id not a string") { $0["event_id"] = 42 },
            InvalidCase("event not an object", ["data": [FakeMetaServerSelfTests.event(), "Purchase"]]),
        ]
    }

    @Test("invalid requests are rejected whole with code 100", arguments: InvalidCase.all)
    func rejectsInvalid(_ invalid: InvalidCase) async throws {
        try await Self.withFake { meta, pool in
            let outcome = await pool.post(url: meta.eventsURL(pixel: Self.pixel), body: invalid.body, timeout: .seconds(30))
            let (status, json) = try Self.answer(outcome)
            #expect(status == 400)
            #expect(json["error"]?["code"] == 100)
            #expect(json["error"]?["type"] == "OAuthException")
            #expect(json["error"]?["is_transient"] == false)
            #expect(json["error"]?["error_subcode"]?.intValue == invalid.subcode)
            if invalid.subcode == 2_804_003 {
                #expect(json["error"]?["error_user_title"] == "Event Timestamp Too Old")
            }
            #expect(meta.acceptedCount() == 0)
            let request = try #require(meta.requests().first)
            #expect(request.status == 400 && !request.accepted)
            #expect(request.errorCode == 100)
            #expect(request.errorSubcode == invalid.subcode)
        }
    }

    @Test("malformed pixel ids and API versions are refused")
    func rejectsBadPath() async throws {
        try await Self.withFake { meta, pool in
            let body = Self.wire(Self.batch([Self.event()]))
            let badPixel = try Self.answer(await pool.post(url: meta.eventsURL(pixel: "px-abc"), body: body, timeout: .seconds(30)))
            #expect(badPixel.status == 400)
            #expect(badPixel.json["error"]?["code"] == 100)
            #expect(badPixel.json["error"]?["error_subcode"] == 33)

            let badVersion = try Self.answer(await pool.post(url: meta.eventsURL(pixel: Self.pixel, version: "25"), body: body, timeout: .seconds(30)))
            #expect(badVersion.status == 400)
            #expect(badVersion.json["error"]?["code"] == 100)
            #expect(meta.acceptedCount() == 0)
        }
    }

    // MARK: Tokens

    @Test("expected tokens: mismatch 190, missing 104, match and form-field token accepted")
    func tokens() async throws {
        try await Self.withFake { meta, pool in
            meta.expectToken(pixel: Self.pixel, token: "right-token")
            let body = Self.batch([Self.event()])

            let wrong = try Self.answer(await Self.send(meta, pool, body, token: "wrong-token"))
            #expect(wrong.status == 400)
            #expect(wrong.json["error"]?["code"] == 190)
            #expect(wrong.json["error"]?["message"] == "Invalid OAuth access token - Cannot parse access token")

            let missing = try Self.answer(await pool.post(
                url: "\(meta.baseURL)/v25.0/\(Self.pixel)/events",
                body: Array(body.jsonText.utf8),
                timeout: .seconds(30)
            ))
            #expect(missing.status == 400)
            #expect(missing.json["error"]?["code"] == 104)

            #expect(try Self.answer(await Self.send(meta, pool, body, token: "right-token")).status == 200)

            // The right token in the URL query is refused: Trackhub sends it in the body only.
            let inURL = try Self.answer(await pool.post(
                url: "\(meta.baseURL)/v25.0/\(Self.pixel)/events?access_token=right-token",
                body: Self.wire(Self.batch([Self.event(id: "url-1")]), token: "right-token"),
                timeout: .seconds(30)
            ))
            #expect(inURL.status == 400)
            #expect(inURL.json["error"]?["code"] == 100)
            #expect(meta.acceptedCount(eventID: "url-1") == 0)

            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+")
            let dataField = Self.batch([Self.event(id: "form-1")])["data"]!.jsonText.addingPercentEncoding(withAllowedCharacters: allowed)!
            let form = try Self.answer(await pool.post(
                url: "\(meta.baseURL)/v25.0/\(Self.pixel)/events",
                body: Array("access_token=right-token&data=\(dataField)".utf8),
                headers: ["Content-Type: application/x-www-form-urlencoded"],
                timeout: .seconds(30)
            ))
            #expect(form.status == 200)
            #expect(meta.acceptedCount(eventID: "form-1") == 1)

            // A pixel with no expectation takes any non-empty token.
            #expect(try Self.answer(await Self.send(meta, pool, body, pixel: "555", token: "anything")).status == 200)

            #expect(meta.acceptedCount(pixel: Self.pixel) == 2)
            #expect(meta.requests(pixel: Self.pixel).map(\.status) == [400, 400, 200, 400, 200])
            #expect(meta.requests(pixel: Self.pixel).map(\.tokenLast4) == ["oken", nil, "oken", "oken", "oken"])
            #expect(meta.requests(pixel: Self.pixel)[0].tokenFingerprint == FakeMeta.tokenFingerprint("wrong-token"))
        }
    }

    // MARK: Behaviours

    @Test(".status(500) answers a raw 500 and accepts nothing")
    func rawStatus() async throws {
        try await Self.withFake { meta, pool in
            meta.setBehaviour(.status(500), pixel: Self.pixel)
            let outcome = await Self.send(meta, pool, Self.batch([Self.event()]))
            guard case .response(let status, let body, _) = outcome else {
                Issue.record("expected a response, got \(outcome)")
                return
            }
            #expect(status == 500)
            #expect(FakeJSON.parse(body)?["error"] == nil)
            #expect(meta.acceptedCount() == 0)
            #expect(meta.requests().map(\.status) == [500])
            #expect(meta.requests().first?.eventCount == 1)
        }
    }

    @Test(".delay makes the client time out, yet the events are accepted afterwards")
    func delay() async throws {
        try await Self.withFake { meta, pool in
            meta.setBehaviour(.delay(.milliseconds(700)), pixel: Self.pixel)
            let outcome = await Self.send(meta, pool, Self.batch([Self.event(id: "late-1")]), timeout: .milliseconds(200))
            #expect(outcome.failureKind == .timeout)
            #expect(outcome.latency < .milliseconds(650))

            let accepted = try await meta.waitFor(count: 1, pixel: Self.pixel, timeout: .seconds(30))
            #expect(accepted.map(\.eventID) == ["late-1"])
            let request = try #require(meta.requests().first)
            #expect(request.status == 200)
            // The server answered (and accepted) only after the client had given up.
            #expect(request.answeredAt.timeIntervalSince(request.receivedAt) >= 0.69)
        }
    }

    @Test(
        ".graphError answers Meta's error shape with the given status, code and subcode",
        arguments: [
            FakeMetaBehaviour.invalidToken, .applicationThrottled, .userThrottled, .adAccountThrottled, .serviceError,
        ]
    )
    func graphError(_ behaviour: FakeMetaBehaviour) async throws {
        guard case .graphError(let httpStatus, let code, let subcode, let message, let isTransient) = behaviour else {
            Issue.record("not a graphError: \(behaviour)")
            return
        }
        try await Self.withFake { meta, pool in
            meta.setBehaviour(behaviour, pixel: Self.pixel)
            let (status, json) = try Self.answer(await Self.send(meta, pool, Self.batch([Self.event()])))
            #expect(status == httpStatus)
            let error = try #require(json["error"])
            #expect(error["code"]?.intValue == code)
            #expect(error["error_subcode"]?.intValue == subcode)
            #expect(error["message"]?.stringValue == message)
            #expect(error["is_transient"]?.boolValue == isTransient)
            #expect(error["type"] == "OAuthException")
            #expect(error["fbtrace_id"]?.stringValue?.isEmpty == false)
            #expect(meta.acceptedCount() == 0)
            #expect(meta.requests().first?.errorCode == code)
        }
    }

    @Test(".failNextRequests counts down, then switches to the next behaviour")
    func failNextRequests() async throws {
        try await Self.withFake { meta, pool in
            meta.setBehaviour(.failNextRequests(2, then: .ok), pixel: Self.pixel)
            var statuses: [Int] = []
            var codes: [Int?] = []
            for index in 0..<3 {
                let (status, json) = try Self.answer(await Self.send(meta, pool, Self.batch([Self.event(id: "retry-\(index)")])))
                statuses.append(status)
                codes.append(json["error"]?["code"]?.intValue)
            }
            #expect(statuses == [500, 500, 200])
            #expect(codes == [2, 2, nil])
            #expect(meta.behaviour(pixel: Self.pixel) == .ok)
            #expect(meta.acceptedEvents().map(\.eventID) == ["retry-2"])

            meta.setBehaviour(.failNextRequests(1, with: .status(503), then: .applicationThrottled), pixel: "777")
            var other: [Int] = []
            for _ in 0..<3 {
                other.append(await Self.send(meta, pool, Self.batch([Self.event()]), pixel: "777").status ?? -1)
            }
            #expect(other == [503, 400, 400])
            #expect(meta.requests(pixel: "777").compactMap(\.errorCode) == [4, 4])
        }
    }

    @Test("rejectEventIDs rejects the whole batch with 2804019 naming the id")
    func rejectEventIDs() async throws {
        try await Self.withFake { meta, pool in
            meta.rejectEventIDs = ["bad-1"]
            let body = Self.batch([Self.event(id: "good-1"), Self.event(id: "bad-1"), Self.event(id: "good-2")])

            let (status, json) = try Self.answer(await Self.send(meta, pool, body))
            #expect(status == 400)
            #expect(json["error"]?["code"] == 100)
            #expect(json["error"]?["error_subcode"] == 2_804_019)
            #expect(json["error"]?["message"]?.stringValue?.contains("bad-1") == true)
            #expect(meta.acceptedCount() == 0)

            meta.rejectEventIDs = []
            #expect(try Self.answer(await Self.send(meta, pool, body)).status == 200)
            #expect(meta.acceptedEvents().compactMap(\.eventID) == ["good-1", "bad-1", "good-2"])
        }
    }

    @Test("duplicates() lists same pixel + event_name + event_id accepted twice, and nothing else")
    func duplicates() async throws {
        try await Self.withFake { meta, pool in
            let event = Self.event("Purchase", id: "order-42")
            var statuses: [Int?] = []
            for pixel in [Self.pixel, Self.pixel, "555"] {
                statuses.append(await Self.send(meta, pool, Self.batch([event]), pixel: pixel).status)
            }
            // Same id under another event name is a different event for Meta.
            statuses.append(await Self.send(meta, pool, Self.batch([Self.event("InitiateCheckout", id: "order-42")])).status)
            #expect(statuses == [200, 200, 200, 200])

            #expect(meta.duplicates() == [FakeMetaDuplicate(pixel: Self.pixel, eventName: "Purchase", eventID: "order-42", count: 2)])
            #expect(meta.acceptedCount(eventID: "order-42") == 4)
        }
    }

    @Test("behaviours are per pixel; the default applies to pixels without one")
    func perPixel() async throws {
        try await Self.withFake { meta, pool in
            meta.setBehaviour(.status(502), pixel: "111")
            let body = Self.batch([Self.event()])
            #expect(await Self.send(meta, pool, body, pixel: "111").status == 502)
            #expect(await Self.send(meta, pool, body, pixel: "222").status == 200)

            meta.defaultBehaviour = .invalidToken
            #expect(await Self.send(meta, pool, body, pixel: "222").status == 400)
            #expect(await Self.send(meta, pool, body, pixel: "111").status == 502)
            meta.setBehaviour(.ok, pixel: "222")
            #expect(await Self.send(meta, pool, body, pixel: "222").status == 200)
            #expect(meta.acceptedCount(pixel: "222") == 2)
            #expect(meta.acceptedCount(pixel: "111") == 0)
        }
    }

    // MARK: Waiting and lifecycle

    @Test("waitFor returns once events arrive, and throws with a summary when they do not")
    func waitFor() async throws {
        try await Self.withFake { meta, pool in
            let sender = Task {
                try await Task.sleep(for: .milliseconds(200))
                return await Self.send(meta, pool, Self.batch([Self.event("Lead", id: "w-1"), Self.event("Lead", id: "w-2")]))
            }
            let events = try await meta.waitFor(count: 2, eventName: "Lead", timeout: .seconds(30))
            #expect(events.compactMap(\.eventID) == ["w-1", "w-2"])
            #expect(try await sender.value.status == 200)

            let started = ContinuousClock.now
            await #expect(throws: FakeServerError.self) {
                try await meta.waitFor(count: 3, eventName: "Lead", timeout: .milliseconds(150))
            }
            // It gives up rather than waiting for ever (loosely bounded: a starved 2-core run once took 11 s
            // to schedule a 150 ms wait; the wait's own precision is not what this test is about).
            #expect(ContinuousClock.now - started < .seconds(60))
            meta.clearRecords()
            #expect(meta.requests().isEmpty && meta.acceptedEvents().isEmpty)
        }
    }

    @Test("after stop() the port refuses connections")
    func stop() async throws {
        let pool = try CurlClientPool(size: 1)
        let meta = try await FakeMetaServer.start()
        #expect(meta.baseURL == "http://127.0.0.1:\(meta.port)")
        let after = try await ServiceGroup.withRunning([pool], logger: Logger(label: "test")) {
            #expect(await Self.send(meta, pool, Self.batch([Self.event()])).status == 200)
            await meta.stop()
            return await Self.send(meta, pool, Self.batch([Self.event()]))
        }
        #expect(after.failureKind == .connect)
    }
}
