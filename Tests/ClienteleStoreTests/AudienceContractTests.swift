import ClienteleCore
import ClienteleStore
import Testing

/// The audience part of the store contract, run for each factory in `StoreFactory.all`.
@Suite("Store contract: audiences")
struct AudienceContractTests {
    static func audience(_ name: String, _ filter: String = "orders >= 2", at t: Int64 = 1_700_000_000,
                         builtIn: Bool = false) -> SavedAudience {
        SavedAudience(name: name, filter: filter, createdAt: Instant(seconds: t), updatedAt: Instant(seconds: t + 5), builtIn: builtIn)
    }

    @Test("save, list, replace and delete round-trip exactly", arguments: StoreFactory.all)
    func roundTrip(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            #expect(try await store.listAudiences().isEmpty)
            let b = Self.audience("b-audience", "group = vip and stage = lost", builtIn: true)
            let a = Self.audience("A audience", "country in (DK, SE)\nand orders >= 2")
            let e = Self.audience("é", "email ends with \"@gmail.com\"")
            try await store.saveAudience(b)
            try await store.saveAudience(e)
            try await store.saveAudience(a)
            // Ascending by bytes: "A…" (0x41) < "b…" (0x62) < "é" (0xC3 0xA9).
            #expect(try await store.listAudiences() == [a, b, e])
            var changed = b
            changed.filter = "group = vip"
            changed.updatedAt = Instant(seconds: 1_800_000_000)
            try await store.saveAudience(changed)
            #expect(try await store.listAudiences() == [a, changed, e], "saving by the same name replaces")
            #expect(try await store.deleteAudience(name: "b-audience"))
            #expect(try await store.deleteAudience(name: "b-audience") == false)
            #expect(try await store.deleteAudience(name: "B-AUDIENCE") == false, "names compare by bytes")
            #expect(try await store.listAudiences() == [a, e])
        }
    }

    @Test("names are compared by bytes: canonically equivalent names stay apart", arguments: StoreFactory.all)
    func namesByBytes(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            try await store.saveAudience(Self.audience("caf\u{E9}"))
            try await store.saveAudience(Self.audience("cafe\u{301}", "orders = 1"))
            #expect(try await store.listAudiences().count == 2)
        }
    }

    @Test("an audience without a name or filter is refused and nothing changes", arguments: StoreFactory.all)
    func invalid(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            await #expect(throws: StoreError.self) { try await store.saveAudience(Self.audience("  ")) }
            await #expect(throws: StoreError.self) { try await store.saveAudience(Self.audience("x", " \n")) }
            await #expect(throws: StoreError.self) { try await store.saveAudience(Self.audience("a\u{7}b")) }
            #expect(try await store.listAudiences().isEmpty)
        }
    }

    @Test("saving an audience keeps the revision; the checksum includes audiences", arguments: StoreFactory.all)
    func revisionAndChecksum(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            _ = try await store.replaceOrders(Fixtures.orders())
            let revision = try await store.revision()
            let before = try await store.contentChecksum()
            try await store.saveAudience(Self.audience("x"))
            #expect(try await store.revision() == revision, "the snapshot does not depend on audiences")
            let with = try await store.contentChecksum()
            #expect(with != before)
            // The same content in another store of the same kind gives the same checksum.
            try await withStore(factory) { (other) async throws in
                _ = try await other.replaceOrders(Fixtures.orders())
                #expect(try await other.contentChecksum() == before, "no audiences: the checksum is the orders'")
                try await other.saveAudience(Self.audience("x"))
                #expect(try await other.contentChecksum() == with)
            }
            #expect(try await store.deleteAudience(name: "x"))
            #expect(try await store.contentChecksum() == before)
        }
    }

    @Test("seeding: once per version, never over a taken name, deleted built-ins stay deleted", arguments: StoreFactory.all)
    func seeding(factory: StoreFactory) async throws {
        try await withStore(factory) { (store) async throws in
            #expect(try await store.audienceSeedVersion() == 0)
            try await store.saveAudience(Self.audience("taken", "orders = 5"))
            let seeds = [Self.audience("one", builtIn: true), Self.audience("taken", builtIn: true)]
            #expect(try await store.seedAudiences(seeds, version: 1) == ["one"])
            #expect(try await store.audienceSeedVersion() == 1)
            #expect(try await store.listAudiences().map(\.filter) == ["orders >= 2", "orders = 5"])
            #expect(try await store.deleteAudience(name: "one"))
            #expect(try await store.seedAudiences(seeds, version: 1) == [], "the same version seeds nothing")
            #expect(try await store.listAudiences().map(\.name) == ["taken"])
            #expect(try await store.seedAudiences([Self.audience("two", builtIn: true)], version: 2) == ["two"])
            #expect(try await store.audienceSeedVersion() == 2)
            #expect(try await store.listAudiences().first { $0.name == "two" }?.builtIn == true)
        }
    }
}
