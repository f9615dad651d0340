/// A customer waiting for their next order: 16 bytes. Everything else about them is recomputed from
/// their number (`CustomerTraits`), so millions of customers cost little memory.
struct CustomerEntry {
    /// Next order's day (biased) in the high 32 bits, customer number in the low: the heap's key.
    var key: UInt64
    /// Orders placed so far.
    var orders: UInt32
    /// Bit 0: counted in the summary's customers (has an order that is not cancelled); bit 1: the same for
    /// the e-mail key of a registered customer's guest checkouts.
    var flags: UInt32

    static let dayBias = 1 << 30

    init(day: Int, number: UInt32, orders: UInt32, flags: UInt32) {
        key = UInt64(day + CustomerEntry.dayBias) << 32 | UInt64(number)
        self.orders = orders
        self.flags = flags
    }

    var day: Int { Int(key >> 32) - CustomerEntry.dayBias }
    var number: UInt32 { UInt32(truncatingIfNeeded: key) }
}

/// A binary min-heap of customers by next order day, ties by customer number.
struct CustomerHeap {
    private(set) var items: [CustomerEntry] = []

    var count: Int { items.count }
    var first: CustomerEntry? { items.first }

    mutating func push(_ e: CustomerEntry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if items[parent].key <= e.key { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = e
    }

    mutating func pop() -> CustomerEntry {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            var i = 0
            let n = items.count
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && items[child + 1].key < items[child].key { child += 1 }
                if items[child].key >= last.key { break }
                items[i] = items[child]
                i = child
            }
            items[i] = last
        }
        return top
    }
}

/// What a customer is like, derived from the seed and their number alone.
struct CustomerTraits {
    /// Buying behaviour.
    enum Segment: UInt8 {
        /// Buys once.
        case oneOff
        /// Comes back now and then, drops out soon.
        case occasional
        /// Buys every couple of months for a while.
        case regular
        /// The loyal core: often, for years.
        case loyal
        /// Re-buys a consumable on its cycle.
        case replenisher
    }

    var segment: Segment
    /// Probability of never ordering again after an order.
    var dropout: Double
    /// Mean days between orders (exponential gaps), or the consumable's cycle.
    var meanGap: Double
    /// Catalogue index of the consumable a replenisher re-buys, or -1.
    var consumable: Int
    /// Orders with e-mail only, no customer account.
    var isGuest: Bool
    /// Index into `DemoGenerator.countries`.
    var country: Int
    /// Index into `DemoGenerator.currencies` (0 = the shop's currency).
    var currency: Int
    var firstName: Int
    var lastName: Int
    var domain: Int
    var emailStyle: Int

    init(seed: UInt64, number: UInt32, consumables: [Int], cycles: [Int]) {
        let h = DemoRandom.mix(seed ^ DemoRandom.mix(UInt64(number) &+ 0xC0FF_EE00_0000_0000))
        func field(_ k: UInt64) -> UInt64 { DemoRandom.mix(h &+ k &* 0x9E37_79B9_7F4A_7C15) }
        func unit(_ k: UInt64) -> Double { DemoRandom.unit(field(k)) }

        let s = unit(1)
        let jitter1 = 0.7 + 0.6 * unit(2), jitter2 = 0.6 + 0.8 * unit(3)
        consumable = -1
        switch s {
        case ..<0.44:
            segment = .oneOff; dropout = 1; meanGap = 0
        case ..<0.81:
            segment = .occasional; dropout = min(1, 0.45 * jitter1); meanGap = 130 * jitter2
        case ..<0.91:
            segment = .regular; dropout = 0.2 * jitter1; meanGap = 55 * jitter2
        case ..<0.94:
            segment = .loyal; dropout = 0.04 * jitter1; meanGap = 26 * jitter2
        default:
            segment = .replenisher; dropout = 0.08 * jitter1
            // Coffee 45 %, skin cream 30 %, contact lens fluid 25 % (catalogue order of the consumables).
            let c = unit(4)
            let k = consumables.isEmpty ? -1 : min(consumables.count - 1, c < 0.45 ? 0 : (c < 0.75 ? 1 : 2))
            consumable = k >= 0 ? consumables[k] : -1
            meanGap = k >= 0 ? Double(cycles[k]) : 60
        }
        isGuest = unit(5) < 0.12
        let place = unit(6)
        country = place < 0.93 ? 0 : (place < 0.96 ? 1 : (place < 0.98 ? 2 : 3))
        // 40 % of the foreign customers pay in their own currency.
        currency = country == 0 || unit(7) < 0.6 ? 0 : [0, 2, 3, 1][country]
        let f = field(8)
        firstName = Int(f % 1_000)
        lastName = Int((f >> 10) % 1_000)
        domain = Int((f >> 20) % 1_000)
        emailStyle = Int((f >> 30) % 4)
    }
}
