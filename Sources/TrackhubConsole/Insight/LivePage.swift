import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TrackhubCore

/// Ao vivo: `GET /live` shows `dispatchd status`'s figures (lag, sends per minute, retries,
/// dead letters, paused pixels); `GET /live/stream` sends them again every
/// ``interval`` as Server-Sent Events, which `insight.js` writes into the page under a
/// visible "ao vivo" marker. When the stream drops the marker says so and the browser
/// reconnects (EventSource does); without script the page still shows the figures of its load
/// and a reload link. Each stream ends after ``eventsPerStream`` events (about two minutes), so
/// no connection outlives a graceful shutdown by long; the browser simply reconnects.
struct LivePage: ConsolePage {
    static let navigation: ConsoleNavItem? = ConsoleNavItem(labelKey: "nav_live", path: "/live", order: 60)
    static let interval: Duration = .seconds(2)
    static let eventsPerStream = 60
    let deps: ConsoleDependencies
    init(_ deps: ConsoleDependencies) { self.deps = deps }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/live") { _, context in
            let user = try context.requireUser()
            let status = try await deps.insight.liveStatus(scope: ConsoleInsight.scope(user))
            var model = Self.model(status, language: context.language, strings: deps.renderer.strings)
            model["stream_url"] = "/live/stream"
            return deps.renderer.page("live", titleKey: "live_title", context: context, path: "/live", model: model)
        }
        router.get("/live/stream") { request, context in
            let user = try context.requireUser()
            // `?once=1`: one event, then the end (a poll; the tests read it whole).
            let events = request.uri.queryParameters["once"] == nil ? Self.eventsPerStream : 1
            let scope = ConsoleInsight.scope(user)
            let (language, strings, insight, logger) = (context.language, deps.renderer.strings, deps.insight, deps.logger)
            return ConsoleEventStream.response(events: events, interval: Self.interval) {
                do {
                    let status = try await insight.liveStatus(scope: scope)
                    return .init(name: "status", data: Self.json(status, language: language, strings: strings))
                } catch {
                    logger.warning("live status failed", metadata: [LogKey.error: "\(error)"])
                    return .init(name: "unavailable", data: "{}")
                }
            }
        }
    }

    /// The figures as the page shows them (numbers formatted for the language).
    static func model(_ s: LiveStatus, language: ConsoleLanguage, strings: ConsoleStrings) -> [String: Any] {
        let headline = s.headline
        return [
            "level": headline.level.rawValue, "headline": ConsoleInsight.text(headline.text, language),
            "lag": s.lag.map { ConsoleFormat.integer($0, language) } ?? "—",
            "pending": ConsoleFormat.integer(s.pending, language),
            "sends": ConsoleFormat.integer(s.sendsPerMinute, language),
            "retries": ConsoleFormat.integer(s.retriesScheduled + s.retriesInFlight, language),
            "dead_letters": ConsoleFormat.integer(s.deadLetters, language),
            "paused": s.pausedPixels.map { ["pixel": $0.pixel, "pause": $0.pause, "parked": ConsoleFormat.integer($0.parked, language)] },
            "has_paused": !s.pausedPixels.isEmpty,
            "at": ConsoleFormat.dateTime(s.collectedAt, language),
        ]
    }

    /// One SSE `data:` line: the same values as ``model(_:language:strings:)``, as JSON (one
    /// line: the writer escapes newlines inside strings).
    static func json(_ s: LiveStatus, language: ConsoleLanguage, strings: ConsoleStrings) -> String {
        let m = model(s, language: language, strings: strings)
        var w = JSONWriter(profile: .stored, capacity: 512)
        w.beginObject()
        for key in ["level", "headline", "lag", "pending", "sends", "retries", "dead_letters", "at"] {
            w.key(key)
            w.string(m[key] as? String ?? "")
        }
        w.key("paused")
        w.beginArray()
        for p in s.pausedPixels {
            w.string(strings.text("live_paused_line", language, p.pixel, p.pause, ConsoleFormat.integer(p.parked, language)))
        }
        w.endArray()
        w.endObject()
        return w.text
    }
}
