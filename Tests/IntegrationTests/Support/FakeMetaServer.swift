import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// An in-process stand-in for `graph.facebook.com`'s Conversions API edge, for integration
/// tests: `POST /{version}/{pixel}/events?access_token=…` with `{"data":[…],"test_event_code"?}`.
///
/// Why a fake and not a mock: the dispatcher talks to it over real HTTP through the real
/// `CurlHTTPClient`, so timeouts, keep-alive, status handling and the exact JSON we send are
/// all exercised. It validates like Meta does where the reference documents it
/// (shared/reference §1.1–1.3, §1.10): 1…1000 events, required `event_name` / `event_time` /
/// `action_source` / `user_data`, `event_time` at most 7 days old (else code 100 subcode
/// 2804003 for the WHOLE request), and one invalid event rejects the whole batch.
///
/// Deliberately stricter than Meta, to catch our own bugs (documented per check below):
/// `event_time` must be a JSON integer and not more than `maxFutureSkew` ahead (catches
/// milliseconds-instead-of-seconds), pixel ids must be numeric, versions look like `v25.0`.
///
/// Behaviour is programmable per pixel at any time (`setBehaviour`), and everything is
/// recorded: every request (never the token itself: a fingerprint and its last 4
/// characters) and every accepted event as the JSON that arrived.
final class FakeMetaServer: Sendable {
    /// The port it listens on (127.0.0.1, chosen by the OS).
    let port: Int
    /// `http://127.0.0.1:PORT`, to use in place of `https://graph.facebook.com`.
    let baseURL: String
    private let engine: FakeMetaEngine
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, engine: FakeMetaEngine, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.engine = engine
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts the app on 127.0.0.1 (port 0) in a background task and returns once it is
    /// listening. Throws if it could not bind or did not start within 10 seconds.
    static func start(options: FakeMetaOptions = FakeMetaOptions()) async throws -> FakeMetaServer {
        let engine = FakeMetaEngine(options: options)
        let router = Router(context: BasicRequestContext.self)
        router.post(":version/:pixel/events") { request, context in
            try await engine.respond(to: request, context: context)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "FakeMetaServer")
        logger.logLevel = options.logLevel
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "FakeMeta"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger)
        )
        let task = Task {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            portContinuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next()
        watchdog.cancel()
        guard let port, port > 0 else {
            await serviceGroup.triggerGracefulShutdown()
            try await task.value  // surfaces a bind error, if that is what happened
            throw FakeMetaError("FakeMetaServer did not start listening within 10 s")
        }
        return FakeMetaServer(port: port, engine: engine, serviceGroup: serviceGroup, task: task)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returns or throws.
    static func withServer<T: Sendable>(
        options: FakeMetaOptions = FakeMetaOptions(),
        _ body: (FakeMetaServer) async throws -> T
    ) async throws -> T {
        let server = try await start(options: options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops listening (graceful shutdown: idle keep-alive connections are closed, requests
    /// in flight finish) and waits for the app to finish. Requests still sleeping in a
    /// `.delay` are cut short and answered 503 without accepting anything. Idempotent.
    func stop() async {
        engine.beginStopping()
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// The CAPI URL for `pixel`, with `token` percent-encoded into the query.
    func eventsURL(pixel: String, token: String, version: String = "v25.0") -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return "\(baseURL)/\(version)/\(pixel)/events?access_token=\(encoded)"
    }

    // MARK: Programming

    /// Replaces how requests for `pixel` are answered, effective from the next request.
    func setBehaviour(_ behaviour: FakeMetaBehaviour, pixel: String) {
        engine.state.withLock { $0.behaviours[pixel] = behaviour }
    }

    /// The behaviour now in force for `pixel` (after any `failNextRequests` countdown).
    func behaviour(pixel: String) -> FakeMetaBehaviour {
        engine.state.withLock { $0.behaviours[pixel] ?? $0.defaultBehaviour }
    }

    /// Behaviour for pixels without one of their own (`.ok` unless changed).
    var defaultBehaviour: FakeMetaBehaviour {
        get { engine.state.withLock { $0.defaultBehaviour } }
        set { engine.state.withLock { $0.defaultBehaviour = newValue } }
    }

    /// From now on `pixel` only accepts `token` (anything else: 400 code 190). Pixels without
    /// an expected token accept any non-empty token.
    func expectToken(pixel: String, token: String) {
        engine.state.withLock { $0.expectedTokens[pixel] = token }
    }

    /// Any request containing one of these `event_id`s is rejected whole with 400 code 100
    /// subcode 2804019 naming the id, as Meta rejects a batch with one invalid event.
    var rejectEventIDs: Set<String> {
        get { engine.state.withLock { $0.rejectEventIDs } }
        set { engine.state.withLock { $0.rejectEventIDs = newValue } }
    }

    /// Forgets recorded requests and accepted events (the programming stays).
    func clearRecords() {
        engine.state.withLock { state in
            state.requests.removeAll()
            state.accepted.removeAll()
        }
    }

    // MARK: Queries

    /// Every request to the events edge, in completion order, optionally for one pixel.
    func requests(pixel: String? = nil) -> [FakeMetaRecordedRequest] {
        engine.state.withLock { $0.requests }.filter { pixel == nil || $0.pixel == pixel }
    }

    /// Every accepted event, in acceptance order, optionally for one pixel.
    func acceptedEvents(pixel: String? = nil) -> [FakeMetaAcceptedEvent] {
        engine.state.withLock { $0.accepted }.filter { pixel == nil || $0.pixel == pixel }
    }

    /// How many accepted events match every given filter (nil = any).
    func acceptedCount(pixel: String? = nil, eventName: String? = nil, eventID: String? = nil) -> Int {
        acceptedEvents(pixel: pixel).count { event in
            (eventName == nil || event.eventName == eventName) && (eventID == nil || event.eventID == eventID)
        }
    }

    /// Same pixel + event_name + event_id accepted more than once: what Meta's own
    /// server-to-server deduplication is NOT documented to remove (reference §1.4), so a
    /// test asserting exactly-once delivery wants this empty.
    func duplicates() -> [FakeMetaDuplicate] {
        var counts: [FakeMetaDuplicate.Key: Int] = [:]
        var order: [FakeMetaDuplicate.Key] = []
        for event in acceptedEvents() {
            guard let eventID = event.eventID else { continue }
            let key = FakeMetaDuplicate.Key(pixel: event.pixel, eventName: event.eventName, eventID: eventID)
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.compactMap { key in
            let count = counts[key]!
            return count > 1 ? FakeMetaDuplicate(pixel: key.pixel, eventName: key.eventName, eventID: key.eventID, count: count) : nil
        }
    }

    /// Polls until at least `count` accepted events match the filters; returns them. Throws
    /// (with a summary of what did arrive) when `timeout` passes first.
    @discardableResult
    func waitFor(
        count: Int,
        pixel: String? = nil,
        eventName: String? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> [FakeMetaAcceptedEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = acceptedEvents(pixel: pixel).filter { eventName == nil || $0.eventName == eventName }
            if matching.count >= count { return matching }
            guard ContinuousClock.now < deadline else {
                throw FakeMetaError(
                    "waited \(timeout) for \(count) accepted event(s) (pixel \(pixel ?? "any"), event \(eventName ?? "any")), "
                        + "saw \(matching.count); requests: \(summary())"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Polls until at least `count` requests (accepted or not) were answered.
    @discardableResult
    func waitForRequests(count: Int, pixel: String? = nil, timeout: Duration = .seconds(10)) async throws -> [FakeMetaRecordedRequest] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = requests(pixel: pixel)
            if matching.count >= count { return matching }
            guard ContinuousClock.now < deadline else {
                throw FakeMetaError("waited \(timeout) for \(count) request(s) (pixel \(pixel ?? "any")), saw \(matching.count): \(summary())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One line per request (status, pixel, counts, error codes) for failure messages.
    func summary() -> String {
        let lines = requests().map { request in
            var line = "#\(request.sequence) \(request.pixel) → \(request.status), \(request.eventCount) event(s)"
            if let code = request.errorCode { line += ", code \(code)" }
            if let subcode = request.errorSubcode { line += "/\(subcode)" }
            return line
        }
        return lines.isEmpty ? "none" : lines.joined(separator: "; ")
    }

    /// The fingerprint recorded instead of a token (FNV-1a 64, hex): compare a recorded
    /// request with the token a test expects without the fake ever storing a token.
    static func tokenFingerprint(_ token: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in token.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

// MARK: - Behaviour, options, records

/// How the fake answers a pixel's requests.
enum FakeMetaBehaviour: Sendable, Equatable {
    /// Validate like Meta and accept valid batches.
    case ok
    /// Answer with this raw HTTP status and a non-Graph text body (like a load balancer or
    /// proxy error page); nothing is accepted.
    case status(Int)
    /// Sleep, then behave like `.ok`: events ARE accepted after the delay, even if the
    /// client timed out meanwhile (exactly the ambiguous case retries must survive).
    case delay(Duration)
    /// A Graph API error body `{"error":{…}}` with this HTTP status; nothing is accepted.
    case graphError(httpStatus: Int, code: Int, subcode: Int?, message: String, isTransient: Bool)
    /// The next `count` requests get `failure` (a transient 500 code 2 by default), then the
    /// pixel switches to `then`.
    indirect case failNextRequests(Int, with: FakeMetaBehaviour = .serviceError, then: FakeMetaBehaviour)

    /// 500, code 2, transient: Graph's "temporary downtime" (reference §1.10: retry).
    static var serviceError: FakeMetaBehaviour {
        .graphError(httpStatus: 500, code: 2, subcode: nil, message: "An unexpected error has occurred. Please retry your request later.", isTransient: true)
    }

    /// 400, code 190: the token is invalid or expired (reference §1.10: pause the pixel).
    static var invalidToken: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 190, subcode: nil, message: "Invalid OAuth access token - Cannot parse access token", isTransient: false)
    }

    /// 400, code 4: application-level throttling (retry later).
    static var applicationThrottled: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 4, subcode: nil, message: "(#4) Application request limit reached", isTransient: true)
    }

    /// 400, code 17 subcode 2446079: user request limit (retry later).
    static var userThrottled: FakeMetaBehaviour {
        .graphError(httpStatus: 400, code: 17, subcode: 2_446_079, message: "(#17) User request limit reached", isTransient: true)
    }

    /// 400, code 80004: too many calls to this ad account (retry later).
    static var adAccountThrottled: FakeMetaBehaviour {
        .graphError(
            httpStatus: 400,
            code: 80004,
            subcode: nil,
            message: "(#80004) There have been too many calls to this ad-account. Wait a bit and try again.",
            isTransient: true
        )
    }
}

/// Validation knobs; the defaults follow the reference.
struct FakeMetaOptions: Sendable {
    /// Older `event_time`s reject the whole request with code 100 subcode 2804003.
    var maxEventAge: Duration = .seconds(7 * 86_400)
    /// Stricter than documented Meta behaviour (future limit UNVERIFIED): an `event_time`
    /// further ahead is rejected, which catches milliseconds sent as seconds.
    var maxFutureSkew: Duration = .seconds(3_600)
    /// Website events must carry `user_data.client_user_agent` and `event_source_url`
    /// (reference §1.3, "Website events additionally require…").
    var requireWebsiteFields = true
    /// Larger bodies get 413.
    var maxBodyBytes = 16 << 20
    /// Hummingbird's own log level (its per-request lines are noise in test output).
    var logLevel: Logger.Level = .error
}

/// One request to the events edge, as the fake saw and answered it.
struct FakeMetaRecordedRequest: Sendable {
    /// Arrival order, starting at 1.
    let sequence: Int
    let apiVersion: String
    let pixel: String
    /// `FakeMetaServer.tokenFingerprint(token)`; nil when no token was sent.
    let tokenFingerprint: String?
    /// Last 4 characters of the token (never the token itself); nil when none was sent.
    let tokenLast4: String?
    let testEventCode: String?
    /// Elements of `data` (0 when it was missing or not an array).
    let eventCount: Int
    /// The `event_id`s present in `data`, in order.
    let eventIDs: [String]
    /// HTTP status answered.
    let status: Int
    /// Graph `error.code` / `error.error_subcode` when the answer was a Graph error.
    let errorCode: Int?
    let errorSubcode: Int?
    let fbtraceID: String
    /// When the request arrived, and when its answer was ready (after any `.delay`).
    let receivedAt: Date
    let answeredAt: Date

    var accepted: Bool { status == 200 }
}

/// One event the fake accepted, as it arrived.
struct FakeMetaAcceptedEvent: Sendable {
    let pixel: String
    let eventName: String
    let eventID: String?
    let eventTime: Int
    let actionSource: String
    let testEventCode: String?
    /// `sequence` of the request that carried it.
    let requestSequence: Int
    /// The whole event object exactly as received.
    let json: FakeMetaJSON

    /// `json[key]`, e.g. `event["user_data"]?["em"]`.
    subscript(key: String) -> FakeMetaJSON? { json[key] }
}

/// An event accepted `count` (> 1) times.
struct FakeMetaDuplicate: Sendable, Hashable {
    struct Key: Hashable {
        let pixel: String
        let eventName: String
        let eventID: String
    }

    let pixel: String
    let eventName: String
    let eventID: String
    let count: Int
}

struct FakeMetaError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Engine

/// The fake's state and request handling, shared by the router closure and the server object.
final class FakeMetaEngine: Sendable {
    struct State {
        var behaviours: [String: FakeMetaBehaviour] = [:]
        var defaultBehaviour: FakeMetaBehaviour = .ok
        var expectedTokens: [String: String] = [:]
        var rejectEventIDs: Set<String> = []
        var requests: [FakeMetaRecordedRequest] = []
        var accepted: [FakeMetaAcceptedEvent] = []
        var nextSequence = 1
        var stopping = false
    }

    /// A complete answer: status, body, and what to record.
    struct Reply {
        var status: Int
        var body: [UInt8]
        var contentType = "application/json; charset=UTF-8"
        var errorCode: Int?
        var errorSubcode: Int?
        var accepted: [FakeMetaAcceptedEvent] = []
    }

    static let actionSources: Set<String> = [
        "email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other",
    ]
    static let maxEventsPerRequest = 1000

    let options: FakeMetaOptions
    let state = Mutex(State())

    init(options: FakeMetaOptions) {
        self.options = options
    }

    func beginStopping() {
        state.withLock { $0.stopping = true }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let version = context.parameters.get("version") ?? ""
        let pixel = context.parameters.get("pixel") ?? ""
        let queryToken = request.uri.queryParameters["access_token"].map(String.init)
        let contentType = request.headers[.contentType] ?? ""
        let reply: Reply
        do {
            let buffer = try await request.collectBody(upTo: options.maxBodyBytes)
            reply = await handle(
                version: version,
                pixel: pixel,
                queryToken: queryToken,
                contentType: contentType,
                body: Array(buffer.readableBytesView)
            )
        } catch {
            reply = Self.graphError(status: 413, code: 100, subcode: nil, message: "(#100) Request body too large", isTransient: false, fbtraceID: Self.newTraceID())
        }
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        return Response(status: .init(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// Everything after the HTTP plumbing: behaviour, validation, acceptance, recording.
    func handle(version: String, pixel: String, queryToken: String?, contentType: String, body: [UInt8]) async -> Reply {
        let receivedAt = Date()
        let fbtraceID = Self.newTraceID()
        let (sequence, behaviour) = state.withLock { state in
            defer { state.nextSequence += 1 }
            // A countdown advances where it is stored: the pixel's own behaviour, or the
            // default (then shared by every pixel that has none of its own).
            let effective: FakeMetaBehaviour
            if var own = state.behaviours[pixel] {
                effective = Self.consume(&own)
                state.behaviours[pixel] = own
            } else {
                effective = Self.consume(&state.defaultBehaviour)
            }
            return (state.nextSequence, effective)
        }
        let payload = FakeMetaPayload(body: body, contentType: contentType)
        let token = queryToken ?? payload.fields?["access_token"]?.stringValue
        let events = payload.fields?["data"]?.arrayValue ?? []
        let testEventCode = payload.fields?["test_event_code"]?.stringValue

        var reply: Reply
        switch behaviour {
        case .status(let status):
            reply = Reply(status: status, body: Array("fake-meta: forced HTTP \(status)\n".utf8), contentType: "text/plain; charset=UTF-8")
        case .graphError(let status, let code, let subcode, let message, let isTransient):
            reply = Self.graphError(status: status, code: code, subcode: subcode, message: message, isTransient: isTransient, fbtraceID: fbtraceID)
        case .delay(let duration):
            await sleep(duration)
            if isStopping {
                reply = Reply(status: 503, body: Array("fake-meta: stopping\n".utf8), contentType: "text/plain; charset=UTF-8")
            } else {
                reply = validateAndAccept(version: version, pixel: pixel, token: token, payload: payload, sequence: sequence, fbtraceID: fbtraceID)
            }
        case .ok, .failNextRequests:
            reply = validateAndAccept(version: version, pixel: pixel, token: token, payload: payload, sequence: sequence, fbtraceID: fbtraceID)
        }

        let record = FakeMetaRecordedRequest(
            sequence: sequence,
            apiVersion: version,
            pixel: pixel,
            tokenFingerprint: token.map(FakeMetaServer.tokenFingerprint),
            tokenLast4: token.map { String($0.suffix(4)) },
            testEventCode: testEventCode,
            eventCount: events.count,
            eventIDs: events.compactMap { $0["event_id"]?.stringValue },
            status: reply.status,
            errorCode: reply.errorCode,
            errorSubcode: reply.errorSubcode,
            fbtraceID: fbtraceID,
            receivedAt: receivedAt,
            answeredAt: Date()
        )
        let accepted = reply.accepted
        state.withLock { state in
            state.requests.append(record)
            state.accepted.append(contentsOf: accepted)
        }
        return reply
    }

    /// The behaviour for this request, advancing a `failNextRequests` countdown in `stored`.
    static func consume(_ stored: inout FakeMetaBehaviour) -> FakeMetaBehaviour {
        guard case .failNextRequests(let remaining, let failure, let then) = stored else { return stored }
        guard remaining > 0 else {
            stored = then
            return consume(&stored)
        }
        stored = remaining == 1 ? then : .failNextRequests(remaining - 1, with: failure, then: then)
        var nested = failure  // a countdown used as the failure itself is applied statelessly
        return consume(&nested)
    }

    private func sleep(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !isStopping {
            let step = min(deadline - ContinuousClock.now, .milliseconds(25))
            try? await Task.sleep(for: step)
        }
    }

    // MARK: Validation

    private func validateAndAccept(
        version: String,
        pixel: String,
        token: String?,
        payload: FakeMetaPayload,
        sequence: Int,
        fbtraceID: String
    ) -> Reply {
        func invalid(_ message: String, subcode: Int? = nil, title: String? = nil, userMessage: String? = nil) -> Reply {
            Self.graphError(
                status: 400, code: 100, subcode: subcode, message: message, isTransient: false,
                userTitle: title, userMessage: userMessage, fbtraceID: fbtraceID
            )
        }
        let (expectedToken, rejectIDs) = state.withLock { ($0.expectedTokens[pixel], $0.rejectEventIDs) }

        // Stricter than Meta: a malformed version or pixel would 400 there too, but with
        // codes the reference does not document; these texts are the fake's own.
        guard version.wholeMatch(of: /v[0-9]+\.[0-9]+/) != nil else {
            return invalid("(#100) Unknown API version '\(version)' (fake expects e.g. v25.0)")
        }
        guard !pixel.isEmpty, pixel.allSatisfy(\.isASCII), pixel.allSatisfy(\.isNumber) else {
            return invalid(
                "Unsupported post request. Object with ID '\(pixel)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                subcode: 33
            )
        }
        guard let token, !token.isEmpty else {
            return Self.graphError(
                status: 400, code: 104, subcode: nil, message: "An access token is required to request this resource.",
                isTransient: false, fbtraceID: fbtraceID
            )
        }
        if let expectedToken, token != expectedToken {
            return Self.graphError(
                status: 400, code: 190, subcode: nil, message: "Invalid OAuth access token - Cannot parse access token",
                isTransient: false, fbtraceID: fbtraceID
            )
        }
        guard let fields = payload.fields else {
            return invalid("(#100) Invalid parameter", userMessage: "The request body is not valid JSON or form data.")
        }
        if let code = fields["test_event_code"], code.stringValue == nil {
            return invalid("(#100) param test_event_code must be a string.")
        }
        guard let data = fields["data"] else {
            return invalid("(#100) The parameter data is required")
        }
        guard let events = data.arrayValue else {
            return invalid("(#100) param data must be an array.")
        }
        guard (1...Self.maxEventsPerRequest).contains(events.count) else {
            return invalid("(#100) param data must be an array of 1 to \(Self.maxEventsPerRequest) events; got \(events.count).")
        }

        let now = Int(Date().timeIntervalSince1970)
        let maxAge = Int(options.maxEventAge.components.seconds)
        let maxSkew = Int(options.maxFutureSkew.components.seconds)
        var accepted: [FakeMetaAcceptedEvent] = []
        for (index, event) in events.enumerated() {
            let at = "data[\(index)]"
            guard case .object = event else { return invalid("(#100) param \(at) must be an object.") }
            guard let eventName = event["event_name"]?.stringValue, !eventName.isEmpty else {
                return invalid("(#100) The parameter event_name is required (\(at)).")
            }
            guard let rawTime = event["event_time"] else {
                return invalid("(#100) The parameter event_time is required (\(at)).")
            }
            // Stricter than Meta: only a JSON integer (no string, no fraction).
            guard let eventTime = rawTime.intValue else {
                return invalid("(#100) param \(at)[event_time] must be an integer number of seconds.")
            }
            if now - eventTime > maxAge {
                return invalid(
                    "Invalid parameter",
                    subcode: 2_804_003,
                    title: "Event Timestamp Too Old",
                    userMessage: "The timestamp for this event is too far in the past. Events need to be sent from your server within 7 days of when they occurred. Enter a timestamp that has occurred within the last 7 days."
                )
            }
            if eventTime - now > maxSkew {
                return invalid(
                    "Invalid parameter",
                    title: "Event Timestamp In Future (fake)",
                    userMessage: "event_time \(eventTime) in \(at) is more than \(maxSkew) s ahead of now (\(now)); seconds, not milliseconds."
                )
            }
            guard let actionSource = event["action_source"]?.stringValue else {
                return invalid("(#100) The parameter action_source is required (\(at)).")
            }
            guard Self.actionSources.contains(actionSource) else {
                return invalid("(#100) param \(at)[action_source] must be one of \(Self.actionSources.sorted()); got '\(actionSource)'.")
            }
            guard let userData = event["user_data"]?.objectValue else {
                return invalid("(#100) The parameter user_data is required and must be an object (\(at)).")
            }
            guard !userData.isEmpty else {
                return invalid("(#100) \(at)[user_data] must contain at least one customer information parameter.")
            }
            if options.requireWebsiteFields, actionSource == "website" {
                guard userData["client_user_agent"]?.stringValue?.isEmpty == false else {
                    return invalid("(#100) The parameter user_data.client_user_agent is required for website events (\(at)).")
                }
                guard event["event_source_url"]?.stringValue?.isEmpty == false else {
                    return invalid("(#100) The parameter event_source_url is required for website events (\(at)).")
                }
            }
            var eventID: String?
            if let rawID = event["event_id"] {
                guard let id = rawID.stringValue else { return invalid("(#100) param \(at)[event_id] must be a string.") }
                eventID = id
            }
            accepted.append(FakeMetaAcceptedEvent(
                pixel: pixel,
                eventName: eventName,
                eventID: eventID,
                eventTime: eventTime,
                actionSource: actionSource,
                testEventCode: fields["test_event_code"]?.stringValue,
                requestSequence: sequence,
                json: event
            ))
        }
        if let rejected = accepted.first(where: { $0.eventID.map(rejectIDs.contains) ?? false }), let id = rejected.eventID {
            return invalid(
                "Invalid parameter: event_id '\(id)' was rejected",
                subcode: 2_804_019,
                title: "Invalid Event",
                userMessage: "The event with event_id '\(id)' is invalid, so the whole batch was rejected."
            )
        }

        let body = FakeMetaJSON.object([
            "events_received": .int(accepted.count),
            "messages": .array([]),
            "fbtrace_id": .string(fbtraceID),
        ])
        return Reply(status: 200, body: Array(body.jsonText.utf8), accepted: accepted)
    }

    /// A Graph-style error answer (reference §1.10 body shape).
    static func graphError(
        status: Int,
        code: Int,
        subcode: Int?,
        message: String,
        isTransient: Bool,
        userTitle: String? = nil,
        userMessage: String? = nil,
        fbtraceID: String
    ) -> Reply {
        var error: [String: FakeMetaJSON] = [
            "message": .string(message),
            "type": .string("OAuthException"),
            "code": .int(code),
            "is_transient": .bool(isTransient),
            "fbtrace_id": .string(fbtraceID),
        ]
        if let subcode { error["error_subcode"] = .int(subcode) }
        if let userTitle { error["error_user_title"] = .string(userTitle) }
        if let userMessage { error["error_user_msg"] = .string(userMessage) }
        let body = FakeMetaJSON.object(["error": .object(error)])
        return Reply(status: status, body: Array(body.jsonText.utf8), errorCode: code, errorSubcode: subcode)
    }

    static func newTraceID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        return String((0..<27).map { _ in alphabet.randomElement()! })
    }
}

/// The request body's top-level fields, from JSON or from a form (`data` as JSON text).
struct FakeMetaPayload {
    /// nil when the body is neither a JSON object nor a parsable form.
    let fields: [String: FakeMetaJSON]?

    init(body: [UInt8], contentType: String) {
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            fields = Self.parseForm(String(decoding: body, as: UTF8.self))
        } else if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            fields = [:]  // no body at all: valid, but `data` is missing
        } else {
            fields = FakeMetaJSON.parse(body)?.objectValue
        }
    }

    private static func parseForm(_ text: String) -> [String: FakeMetaJSON]? {
        var fields: [String: FakeMetaJSON] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            // Graph takes structured form fields as JSON text.
            if name == "data" {
                guard let json = FakeMetaJSON.parse(value) else { return nil }
                fields[name] = json
            } else {
                fields[name] = .string(value)
            }
        }
        return fields
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
