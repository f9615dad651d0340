import ClienteleCore

/// The content checksum every store reports: a 128-bit non-cryptographic hash (two independent 64-bit
/// lanes, FNV-1a and a multiply–xorshift lane, each finished with an avalanche step) over a canonical,
/// length-prefixed serialization of the settings and of every order and line. Feed the settings first,
/// then the orders in ascending id (`StoreContent.precedes`), each with its lines in order.
///
/// The serialization is versioned (`clientele-content-v1`); it depends only on content, never on row ids
/// or insertion order, so every implementation of `OrderStore` gives the same checksum for the same content.
public struct StoreChecksum: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6a09_e667_f3bc_c908
    private var bytes: UInt64 = 0
    private var orders: UInt64 = 0
    private var lines: UInt64 = 0

    /// An empty checksum, already fed with the format's version tag.
    public init() {
        text("clientele-content-v1")
    }

    /// The checksum of `settings` and `orders` (which must be in ascending id order).
    public static func checksum(settings: ShopSettings, orders: some Sequence<Order>) -> String {
        var sum = StoreChecksum()
        sum.add(settings)
        for order in orders { sum.add(order) }
        return sum.finalize()
    }

    /// Adds the shop settings (every field, thresholds included, in declaration order).
    public mutating func add(_ settings: ShopSettings) {
        byte(0x53) // "S"
        text(settings.name)
        text(settings.timeZone)
        optionalText(settings.currency)
        text(settings.locale)
        // Every threshold, in declaration order. A new threshold must be added here too.
        let t = settings.thresholds
        double(t.repeatRateGreen)
        double(t.repeatRateYellow)
        double(t.returningShareGreen)
        double(t.returningShareRed)
        int(Int64(t.returningMaxOrders))
        int(Int64(t.topCustomers))
        int(Int64(t.newCustomerDays))
        double(t.activeFactor)
        double(t.slippingFactor)
        double(t.defaultIntervalDays)
        double(t.vipTopShare)
        double(t.frequentOrdersPerYear)
        int(Int64(t.minimumTenureDays))
        // Added later: only when set, so that the checksum of settings without it is unchanged.
        if let years = settings.retentionYears {
            byte(0x52) // "R"
            int(Int64(years))
        }
    }

    /// Adds one order and its lines.
    public mutating func add(_ order: Order) {
        orders &+= 1
        byte(0x4F) // "O"
        text(order.id)
        int(order.placedAt.seconds)
        optionalText(order.customerId)
        optionalText(order.email)
        byte(order.status == .placed ? 1 : 2)
        text(order.currency.code)
        int(order.total)
        int(order.refunded)
        int(order.shopTotal)
        int(order.shopRefunded)
        optionalText(order.rate)
        optionalText(order.country)
        int(Int64(order.lines.count))
        for line in order.lines {
            lines &+= 1
            byte(0x4C) // "L"
            text(line.productId)
            text(line.productName)
            int(line.quantity)
            int(line.unitPrice)
            int(line.returnedQuantity)
        }
    }

    /// Adds one saved audience. Feed the audiences after the orders, in ascending name by bytes
    /// (`StoreContent.precedes`); a store without audiences adds nothing, so its checksum is unchanged.
    public mutating func add(_ audience: SavedAudience) {
        byte(0x41) // "A"
        text(audience.name)
        text(audience.filter)
        int(audience.createdAt.seconds)
        int(audience.updatedAt.seconds)
        byte(audience.builtIn ? 1 : 0)
    }

    /// Adds the built-in audience seed version, after the audiences; only when it is not 0.
    public mutating func addAudienceSeedVersion(_ version: Int) {
        guard version != 0 else { return }
        byte(0x56) // "V"
        int(Int64(version))
    }

    /// Adds one entry of the privacy log (after the seed version, oldest first); a store without entries adds
    /// nothing, so its checksum is unchanged.
    public mutating func add(_ entry: PrivacyLogEntry) {
        byte(0x50) // "P"
        int(entry.at.seconds)
        text(entry.action.rawValue)
        int(Int64(entry.customers))
        int(Int64(entry.orders))
        int(Int64(entry.audiences))
    }

    /// Adds the id of one forgotten order (after the privacy log, in ascending id by bytes); a store that forgot
    /// nothing adds nothing.
    public mutating func addForgottenOrder(_ id: String) {
        byte(0x46) // "F"
        text(id)
    }

    /// The checksum of `settings`, `orders` (ascending id), `audiences` (ascending name), the seed version, the
    /// privacy log (oldest first) and the forgotten order ids (ascending).
    public static func checksum(settings: ShopSettings, orders: some Sequence<Order>, audiences: [SavedAudience],
                                audienceSeedVersion: Int, privacyLog: [PrivacyLogEntry] = [],
                                forgottenOrderIds: [String] = []) -> String {
        var sum = StoreChecksum()
        sum.add(settings)
        for order in orders { sum.add(order) }
        for audience in audiences { sum.add(audience) }
        sum.addAudienceSeedVersion(audienceSeedVersion)
        for entry in privacyLog { sum.add(entry) }
        for id in forgottenOrderIds { sum.addForgottenOrder(id) }
        return sum.finalize()
    }

    /// The checksum as 32 lower-case hex digits.
    public func finalize() -> String {
        var copy = self
        copy.byte(0x45) // "E"
        copy.int(Int64(bitPattern: orders))
        copy.int(Int64(bitPattern: lines))
        let high = Self.avalanche(copy.a ^ copy.bytes)
        let low = Self.avalanche(copy.b &+ Self.avalanche(copy.bytes ^ 0x9e37_79b9_7f4a_7c15))
        return Self.hex(high) + Self.hex(low)
    }

    @inline(__always)
    private mutating func byte(_ x: UInt8) {
        a = (a ^ UInt64(x)) &* 0x0000_0100_0000_01b3
        b = (b ^ UInt64(x)) &* 0x9e37_79b9_7f4a_7c15
        b ^= b >> 29
        bytes &+= 1
    }

    @inline(__always)
    private mutating func int(_ x: Int64) {
        var v = UInt64(bitPattern: x)
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    private mutating func double(_ x: Double) { int(Int64(bitPattern: x.bitPattern)) }

    @inline(__always)
    private mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { buffer in
            int(Int64(buffer.count))
            for x in buffer { byte(x) }
        }
    }

    @inline(__always)
    private mutating func optionalText(_ s: String?) {
        if let s {
            byte(1)
            text(s)
        } else {
            byte(0)
        }
    }

    private static func avalanche(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static func hex(_ x: UInt64) -> String {
        let digits = String(x, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
