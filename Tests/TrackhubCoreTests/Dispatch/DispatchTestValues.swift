import Foundation
@testable import TrackhubCore

/// Values the dispatch unit tests build events, pixels and configs from.
enum DispatchTestValues {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func capiEvent(_ id: String, name: CAPIEventName = .lead, time: Date = now) -> CAPIEvent {
        CAPIEvent(eventName: name, eventTime: Int(time.timeIntervalSince1970), eventId: id, actionSource: .website,
                  eventSourceUrl: "https://lp.example.com/", userData: CAPIUserData(clientIpAddress: "177.20.30.40", clientUserAgent: "UA/1"))
    }

    static func event(_ id: String, pixel: String = "p1", envelope: String? = nil, time: Date = now, attempts: Int = 0) -> OutboundEvent {
        OutboundEvent(pixel: pixel, envelopeID: envelope ?? "env-\(id)", attempts: attempts, event: capiEvent(id, time: time))
    }

    static func events(_ n: Int, prefix: String = "e", pixel: String = "p1") -> [OutboundEvent] {
        (0..<n).map { event("\(prefix)\($0)", pixel: pixel) }
    }

    static func pixel(_ id: String = "p1", mode: PixelMode = .live, token: String? = "TOKEN",
                      batchSize: Int = 500, rate: Int = 1000) -> DispatchConfig.Pixel {
        DispatchConfig.Pixel(id: id, tenant: "t1", accessToken: token, mode: mode, maxEventsPerSecond: rate, batchSize: batchSize)
    }

    static func attempt(now: Date = now) -> OutcomeDecider.Attempt {
        OutcomeDecider.Attempt(requestID: "req-1", latencyMs: 12, httpStatus: 400, now: now, accessToken: "TOKEN")
    }

    static func failure(_ c: MetaFailure.FailureClass, message: String = "refused") -> MetaOutcome {
        .failed(MetaFailure(class: c, httpStatus: 400, code: 100, message: message, fbtraceID: "TRACE"))
    }
}

/// A deterministic generator for backoff jitter.
struct FixedRandom: RandomNumberGenerator {
    var state: UInt64 = 42
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}
