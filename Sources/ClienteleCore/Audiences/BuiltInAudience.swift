/// The audiences every shop starts with, for the actions the seeds recommend (METRICS.md, "Audiences"):
/// saved like any other audience on first use and editable.
public struct BuiltInAudience: Sendable, Equatable {
    /// The audience's name.
    public var name: String
    /// Its filter.
    public var filter: String
    /// What it is for.
    public var summary: String
    /// The built-in set version that introduced it: a shop seeded with an older set gets only the newer ones.
    public var version: Int

    /// The current version of the built-in set.
    public static let currentVersion = 2

    /// Every built-in audience; version 1 the first three, version 2 added `due-for-reminder`.
    public static let all: [BuiltInAudience] = [
        BuiltInAudience(
            name: "one-time-buyers-follow-up",
            filter: "orders = 1 and first_order <= 30d ago and first_order >= 60d ago",
            summary: "Bought once, 30–60 days ago: send the follow-up mail that turns a first order into a second.",
            version: 1),
        BuiltInAudience(
            name: "loyal-slipping-away",
            filter: "group = loyal and stage = slipping-away",
            summary: "Loyal repeat customers ordering later than they usually do: win them back before they are lost.",
            version: 1),
        BuiltInAudience(
            name: "lost-vips",
            filter: "group = vip and stage = lost",
            summary: "Your most valuable customers who have stopped ordering: worth a personal reactivation offer.",
            version: 1),
        BuiltInAudience(
            name: "due-for-reminder",
            filter: "reminder_due within 7d",
            summary: "Customers whose purchase-cycle reminder falls due in the next 7 days (as clientele report due): send the reminder.",
            version: 2),
    ]
}
