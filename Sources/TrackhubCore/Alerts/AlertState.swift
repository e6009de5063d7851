/// The active alerts by key: the engine's memory from one round to the next.
public struct AlertState: Sendable, Equatable {
    public var active: [AlertKey: ActiveAlert]

    public init(active: [AlertKey: ActiveAlert] = [:]) {
        self.active = active
    }

    public init(_ alerts: [ActiveAlert]) {
        self.active = Dictionary(alerts.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
