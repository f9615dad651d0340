/// A product of the demo shop's catalogue.
public struct DemoProduct: Sendable, Hashable {
    /// The product id (SKU), e.g. `SKU-10002`.
    public let id: String
    /// The Danish display name.
    public let name: String
    /// The list price in øre (DKK minor units).
    public let unitPrice: Int64
    /// The share of sold units that come back.
    public let returnRate: Double
    /// For a consumable, the days after which its regular buyers buy it again; `nil` otherwise.
    public let cycleDays: Int?
    /// The product usually bought together with this one, if any.
    public let companionId: String?
}
