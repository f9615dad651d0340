import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation
import Testing

/// The privacy part of the store contract (docs/privacy.md), run for each factory in `StoreFactory.all`.
@Suite("Store contract: privacy")
struct PrivacyContractTests {
    static let dkk = Currency(code: "DKK")!
    /// 2024-01-01T00:00:00Z.
    static let t0: Int64 = 1_704_067_200
    static let day: Int64 = 86_400
    static let forgetTime = Instant(seconds: 1_720_000_000)

    static func at(_ days: Int64) -> Instant { Instant(seconds: t0 + days * day) }

    /// Written-out orders of a few people. By the identity rule (METRICS.md) the customers are:
    /// `c-1` (A1, A2 cancelled, A3 under a work e-mail), the guest `anna@example.com` (G1: the same e-mail as A1
    /// without a customer id), `12` (B1, B2), the guest `carl@example.net` (C1), `d-9` (D1, and D2 cancelled
    /// later), and one anonymous order (X1).
    static func orders() -> [Order] {
        [
            Order(id: "A1", placedAt: at(0), customerId: "c-1", email: "Anna@Example.com", currency: dkk, total: 10_000,
                  refunded: 1_000, country: "DK",
                  lines: [OrderLine(productId: "mug", productName: "Mug", quantity: 2, unitPrice: 3_000),
                          OrderLine(productId: "tea", productName: "Tea", quantity: 1, unitPrice: 4_000, returnedQuantity: 1)]),
            Order(id: "A2", placedAt: at(10), customerId: "c-1", status: .cancelled, currency: dkk, total: 5_000, country: "SE",
                  lines: [OrderLine(productId: "tea", productName: "Tea", quantity: 1, unitPrice: 5_000)]),
            Order(id: "A3", placedAt: at(20), customerId: "c-1", email: "anna.work@example.com", currency: dkk, total: 3_000,
                  lines: [OrderLine(productId: "mug", productName: "Mug", quantity: 1, unitPrice: 3_000)]),
            Order(id: "G1", placedAt: at(30), customerId: "", email: "  anna@example.COM ", currency: dkk, total: 2_000,
                  country: "DK", lines: [OrderLine(productId: "tea", productName: "Tea", quantity: 1, unitPrice: 2_000)]),
            Order(id: "B1", placedAt: at(5), customerId: "12", email: "bo@example.org", currency: dkk, total: 7_000,
                  country: "NO", lines: [OrderLine(productId: "pot", productName: "Pot", quantity: 1, unitPrice: 7_000)]),
            Order(id: "B2", placedAt: at(400), customerId: "12", email: "bo@example.org", currency: dkk, total: 7_000,
                  lines: [OrderLine(productId: "pot", productName: "Pot", quantity: 1, unitPrice: 7_000)]),
            Order(id: "C1", placedAt: at(2), email: "carl@example.net", currency: dkk, total: 1_000,
                  lines: [OrderLine(productId: "mug", productName: "Mug", quantity: 1, unitPrice: 1_000)]),
            Order(id: "D1", placedAt: at(1), customerId: "d-9", currency: dkk, total: 900,
                  lines: [OrderLine(productId: "mug", productName: "Mug", quantity: 1, unitPrice: 900)]),
            Order(id: "D2", placedAt: at(40), customerId: "d-9", status: .cancelled, currency: dkk, total: 900,
                  lines: [OrderLine(productId: "mug", productName: "Mug", quantity: 1, unitPrice: 900)]),
            Order(id: "X1", placedAt: at(1), currency: dkk, total: 500, country: "DK",
                  lines: [OrderLine(productId: "tea", productName: "Tea", quantity: 1, unitPrice: 500)]),
        ]
    }

    static func order(_ id: String) -> Order { orders().first { $0.id == id }! }

    static func audience(_ name: String, _ filter: String) -> SavedAudience {
        SavedAudience(name: name, filter: filter, createdAt: Instant(seconds: 1_700_000_000), updatedAt: Instant(seconds: 1_700_000_000))
    }

    /// Saved audiences; the comment says which forgetting Anna (by e-mail) deletes and why.
    static func audiences() -> [SavedAudience] {
        [
            audience("anna follow-up", "email = \"anna@example.com\""),              // her e-mail, quoted
            audience("work", "email in (\"x@y.z\", \"Anna.Work@example.com\")"),      // an e-mail of one of her orders
            audience("by-id", "customer = c-1 and orders >= 2"),                      // her customer id, bare
            audience("Anna@Example.com VIP", "orders >= 1"),                          // named after her
            audience("big", "orders >= 12"),                                          // kept: 12 is a threshold here
            audience("domain", "email ends with \"@example.com\""),                   // kept: not her address
            audience("bo", "customer = \"12\""),                                      // kept (Bo's, deleted with Bo)
        ]
    }

    static func sortedByName(_ a: [SavedAudience]) -> [SavedAudience] { a.sorted { StoreContent.precedes($0.name, $1.name) } }

    static func byId(_ orders: [Order]) -> [Order] { orders.sorted { StoreContent.precedes($0.id, $1.id) } }

    @Test("ordersOf: by e-mail every order of the customers that e-mail belongs to; by key that key's only", arguments: StoreFactory.all)
    func ordersOf(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            // anna@example.com is on A1 (customer c-1) and G1 (the guest anna@example.com): both customers, all
            // their orders (A2 has no e-mail, A3 another one), in ascending id.
            #expect(try await store.ordersOf(customer: .email(" ANNA@example.com ")) == ["A1", "A2", "A3", "G1"].map(Self.order))
            #expect(try await store.ordersOf(customer: .customerKey("anna@example.com")) == [Self.order("G1")])
            #expect(try await store.ordersOf(customer: .customerKey("c-1")) == ["A1", "A2", "A3"].map(Self.order))
            #expect(try await store.ordersOf(customer: .customerKey("C-1")).isEmpty, "keys compare by bytes")
            #expect(try await store.ordersOf(customer: .email("nobody@example.com")).isEmpty)
            #expect(try await store.ordersOf(customer: .email("   ")).isEmpty, "a blank e-mail names nobody")
        }
    }

    @Test("forget by e-mail erases identity and country, keeps ids, amounts and lines, deletes the audiences naming her, logs counts",
          arguments: StoreFactory.all)
    func forgetByEmail(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            for a in Self.audiences() { try await store.saveAudience(a) }
            let revision = try await store.revision()
            let checksum = try await store.contentChecksum()
            let counts = try await store.counts()

            let summary = try await store.forget(customers: [.email("anna@EXAMPLE.com")], action: .forget, at: Self.forgetTime)

            // Two customers (c-1 and the guest anna@example.com), four orders; the audiences in name order by bytes.
            #expect(summary == ForgetSummary(customers: 2, orders: 4,
                                             audiencesDeleted: ["Anna@Example.com VIP", "anna follow-up", "by-id", "work"]))
            // The expected content, written out: A1, A2, A3 and G1 without customer id, e-mail and country.
            var expected = Self.orders()
            for i in expected.indices where ["A1", "A2", "A3", "G1"].contains(expected[i].id) {
                expected[i].customerId = nil
                expected[i].email = nil
                expected[i].country = nil
            }
            #expect(try await store.allOrders() == Self.byId(expected))
            #expect(try await store.counts() == counts, "no order, line or product is removed")
            let kept = Self.sortedByName(Self.audiences().filter { ["big", "domain", "bo"].contains($0.name) })
            #expect(try await store.listAudiences() == kept)
            let entry = PrivacyLogEntry(at: Self.forgetTime, action: .forget, customers: 2, orders: 4, audiences: 4)
            #expect(try await store.privacyLog() == [entry])
            #expect(try await store.revision() != revision, "the snapshot must be rebuilt")
            let after = try await store.contentChecksum()
            #expect(after != checksum)
            #expect(after == StoreChecksum.checksum(settings: ShopSettings(), orders: Self.byId(expected), audiences: kept,
                                                    audienceSeedVersion: 0, privacyLog: [entry],
                                                    forgottenOrderIds: ["A1", "A2", "A3", "G1"]))
            // Nothing of hers is left to find.
            #expect(try await store.ordersOf(customer: .email("anna@example.com")).isEmpty)
            #expect(try await store.ordersOf(customer: .email("anna.work@example.com")).isEmpty)
        }
    }

    @Test("an import that brings forgotten orders back (an older export) has them erased again; new orders stay", arguments: StoreFactory.all)
    func reimport(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            _ = try await store.forget(customers: [.customerKey("12")], action: .forget, at: Self.forgetTime)
            let anonymised = try await store.allOrders()
            let checksum = try await store.contentChecksum()
            // The old export again: B1 and B2 differ from what is stored (they carry Bo's identity), so they are
            // written (replaced) and erased again in the same transaction; the content is what it was.
            let again = try await store.replaceOrders(Self.orders())
            #expect(again == ReplaceSummary(inserted: 0, replaced: 2, unchanged: 8))
            #expect(try await store.allOrders() == anonymised)
            #expect(try await store.contentChecksum() == checksum)
            // The same through the streaming write.
            let source = OrderBatchSource()
            source.push(Self.orders())
            source.finish()
            _ = try await store.replaceOrders(streaming: source)
            #expect(try await store.allOrders() == anonymised)
            // A new order of Bo's (a new id) is his again: forgetting covers what was stored.
            let new = Order(id: "B3", placedAt: Self.at(500), customerId: "12", email: "bo@example.org", currency: Self.dkk,
                            total: 100, lines: [OrderLine(productId: "pot", quantity: 1, unitPrice: 100)])
            _ = try await store.replaceOrders([new])
            #expect(try await store.ordersOf(customer: .customerKey("12")) == [new])
        }
    }

    @Test("forget by key: only that customer; a numeric id is mentioned only in quotes", arguments: StoreFactory.all)
    func forgetByKey(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            for a in Self.audiences() { try await store.saveAudience(a) }
            let summary = try await store.forget(customers: [.customerKey("12")], action: .forget, at: Self.forgetTime)
            #expect(summary == ForgetSummary(customers: 1, orders: 2, audiencesDeleted: ["bo"]))
            let names = try await store.listAudiences().map(\.name)
            #expect(names.contains("big"), "orders >= 12 is a threshold, not customer 12")
            let b = try await store.allOrders().filter { $0.id.hasPrefix("B") }
            #expect(b.count == 2 && b.allSatisfy { $0.customerId == nil && $0.email == nil && $0.country == nil })
            #expect(b.map(\.total) == [7_000, 7_000])
            // Everyone else is untouched.
            let others = try await store.allOrders().filter { !$0.id.hasPrefix("B") }
            #expect(others == Self.byId(Self.orders().filter { !$0.id.hasPrefix("B") }))
        }
    }

    @Test("retention: customers whose latest order, cancelled ones included, is before the cutoff", arguments: StoreFactory.all)
    func retention(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            // Latest orders: carl t0+2d, c-1 t0+20d (A3), anna guest t0+30d, d-9 t0+40d (D2, cancelled), 12 t0+400d.
            let first = try await store.forget(customers: [.lastOrderBefore(Self.at(15))], action: .retention, at: Self.forgetTime)
            #expect(first == ForgetSummary(customers: 1, orders: 1))
            #expect(try await store.allOrders().first { $0.id == "C1" }?.email == nil)
            let later = Instant(seconds: Self.forgetTime.seconds + 60)
            let second = try await store.forget(customers: [.lastOrderBefore(Self.at(35))], action: .retention, at: later)
            #expect(second == ForgetSummary(customers: 2, orders: 4), "c-1 (A1–A3) and the guest anna (G1); d-9's cancelled D2 is recent")
            #expect(try await store.ordersOf(customer: .customerKey("d-9")).count == 2)
            #expect(try await store.ordersOf(customer: .customerKey("12")).count == 2)
            #expect(try await store.privacyLog() == [
                PrivacyLogEntry(at: Self.forgetTime, action: .retention, customers: 1, orders: 1, audiences: 0),
                PrivacyLogEntry(at: later, action: .retention, customers: 2, orders: 4, audiences: 0),
            ])
        }
    }

    @Test("forgetting nobody changes nothing: no revision, no checksum change, no log entry", arguments: StoreFactory.all)
    func forgetNobody(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Self.orders())
            try await store.saveAudience(Self.audience("big", "orders >= 12"))
            let revision = try await store.revision()
            let checksum = try await store.contentChecksum()
            #expect(try await store.forget(customers: [.email("nobody@example.com")], action: .forget, at: Self.forgetTime).isEmpty)
            #expect(try await store.forget(customers: [.lastOrderBefore(Self.at(-1))], action: .retention, at: Self.forgetTime).isEmpty)
            #expect(try await store.forget(customers: [], action: .forget, at: Self.forgetTime).isEmpty)
            #expect(try await store.revision() == revision)
            #expect(try await store.contentChecksum() == checksum)
            #expect(try await store.privacyLog().isEmpty)
            // Forgetting the same person twice: the second time finds nothing.
            _ = try await store.forget(customers: [.customerKey("d-9")], action: .forget, at: Self.forgetTime)
            let again = try await store.forget(customers: [.customerKey("d-9")], action: .forget, at: Self.forgetTime)
            #expect(again.isEmpty)
            #expect(try await store.privacyLog().count == 1)
        }
    }

    @Test("the retention setting round-trips, changes the revision, and leaves older checksums alone", arguments: StoreFactory.all)
    func retentionSetting(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            let plain = try await store.contentChecksum()
            // A new store without the setting has the checksum of default settings and nothing else.
            #expect(plain == StoreChecksum.checksum(settings: ShopSettings(), orders: [Order]()))
            let revision = try await store.revision()
            var settings = try await store.loadSettings()
            #expect(settings.retentionYears == nil)
            settings.retentionYears = 3
            try await store.saveSettings(settings)
            #expect(try await store.loadSettings() == settings)
            #expect(try await store.revision() != revision)
            #expect(try await store.contentChecksum() != plain)
            settings.retentionYears = nil
            try await store.saveSettings(settings)
            #expect(try await store.loadSettings().retentionYears == nil)
            #expect(try await store.contentChecksum() == plain)
        }
    }
}

/// Which saved audiences name a customer (`AudienceMentions`), on written-out filters.
@Suite("Audience mentions")
struct AudienceMentionsTests {
    @Test("filters and names that mention an identifier", arguments: [
        // (identifiers, name, filter, mentioned)
        (["anna@example.com"], "a", "email = \"anna@example.com\"", true),
        (["anna@example.com"], "a", "email = 'ANNA@Example.com'", true),
        (["anna@example.com"], "a", "email in (\"x@y.z\", \" anna@example.com \")", true),
        (["anna@example.com"], "a", "email = anna@example.com", true),
        (["anna@example.com"], "a", "email ends with \"@example.com\"", false),
        (["anna@example.com"], "a", "email = \"hanna@example.com\"", false),
        (["anna@example.com"], "Anna@Example.com VIP", "orders >= 1", true),
        (["12"], "a", "orders >= 12", false),
        (["12"], "a", "customer = \"12\"", true),
        (["12"], "a", "customer in (11, 12) and orders >= 2", true),
        (["12"], "a", "customer = 11 and orders >= 12", false),
        (["12"], "top 12", "orders >= 1", false),
        (["c-1"], "a", "customer = c-1 and orders >= 2", true),
        (["c-1"], "a", "customer = c-12", false),
        (["kunde ø"], "a", "customer = \"Kunde Ø\"", true),
        (["kunde ø"], "a", "customer = \"Kunde Æ\"", false),
    ])
    func mentions(identifiers: [String], name: String, filter: String, mentioned: Bool) {
        let audience = SavedAudience(name: name, filter: filter, createdAt: Instant(seconds: 0), updatedAt: Instant(seconds: 0))
        #expect(AudienceMentions(identifiers).mentioned(in: audience) == mentioned)
    }
}

/// The SQLite store's files after a forget (docs/privacy.md, "Files").
@Suite("SQLite privacy")
struct SQLitePrivacyTests {
    /// Every file beside the database whose name starts with the database's (the file, -wal, -shm, …), lower-cased
    /// (ASCII), so that a search finds every spelling of an e-mail.
    static func filesLowercased(_ scratch: TestScratch, base: String) throws -> [(String, [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).filter { $0.hasPrefix(base) }.sorted().map { name in
            let bytes = try [UInt8](Data(contentsOf: scratch.directory.appendingPathComponent(name)))
            return (name, bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
        }
    }

    static func occurs(_ needle: String, in haystack: [UInt8]) -> Bool {
        Data(haystack).range(of: Data(needle.utf8)) != nil
    }

    @Test("after forget, the e-mails and customer id are in none of the database's files, the connection still open")
    func rawBytes() async throws {
        let scratch = try TestScratch()
        defer { scratch.remove() }
        let path = scratch.path("shop.sqlite")
        let store = try SQLiteOrderStore(path: path)
        let dkk = Currency(code: "DKK")!
        // Her orders among 3 000 others; then her first order imported again with another total and e-mail (the old
        // row is replaced, which can leave a stale copy of her old e-mail in freed space) before she is forgotten.
        var orders = Fixtures.generated(20_000)
        func hers(_ total: Int64, email: String = "Hanna.Privat@Example.DK") -> [Order] {
            [Order(id: "H1", placedAt: Instant(seconds: 1_700_000_000), customerId: "kunde-4711-hanna", email: email,
                   currency: dkk, total: total, country: "DK", lines: [OrderLine(productId: "p1", quantity: 1, unitPrice: total)]),
             Order(id: "H2", placedAt: Instant(seconds: 1_710_000_000), customerId: "kunde-4711-hanna", email: "hanna.arbejde@example.dk",
                   currency: dkk, total: 500, lines: [OrderLine(productId: "p2", quantity: 1, unitPrice: 500)])]
        }
        orders += hers(1_000, email: "hanna.gammel@example.dk")
        _ = try await store.replaceOrders(orders)
        _ = try await store.replaceOrders(hers(1_200))
        try await store.saveAudience(SavedAudience(name: "hanna", filter: "email = \"hanna.privat@example.dk\"",
                                                   createdAt: Instant(seconds: 0), updatedAt: Instant(seconds: 0)))
        let needles = ["hanna.privat@example.dk", "hanna.arbejde@example.dk", "kunde-4711-hanna", "hanna.gammel@example.dk"]
        let before = try Self.filesLowercased(scratch, base: "shop.sqlite")
        for needle in needles {
            let found = before.contains { Self.occurs(needle, in: $0.1) }
            #expect(found, "the search finds \(needle) before the forget")
        }

        let summary = try await store.forget(customers: [.email("hanna.privat@example.dk")], action: .forget, at: Instant(seconds: 1_800_000_000))
        #expect(summary == ForgetSummary(customers: 1, orders: 2, audiencesDeleted: ["hanna"]))

        let after = try Self.filesLowercased(scratch, base: "shop.sqlite")
        #expect(after.map(\.0).contains("shop.sqlite-wal"), "the store is open: its WAL is there, and searched")
        for (name, bytes) in after {
            for needle in needles {
                let found = Self.occurs(needle, in: bytes)
                #expect(!found, "\(needle) is still in \(name)")
            }
        }
        // The amounts stay.
        #expect(try await store.allOrders().filter { $0.id.hasPrefix("H") }.map(\.total) == [1_200, 500])
        for name in ["shop.sqlite", "shop.sqlite-wal", "shop.sqlite-shm"] {
            #expect(PrivateFile.permissions(scratch.path(name)) == 0o600, "\(name) is readable by its owner only")
        }
    }
}
