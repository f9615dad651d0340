import ArgumentParser
import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation

/// `clientele audience …`: saved, named customer filters (METRICS.md, "Audiences"; docs/audiences.md).
struct AudienceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audience",
        abstract: "Saved audiences: named customer filters with an overview, insights, top products and a CSV export.",
        discussion: """
        Examples:
          clientele audience list --db shop.sqlite
          clientele audience create big-spenders --filter "orders >= 2 and revenue > 1000" --db shop.sqlite
          clientele audience show big-spenders --db shop.sqlite --sort revenue
          clientele audience export big-spenders --format csv --db shop.sqlite > big-spenders.csv
          clientele audience edit big-spenders --filter "revenue > 2000" --db shop.sqlite
          clientele audience delete big-spenders --db shop.sqlite
          clientele audience fields
        A new shop starts with built-in audiences (one-time-buyers-follow-up, loyal-slipping-away, lost-vips,
        due-for-reminder). Predicted fields (p_alive, predicted_clv, expected_purchases, next_order) need
        clientele fit --db PATH first. The filter language is described in docs/audiences.md.
        """,
        subcommands: [AudienceList.self, AudienceCreate.self, AudienceShow.self, AudienceExport.self, AudienceEdit.self,
                      AudienceDelete.self, AudienceFields.self]
    )
}

/// Output formats of the audience commands that print a record or a list.
enum AudienceOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension AudienceOverview.ProductSort: ExpressibleByArgument {}

/// What the audience commands share: opening the store (seeding the built-ins on first use), parsing filters.
enum AudienceSupport {
    /// Opens the store at the options' path and saves the built-in audiences newer than the store's seed version.
    static func open(_ options: StoreOptions) async throws -> any OrderStore {
        let store = try await options.open(.nothing)
        try await seedBuiltIns(store)
        return store
    }

    /// Seeds the built-in audiences the store has not had yet (see `OrderStore.seedAudiences`).
    static func seedBuiltIns(_ store: some OrderStore) async throws {
        let version = try await store.audienceSeedVersion()
        guard version < BuiltInAudience.currentVersion else { return }
        let now = nowInstant()
        let fresh = BuiltInAudience.all.filter { $0.version > version }.map {
            SavedAudience(name: $0.name, filter: $0.filter, createdAt: now, updatedAt: now, builtIn: true)
        }
        _ = try await store.seedAudiences(fresh, version: BuiltInAudience.currentVersion)
    }

    static func nowInstant() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }

    /// The saved audience `name` or an error that lists the names there are.
    static func find(_ name: String, in store: some OrderStore) async throws -> SavedAudience {
        let all = try await store.listAudiences()
        if let a = all.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) { return a }
        let names = all.map(\.name).joined(separator: ", ")
        throw CLIError("There is no audience \"\(name)\". Audiences: \(names.isEmpty ? "none" : names). Create one with clientele audience create NAME --filter \"…\".")
    }

    /// Parses `text` or throws the positioned error (with its caret line).
    static func parse(_ text: String) throws -> AudienceFilter {
        do {
            return try AudienceFilter(text)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Checks a new audience name.
    static func validateName(_ name: String) throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("The audience needs a name.") }
        if name != name.trimmingCharacters(in: .whitespacesAndNewlines) {
            throw ValidationError("The audience name \"\(name)\" starts or ends with a space.")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || name.count > 200 {
            throw ValidationError("The audience name must be at most 200 characters without control characters.")
        }
    }

    /// The audience as a JSON object.
    static func json(_ a: SavedAudience, customers: Int? = nil, summary: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(a.name)), ("filter", .string(a.filter)), ("builtIn", .bool(a.builtIn)),
            ("createdAt", .string(a.createdAt.description)), ("updatedAt", .string(a.updatedAt.description)),
        ]
        if let summary { members.append(("summary", .string(summary))) }
        if let customers { members.append(("customers", .int(customers))) }
        return .object(members)
    }
}

/// `clientele audience list`.
struct AudienceList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the saved audiences with how many customers each holds today (or --as-of).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func run() async throws {
        let db = try await AudienceSupport.open(store)
        let audiences = try await db.listAudiences()
        // Customer counts need the shop's orders; a shop without orders lists the audiences without counts.
        var counts: [Int?] = Array(repeating: nil, count: audiences.count)
        // An audience on predicted fields is counted only when the shop has a current fit.
        if let shop = try? await LoadedShop.open(store) {
            let date = asOf.date(calendar: shop.calendar)
            var ctx = try AudienceSupport.context(shop: shop, asOf: date, for: nil)
            let filters = audiences.map { try? AudienceFilter($0.filter) }
            if filters.contains(where: { $0?.usesPredictions == true }),
               case .current(let fit)? = try? AudienceSupport.fitState(shop: shop) {
                ctx.predictions = try? AudienceSupport.predictedValues(shop: shop, fit: fit, asOf: date)
            }
            if filters.contains(where: { $0?.fieldNames.contains("reminder_due") == true }) {
                ctx.reminderDue = AudienceContext.nextReminderDue(snapshot: shop.snapshot, asOf: date, calendar: shop.calendar)
            }
            for (i, filter) in filters.enumerated() {
                guard let filter, !filter.usesPredictions || ctx.predictions != nil else { continue }
                counts[i] = filter.customers(in: ctx).lazy.filter { $0 }.count
            }
        }
        let summaries = Dictionary(BuiltInAudience.all.map { ($0.name, $0.summary) }, uniquingKeysWith: { a, _ in a })
        switch format {
        case .json:
            print(JSONValue.array(audiences.enumerated().map { i, a in
                AudienceSupport.json(a, customers: counts[i], summary: a.builtIn ? summaries[a.name] : nil)
            }).rendered(), terminator: "")
        case .table:
            if audiences.isEmpty {
                print("No audiences. Create one: clientele audience create NAME --filter \"orders >= 2\"")
                return
            }
            let width = audiences.map(\.name.count).max() ?? 4
            print("Name".padding(toLength: max(width, 4), withPad: " ", startingAt: 0) + "  Customers  Filter")
            for (i, a) in audiences.enumerated() {
                let count = counts[i].map(String.init) ?? "–"
                print(a.name.padding(toLength: max(width, 4), withPad: " ", startingAt: 0) + "  "
                      + String(repeating: " ", count: max(0, 9 - count.count)) + count + "  " + a.filter
                      + (a.builtIn ? "  (built-in)" : ""))
            }
        }
    }
}

/// `clientele audience create NAME --filter "…"`.
struct AudienceCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Save a new audience.",
        discussion: "Example: clientele audience create big-spenders --filter \"orders >= 2 and revenue > 1000\" --db shop.sqlite")

    @Argument(help: "The audience's name.") var name: String
    @Option(help: "The filter, e.g. \"orders >= 2 and last_order within 90d\" (docs/audiences.md).") var filter: String
    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func validate() throws { try AudienceSupport.validateName(name) }

    func run() async throws {
        _ = try AudienceSupport.parse(filter)
        let db = try await AudienceSupport.open(store)
        if try await db.listAudiences().contains(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
            throw CLIError("An audience \"\(name)\" exists already. Change its filter with clientele audience edit \(name) --filter \"…\".")
        }
        let now = AudienceSupport.nowInstant()
        let audience = SavedAudience(name: name, filter: filter, createdAt: now, updatedAt: now)
        try await db.saveAudience(audience)
        switch format {
        case .json: print(AudienceSupport.json(audience).rendered(), terminator: "")
        case .table: print("Saved audience \"\(name)\": \(filter)")
        }
    }
}

/// `clientele audience edit NAME --filter "…"`.
struct AudienceEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a saved audience's filter (built-in audiences too).")

    @Argument(help: "The audience's name.") var name: String
    @Option(help: "The new filter.") var filter: String
    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func run() async throws {
        _ = try AudienceSupport.parse(filter)
        let db = try await AudienceSupport.open(store)
        var audience = try await AudienceSupport.find(name, in: db)
        audience.filter = filter
        audience.updatedAt = AudienceSupport.nowInstant()
        try await db.saveAudience(audience)
        switch format {
        case .json: print(AudienceSupport.json(audience).rendered(), terminator: "")
        case .table: print("Audience \"\(name)\" now: \(filter)")
        }
    }
}

/// `clientele audience delete NAME`.
struct AudienceDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a saved audience (a deleted built-in audience stays deleted).")

    @Argument(help: "The audience's name.") var name: String
    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func run() async throws {
        let db = try await AudienceSupport.open(store)
        let audience = try await AudienceSupport.find(name, in: db)
        _ = try await db.deleteAudience(name: audience.name)
        switch format {
        case .json: print(JSONValue.object([("deleted", AudienceSupport.json(audience))]).rendered(), terminator: "")
        case .table: print("Deleted audience \"\(name)\".")
        }
    }
}

/// The audience a `show` or `export` is about: a saved name or an ad-hoc filter.
struct AudienceSelection: ParsableArguments {
    @Argument(help: "The saved audience's name.") var name: String?
    @Option(help: "An ad-hoc filter instead of a saved audience.") var filter: String?

    func validate() throws {
        if (name == nil) == (filter == nil) {
            throw ValidationError("Name a saved audience or give --filter \"…\" (one of them).")
        }
    }

    /// The title, the filter text and the parsed filter.
    func resolve(_ store: StoreOptions) async throws -> (title: String, text: String, filter: AudienceFilter) {
        if let filter { return ("ad-hoc filter", filter, try AudienceSupport.parse(filter)) }
        let db = try await AudienceSupport.open(store)
        let saved = try await AudienceSupport.find(name!, in: db)
        do {
            return (saved.name, saved.filter, try AudienceFilter(saved.filter))
        } catch {
            throw CLIError("The saved filter of audience \"\(saved.name)\" cannot be read; fix it with clientele audience edit \(saved.name) --filter \"…\".\n\(error.description)")
        }
    }
}

/// `clientele audience show NAME`.
struct AudienceShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "An audience's overview (each figure as a share of all customers), per-customer insights and most bought products.",
        discussion: """
        Examples:
          clientele audience show lost-vips --db shop.sqlite
          clientele audience show --filter "country in (DK, SE) and orders >= 3" --db shop.sqlite --sort revenue --top 50
        """)

    @OptionGroup var selection: AudienceSelection
    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Sort the products by times (orders with the product), quantity, revenue or customers.") var sort: AudienceOverview.ProductSort = .times
    @Option(help: ArgumentHelp("How many products to list.", valueName: "N")) var top: Int = 20
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more.") }
    }

    func run() async throws {
        let (title, text, filter) = try await selection.resolve(store)
        let shop = try await LoadedShop.open(store)
        let ctx = try AudienceSupport.context(shop: shop, asOf: asOf.date(calendar: shop.calendar), for: filter)
        let overview = AudienceOverview.compute(context: ctx, mask: filter.customers(in: ctx), productSort: sort, topProducts: top)
        switch format {
        case .json: print(overview.json(name: selection.name, filter: text), terminator: "")
        case .table: print(overview.table(title: title, filter: text, locale: shop.settings.locale), terminator: "")
        }
    }
}

/// `clientele audience export NAME --format csv`.
struct AudienceExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "The audience's customers with e-mail and figures, for an e-mail tool.",
        discussion: "Example: clientele audience export lost-vips --format csv --db shop.sqlite > lost-vips.csv")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var selection: AudienceSelection
    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: "Output: csv or json.") var format: Format = .csv

    func run() async throws {
        let (_, _, filter) = try await selection.resolve(store)
        let shop = try await LoadedShop.open(store)
        let ctx = try AudienceSupport.context(shop: shop, asOf: asOf.date(calendar: shop.calendar), for: filter)
        let mask = filter.customers(in: ctx)
        switch format {
        case .csv: print(AudienceOverview.exportCSV(context: ctx, mask: mask), terminator: "")
        case .json: print(AudienceOverview.exportJSON(context: ctx, mask: mask, name: selection.name), terminator: "")
        }
    }
}

/// `clientele audience fields`.
struct AudienceFields: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fields", abstract: "List the fields a filter can use.")

    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func run() async throws {
        switch format {
        case .json:
            print(JSONValue.array(AudienceField.all.map { f in
                .object([("name", .string(f.name)), ("kind", .string(f.kindName)), ("summary", .string(f.summary))])
            }).rendered(), terminator: "")
        case .table:
            let width = AudienceField.all.map(\.name.count).max() ?? 0
            for f in AudienceField.all {
                print(f.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + f.summary)
            }
        }
    }
}
