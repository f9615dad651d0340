import Foundation

/// The demo shop's products: a hand-written core (pairs bought together, consumables on a cycle) mixed
/// into generated Danish product names, with Zipf-like popularity by catalogue position.
struct DemoCatalogue {
    /// One product with the fields the generator needs in its hot loop.
    struct Item {
        var id: String
        var name: String
        /// Price in øre.
        var price: Int64
        var returnRate: Double
        /// Catalogue index of the companion, or -1.
        var companion: Int
        var companionChance: Double
        /// Re-purchase cycle in days, 0 when not a consumable.
        var cycleDays: Int
    }

    let items: [Item]
    /// Cumulative popularity weights for a random pick.
    private let cumulative: [Double]
    /// Catalogue indices of the consumables.
    let consumables: [Int]

    /// A hand-written product: key, name, price in øre, return rate, companion key, companion chance, cycle.
    private typealias Core = (key: String, name: String, price: Int64, returnRate: Double, companion: String?, chance: Double, cycle: Int)

    private static let core: [Core] = [
        ("coffee", "Kaffebønner Nordlys Morgen, 500 g", 8995, 0.003, nil, 0, 30),
        ("grinder", "Kaffekværn Stål Pro", 64900, 0.026, "coffee", 0.55, 0),
        ("espresso", "Espressomaskine Barista", 249900, 0.033, "descaler", 0.6, 0),
        ("descaler", "Afkalkningsmiddel til kaffemaskiner", 6995, 0.007, nil, 0, 0),
        ("shoes", "Løbesko Fjord Trail", 89900, 0.117, "socks", 0.6, 0),
        ("socks", "Løbesokker Merino 2-pak", 12900, 0.026, nil, 0, 0),
        ("yogamat", "Yogamåtte Natur 6 mm", 34900, 0.033, "yogablock", 0.5, 0),
        ("yogablock", "Yogablok i kork", 11900, 0.019, nil, 0, 0),
        ("cream", "Ansigtscreme Havtorn 50 ml", 24900, 0.013, nil, 0, 42),
        ("lensfluid", "Kontaktlinsevæske 360 ml", 11900, 0.003, nil, 0, 60),
        ("lenses", "Månedlinser 6 stk.", 29900, 0.013, "lensfluid", 0.55, 0),
        ("shampoo", "Shampoo Birk & Brændenælde 250 ml", 7995, 0.007, "conditioner", 0.55, 0),
        ("conditioner", "Balsam Birk & Brændenælde 250 ml", 7995, 0.007, nil, 0, 0),
        ("bedlinen", "Sengesæt Hør 140×200 cm", 69900, 0.052, "pillowcase", 0.5, 0),
        ("pillowcase", "Pudebetræk Hør 60×63 cm", 14900, 0.039, nil, 0, 0),
        ("plaid", "Plaid \"Hygge\" i uld", 49900, 0.039, nil, 0, 0),
        ("candle", "Duftlys, vanilje & rav", 14900, 0.007, nil, 0, 0),
        ("thermo", "Termokrus 0,45 l", 17900, 0.019, nil, 0, 0),
        ("teapot", "Tekande i støbejern", 39900, 0.026, "greentea", 0.45, 0),
        ("greentea", "Grøn te Sencha 100 g", 6995, 0.003, nil, 0, 0),
        ("towel", "Badehåndklæde Bomuld 70×140 cm", 19995, 0.033, nil, 0, 0),
    ]

    /// Generated products: base name, lowest and highest price in kroner, return rate.
    private static let bases: [(String, Int64, Int64, Double)] = [
        ("T-shirt", 149, 299, 0.078), ("Hættetrøje", 399, 699, 0.078), ("Strikhue", 149, 249, 0.052),
        ("Uldsokker", 79, 149, 0.033), ("Løbetights", 349, 599, 0.091), ("Sports-bh", 249, 449, 0.098),
        ("Træningsjakke", 499, 999, 0.085), ("Håndklæde", 79, 249, 0.019), ("Viskestykke", 49, 89, 0.013),
        ("Krus", 89, 179, 0.019), ("Skål", 99, 249, 0.019), ("Tallerken", 99, 199, 0.019),
        ("Serveringsfad", 199, 449, 0.019), ("Håndsæbe", 59, 119, 0.007), ("Bodylotion", 99, 229, 0.013),
        ("Håndcreme", 69, 149, 0.013), ("Læbepomade", 39, 69, 0.007), ("Stearinlys", 39, 129, 0.007),
        ("Vase", 199, 599, 0.026), ("Pyntepude", 199, 399, 0.033), ("Kurv", 149, 399, 0.026),
        ("Badekåbe", 499, 899, 0.065), ("Hjemmesko", 199, 399, 0.078), ("Sportstaske", 299, 699, 0.039),
        ("Drikkedunk", 99, 199, 0.013), ("Urtete", 49, 99, 0.007), ("Chokolade", 39, 89, 0),
        ("Honning", 59, 119, 0),
    ]
    private static let series = ["Fjord", "Klit", "Skov", "Hav", "Lyng", "Sand", "Birk", "Bøg", "Rav", "Mos",
                                 "Strand", "Eng", "Sø", "Å", "Hede", "Vig"]
    private static let variants = ["sort", "hvid", "grå", "sand", "skovgrøn", "havblå", "rosa", "okker",
                                   "natur", "mørkeblå", "lysegrå", "bordeaux"]

    /// The largest catalogue the name scheme supports.
    static var maximumCount: Int { core.count + bases.count * series.count * variants.count }

    /// A catalogue of `count` products (at least the hand-written core). It does not depend on the seed.
    init(count requested: Int) {
        let count = min(max(requested, DemoCatalogue.core.count * 2), DemoCatalogue.maximumCount)
        let core = DemoCatalogue.core
        // Core products sit at the odd positions 1, 3, 5 … so they are popular but not all at the top.
        var slots: [Int] = []            // -1 - k: core item k; j ≥ 0: generated item j
        var nextGenerated = 0
        for position in 0..<count {
            let k = (position - 1) / 2
            if position % 2 == 1 && k < core.count {
                slots.append(-1 - k)
            } else {
                slots.append(nextGenerated)
                nextGenerated += 1
            }
        }
        var coreIndex: [String: Int] = [:]
        for (position, slot) in slots.enumerated() where slot < 0 { coreIndex[core[-1 - slot].key] = position }

        var items: [Item] = []
        items.reserveCapacity(count)
        var consumables: [Int] = []
        for (position, slot) in slots.enumerated() {
            let id = "SKU-\(10_001 + position)"
            if slot < 0 {
                let c = core[-1 - slot]
                items.append(Item(id: id, name: c.name, price: c.price, returnRate: c.returnRate,
                                  companion: c.companion.flatMap { coreIndex[$0] } ?? -1,
                                  companionChance: c.chance, cycleDays: c.cycle))
                if c.cycle > 0 { consumables.append(position) }
            } else {
                let b = DemoCatalogue.bases, s = DemoCatalogue.series, v = DemoCatalogue.variants
                let base = b[slot % b.count]
                let seriesName = s[(slot / b.count) % s.count]
                let variant = v[(slot / (b.count * s.count)) % v.count]
                let h = DemoRandom.mix(UInt64(slot) &+ 0x5EED)
                let kroner = base.1 + Int64(h % UInt64(base.2 - base.1 + 1))
                let price = (h >> 32) & 1 == 0 ? kroner * 100 : kroner * 100 - 5
                items.append(Item(id: id, name: "\(base.0) \(seriesName) – \(variant)", price: price,
                                  returnRate: base.3, companion: -1, companionChance: 0, cycleDays: 0))
            }
        }
        self.items = items
        self.consumables = consumables

        // Zipf-like popularity by position; consumables are rarely picked at random (their regular buyers
        // carry them), which keeps their re-purchase cycle visible.
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        var total = 0.0
        for (i, item) in items.enumerated() {
            var w = 1 / pow(Double(i + 2), 1.05)
            if item.cycleDays > 0 { w *= 0.2 }
            total += w
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    /// A product drawn by popularity.
    @inline(__always)
    func pick(_ rng: inout DemoRandom) -> Int {
        let u = rng.unit()
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The public view of the catalogue.
    var publicProducts: [DemoProduct] {
        items.map { item in
            DemoProduct(id: item.id, name: item.name, unitPrice: item.price, returnRate: item.returnRate,
                        cycleDays: item.cycleDays > 0 ? item.cycleDays : nil,
                        companionId: item.companion >= 0 ? items[item.companion].id : nil)
        }
    }
}
