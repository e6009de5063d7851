public import Foundation

/// The live figures of the console's *Ao vivo* — the same numbers as `dispatchd status`
/// (collected by ``StatusReport``), plus sends per minute, reduced to what a page shows.
public struct LiveStatus: Sendable, Equatable {
    public struct PausedPixel: Sendable, Equatable {
        public var pixel: String
        /// The pause as `dispatchd status` words it ("token (until a new token is applied)").
        public var pause: String
        public var parked: Int
        public init(pixel: String, pause: String, parked: Int) { self.pixel = pixel; self.pause = pause; self.parked = parked }
    }

    public var collectedAt: Date
    /// Entries not yet delivered to the consumer group, all streams (nil: Redis did not say).
    public var lag: Int?
    /// Entries delivered and not yet acknowledged, all streams.
    public var pending: Int
    /// Events Meta accepted in the last minute (scope's pixels).
    public var sendsPerMinute: Int
    public var retriesScheduled: Int
    public var retriesInFlight: Int
    /// Dead letters not replayed, all reasons (scope's).
    public var deadLetters: Int
    public var pausedPixels: [PausedPixel]

    public init(collectedAt: Date, lag: Int?, pending: Int, sendsPerMinute: Int, retriesScheduled: Int, retriesInFlight: Int,
                deadLetters: Int, pausedPixels: [PausedPixel]) {
        self.collectedAt = collectedAt; self.lag = lag; self.pending = pending; self.sendsPerMinute = sendsPerMinute
        self.retriesScheduled = retriesScheduled; self.retriesInFlight = retriesInFlight; self.deadLetters = deadLetters
        self.pausedPixels = pausedPixels
    }

    /// Reduces `dispatchd status`'s report: pixels outside `pixels` (nil: all) are left out.
    public static func from(_ report: StatusReport, sendsPerMinute: Int, deadLetters: Int, pixels: Set<String>?,
                            at: Date) -> LiveStatus {
        let lags = report.streams.map(\.lag)
        let paused = report.pixels.filter { p in p.pause != nil && (pixels?.contains(p.pixel) ?? true) }
            .map { PausedPixel(pixel: $0.pixel, pause: $0.pause ?? "", parked: $0.parked) }
        return LiveStatus(collectedAt: at, lag: lags.contains(where: { $0 == nil }) ? nil : lags.reduce(0) { $0 + ($1 ?? 0) },
                          pending: report.streams.reduce(0) { $0 + $1.pending }, sendsPerMinute: sendsPerMinute,
                          retriesScheduled: report.retryScheduled, retriesInFlight: report.retryInflight,
                          deadLetters: deadLetters, pausedPixels: paused)
    }

    /// One line with a colour: "is everything OK?" (CONSOLE-UX: status first).
    public var headline: (level: InsightLevel, text: InsightText) {
        if let p = pausedPixels.first {
            return (.problem, InsightText(
                "Atenção: o envio do pixel \(p.pixel) está pausado (\(p.pause)) — \(p.parked) evento(s) aguardando.",
                en: "Attention: pixel \(p.pixel) is paused (\(p.pause)) — \(p.parked) event(s) waiting."))
        }
        if deadLetters > 0 {
            return (.warning, InsightText("Atenção: \(deadLetters) evento(s) na fila de falhas.",
                                          en: "Attention: \(deadLetters) event(s) in the failure queue."))
        }
        if let lag, lag > 1000 {
            return (.warning, InsightText("Fila atrasada: \(lag) evento(s) aguardando processamento.",
                                          en: "Queue behind: \(lag) event(s) waiting to be processed."))
        }
        return (.ok, InsightText("Tudo certo: \(sendsPerMinute) envio(s) ao Meta no último minuto.",
                                 en: "All good: \(sendsPerMinute) send(s) to Meta in the last minute."))
    }
}
