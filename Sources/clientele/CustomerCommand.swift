import ArgumentParser
import ClienteleCore
import ClienteleStore
import Foundation

/// `clientele customer …`: customers' privacy (GDPR; docs/privacy.md): export what is stored about a person,
/// forget them, anonymise customers inactive longer than the shop's retention limit, show the privacy log.
struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Customers' privacy (GDPR): export or forget one person, anonymise inactive customers, show the privacy log.",
        discussion: """
        Examples:
          clientele customer export --email anna@example.com --db shop.sqlite > anna.json
          clientele customer forget --email anna@example.com --db shop.sqlite
          clientele customer anonymise-inactive --years 3 --db shop.sqlite --dry-run
          clientele customer log --db shop.sqlite
        Forgetting erases the person's customer id, e-mail and country from every order of theirs; the orders stay
        in revenue and order totals as anonymous orders. See docs/privacy.md.
        """,
        subcommands: [CustomerExportCommand.self, CustomerForgetCommand.self, CustomerAnonymiseInactiveCommand.self,
                      CustomerLogCommand.self]
    )
}

/// `--email E` or `--customer KEY`: the person a privacy request is about.
struct PersonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The person's e-mail (any case, spaces ignored): every customer with an order under it, with all of their orders.", valueName: "E"))
    var email: String?
    @Option(help: ArgumentHelp("A customer key as reports show it: the shop's customer id, or a guest's e-mail.", valueName: "KEY"))
    var customer: String?

    func validate() throws {
        if (email == nil) == (customer == nil) { throw ValidationError("Name the person with --email E or --customer KEY (one of them).") }
        if let email, CustomerIdentity.normalisedEmail(email) == nil { throw ValidationError("--email is empty.") }
        if let customer, customer.isEmpty { throw ValidationError("--customer is empty.") }
    }

    /// The match the options name.
    var match: CustomerMatch {
        if let email { return .email(email) }
        return .customerKey(customer ?? "")
    }
}

/// `clientele customer export`: everything stored about one person, as JSON (the right of access).
struct CustomerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print everything stored about one person as JSON: identity, every order with its lines, audiences, what is derived.",
        discussion: """
        Examples:
          clientele customer export --email anna@example.com --db shop.sqlite > anna.json
          clientele customer export --customer 100042 --db shop.sqlite --output anna.json
        """
    )

    @OptionGroup var person: PersonOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var asOf: LifecycleAsOfOption
    @Option(help: ArgumentHelp("Write the JSON to this file (readable by you only) instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() async throws {
        let (target, db) = try await store.resolve(.nothing)
        try await AudienceSupport.seedBuiltIns(db)
        let orders = try await db.ordersOf(customer: person.match)
        guard !orders.isEmpty else {
            throw CLIError("No stored order belongs to that \(person.email != nil ? "e-mail" : "customer"); nothing is stored about them (compare with clientele report customers --format csv).")
        }
        let settings = try await db.loadSettings()
        let calendar = settings.calendar ?? .utc
        let date = asOf.date(calendar: calendar)
        var export = CustomerExport(shopName: settings.name, request: person.match, asOf: date, calendar: calendar,
                                    shopCurrency: settings.reportingCurrency, orders: orders)
        let saved = try await db.listAudiences()
        if !saved.isEmpty, let shop = try? await LoadedShop.open(target, store: db) {
            var predictions: PredictedValues? = nil
            if saved.contains(where: { (try? AudienceFilter($0.filter))?.usesPredictions == true }),
               case .current(let fit)? = try? AudienceSupport.fitState(shop: shop) {
                predictions = try? AudienceSupport.predictedValues(shop: shop, fit: fit, asOf: date)
            }
            let judged = CustomerExport.memberships(snapshot: shop.snapshot, keys: export.customerKeys, saved: saved, asOf: date,
                                                    thresholds: shop.settings.thresholds, currency: shop.currency,
                                                    calendar: shop.calendar, predictions: predictions)
            export.audiences = judged.audiences
            export.audiencesNotEvaluated = judged.notEvaluated
        }
        let json = export.json()
        if let output {
            do { try PrivateFile.write(Array(json.utf8), to: output) } catch { throw CLIError("Could not write the export: \(error.description)") }
            print("Wrote \(orders.count) order\(orders.count == 1 ? "" : "s") of \(export.customerKeys.count) customer\(export.customerKeys.count == 1 ? "" : "s") to \(output).")
        } else {
            print(json, terminator: "")
        }
    }
}

/// `clientele customer forget`: erases a person's identity everywhere; their orders stay as anonymous orders.
struct CustomerForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase one person's customer id, e-mail and country from every order of theirs (the orders stay in the totals as anonymous orders).",
        discussion: """
        Also deletes saved audiences whose name or filter mentions them, rebuilds the snapshot, and records the
        counts (never the e-mail) in the privacy log. It cannot be undone: run clientele customer export first
        to see exactly what will be erased.
        Examples:
          clientele customer forget --email anna@example.com --db shop.sqlite
          clientele customer forget --customer 100042 --db shop.sqlite
        """
    )

    @OptionGroup var person: PersonOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (target, db) = try await store.resolve(.nothing)
        let summary = try await db.forget(customers: [person.match], action: .forget, at: AudienceSupport.nowInstant())
        if summary.isEmpty {
            print("No stored order or saved audience belongs to that \(person.email != nil ? "e-mail" : "customer"); nothing was changed.")
            return
        }
        print(CustomerPrivacySupport.describe(summary, verb: "Forgot"))
        print(try await CustomerPrivacySupport.refreshDerivedFiles(target: target, store: db))
    }
}

/// `clientele customer anonymise-inactive`: forgets every customer inactive longer than the retention limit.
struct CustomerAnonymiseInactiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymise-inactive",
        abstract: "Forget every customer whose last order (cancelled ones included) is more than N years before the as-of date.",
        discussion: """
        N is --years, else the shop's retention limit (clientele shop --retention-years N). With the limit set,
        this also runs at the end of every clientele import.
        Examples:
          clientele customer anonymise-inactive --years 3 --db shop.sqlite --dry-run
          clientele customer anonymise-inactive --db shop.sqlite
          clientele customer anonymise-inactive --years 2 --as-of 2025-06-30 --db shop.sqlite
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Years without an order after which a customer is anonymised (1–100). Default: the shop's retention limit.", valueName: "N"))
    var years: Int?
    @OptionGroup var asOf: LifecycleAsOfOption
    @Flag(name: .customLong("dry-run"), help: "Only count the customers and orders it would anonymise; change nothing.")
    var dryRun = false

    func validate() throws {
        if let years, !ShopSettings.retentionYearsRange.contains(years) {
            throw ValidationError("--years must be from 1 to 100.")
        }
    }

    func run() async throws {
        let (target, db) = try await store.resolve(.nothing)
        let settings = try await db.loadSettings()
        guard let years = years ?? settings.retentionYears else {
            throw CLIError("The shop has no retention limit. Give --years N, or set one: clientele shop --retention-years N \(target.arguments).")
        }
        let calendar = settings.calendar ?? .utc
        let date = asOf.date(calendar: calendar)
        let (cutoffDate, cutoff) = CustomerMatch.retentionCutoff(years: years, today: date, calendar: calendar)
        let rule = "last order before \(cutoffDate) (\(years) year\(years == 1 ? "" : "s") before \(date))"
        if dryRun {
            let selection = try await CustomerPrivacySupport.preview(db, [.lastOrderBefore(cutoff)])
            print("Dry run: \(selection.customerCount) customer\(selection.customerCount == 1 ? "" : "s") with their \(rule) would be anonymised (\(selection.selectedOrderIds.count) order\(selection.selectedOrderIds.count == 1 ? "" : "s")); nothing was changed.")
            return
        }
        let summary = try await db.forget(customers: [.lastOrderBefore(cutoff)], action: .retention, at: AudienceSupport.nowInstant())
        if summary.isEmpty {
            print("No customer has their \(rule); nothing was changed.")
            return
        }
        print(CustomerPrivacySupport.describe(summary, verb: "Anonymised") + " Rule: \(rule).")
        print(try await CustomerPrivacySupport.refreshDerivedFiles(target: target, store: db))
    }
}

/// `clientele customer log`: the privacy log (counts only).
struct CustomerLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the privacy log: when customers were forgotten, why and how many (never who).",
        discussion: "Example: clientele customer log --db shop.sqlite --format json"
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table or json.") var format: AudienceOutputFormat = .table

    func run() async throws {
        let db = try await store.open(.nothing)
        let log = try await db.privacyLog()
        switch format {
        case .json:
            print(JSONValue.array(log.map { e in
                .object([("at", .string(e.at.description)), ("action", .string(e.action.rawValue)),
                         ("customers", .int(e.customers)), ("orders", .int(e.orders)), ("audiences", .int(e.audiences))])
            }).rendered(), terminator: "")
        case .table:
            if log.isEmpty {
                print("The privacy log is empty: no customer has been forgotten.")
                return
            }
            print("When                  Action     Customers  Orders  Audiences")
            for e in log {
                func right(_ n: Int, _ width: Int) -> String { String(repeating: " ", count: max(0, width - String(n).count)) + String(n) }
                print(e.at.description + "  " + e.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + right(e.customers, 11) + right(e.orders, 8) + right(e.audiences, 11))
            }
        }
    }
}

/// What the privacy commands share.
enum CustomerPrivacySupport {
    /// The customers and orders `matches` would select now, without changing anything.
    static func preview(_ store: any OrderStore, _ matches: [CustomerMatch]) async throws -> CustomerSelection {
        var selection = CustomerSelection(matches)
        if selection.needsFirstPass {
            try await store.scanOrders { selection.note(customerId: $0.customerId, email: $0.email, placedAt: $0.placedAt) }
            selection.endFirstPass()
        }
        try await store.scanOrders { _ = selection.select(orderId: $0.id, customerId: $0.customerId, email: $0.email) }
        return selection
    }

    /// One sentence of counts (never a name or an e-mail): customers, orders, audiences deleted.
    static func describe(_ s: ForgetSummary, verb: String) -> String {
        var text = "\(verb) \(s.customers) customer\(s.customers == 1 ? "" : "s"): \(s.orders) order\(s.orders == 1 ? "" : "s") anonymised (they stay in the totals as anonymous orders)."
        if !s.audiencesDeleted.isEmpty {
            let n = s.audiencesDeleted.count
            text += " Deleted \(n) saved audience\(n == 1 ? "" : "s") that named them."
        }
        return text
    }

    /// After a forget: deletes the snapshot (it held the erased values) and rebuilds it from the store, and
    /// says whether the saved fit must be redone. Returns the sentence to print.
    static func refreshDerivedFiles(target: ShopTarget, store: any OrderStore) async throws -> String {
        let snapshot = target.snapshotPath
        try? FileManager.default.removeItem(atPath: snapshot)
        var text = "Recorded in the privacy log (counts only)."
        if (try? await LoadedShop.open(target, store: store)) != nil {
            text += " Rebuilt the snapshot \(StoreOptions.display(snapshot))."
        }
        if FileManager.default.fileExists(atPath: target.modelPath) {
            text += " The saved fit holds no one's data but is of older orders now: run clientele fit \(target.arguments) to refit."
        }
        return text
    }

    /// At the end of `clientele import`: applies the shop's retention limit as of today, when it has one.
    /// Returns the sentence to print (nil when there is no limit or nobody was anonymised).
    static func applyRetentionAfterImport(target: ShopTarget, store: any OrderStore) async throws -> String? {
        guard let applied = try await store.applyRetentionLimit(now: AudienceSupport.nowInstant()), !applied.summary.isEmpty else { return nil }
        let years = applied.years
        return describe(applied.summary, verb: "Retention limit (\(years) year\(years == 1 ? "" : "s"); last order before \(applied.firstDayKept)): anonymised")
            + "\n" + (try await refreshDerivedFiles(target: target, store: store))
    }
}
