/// The unit recency, T and the models' time parameters are stated in (METRICS.md, "Predictive models"):
/// days by default, weeks (days ÷ 7) as in the literature's examples.
public enum TimeUnit: String, Sendable, Hashable, CaseIterable, Codable {
    /// Days (elapsed shop days).
    case days
    /// Weeks of seven days.
    case weeks

    /// Days in one unit.
    public var days: Double {
        switch self {
        case .days: return 1
        case .weeks: return 7
        }
    }

    /// The unit's singular name ("day", "week").
    public var singular: String {
        switch self {
        case .days: return "day"
        case .weeks: return "week"
        }
    }
}
