import ClienteleCore

/// One purchase in a plain transactions file (`customer_id,date,amount`), for analysts whose data is just that.
public struct Transaction: Sendable, Hashable {
    /// The customer's id as written (trimmed).
    public var customer: String
    /// The purchase date.
    public var date: ShopDate
    /// The purchase amount in minor units (hundredths unless the reader says otherwise).
    public var amountMinorUnits: Int64

    /// A purchase by `customer` on `date` of `amountMinorUnits`.
    public init(customer: String, date: ShopDate, amountMinorUnits: Int64) {
        self.customer = customer
        self.date = date
        self.amountMinorUnits = amountMinorUnits
    }
}
