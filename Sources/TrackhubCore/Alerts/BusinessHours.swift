public import Foundation

/// Business hours as a daily window at a fixed UTC offset: how many of them passed between two
/// instants. A gateway that sells in the afternoon is not "silent" at 3 a.m.
public struct BusinessHours: Sendable, Equatable {
    public var startHour: Int
    public var endHour: Int
    public var utcOffsetHours: Int

    public init(startHour: Int, endHour: Int, utcOffsetHours: Int) {
        self.startHour = startHour
        self.endHour = endHour
        self.utcOffsetHours = utcOffsetHours
    }

    /// Business seconds in `[from, to)`; 0 when `to` is not after `from`.
    public func seconds(from: Date, to: Date) -> TimeInterval {
        guard to > from, endHour > startHour else { return 0 }
        let offset = TimeInterval(utcOffsetHours * 3600)
        let localFrom = from.timeIntervalSince1970 + offset
        let localTo = to.timeIntervalSince1970 + offset
        var day = (localFrom / 86_400).rounded(.down)
        var total: TimeInterval = 0
        while day * 86_400 < localTo {
            let open = day * 86_400 + TimeInterval(startHour * 3600)
            let close = day * 86_400 + TimeInterval(endHour * 3600)
            let lo = max(open, localFrom)
            let hi = min(close, localTo)
            if hi > lo { total += hi - lo }
            day += 1
        }
        return total
    }
}
