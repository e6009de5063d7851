/// The width of one point of a time series (UTC).
public enum AnalyticsBucket: String, Sendable, CaseIterable {
    case hour
    case day
}
