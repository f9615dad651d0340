import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird

/// The audience pages beyond the list (METRICS.md, "Audiences"; docs/audiences.md): one audience's detail page
/// (overview, per-customer insights, top products sortable by each column, CSV export) and the forms that
/// create, edit and delete audiences as `clientele audience create|edit|delete` do. The forms' "Count" button
/// shows how many customers a filter holds without saving it (a GET of the same form: no JavaScript needed).
/// The forms keep the request's `lang` in their addresses and redirects.
enum AudiencePage {
    /// Adds the audience routes: `GET|POST /audiences/new`, `GET /audiences/{name}`,
    /// `GET|POST /audiences/{name}/edit`, `POST /audiences/{name}/delete`.
    static func add<Context: RequestContext>(to router: Router<Context>, forms: FormRoutes) {
        let service = forms.service
        forms.page(router, .get, "/audiences/new") { request, _ in
            let r = try? await forms.reports(request)
            let q = request.query
            return try await editor(r, request, service: service, editing: nil, name: q["name"] ?? "", filter: q["filter"], counting: q["filter"] != nil)
        }
        forms.page(router, .post, "/audiences/new") { request, _ in
            let form = try await FormRoutes.form(request)
            let name = form["name"] ?? "", filter = form["filter"] ?? ""
            let r = try? await forms.reports(request, query: QueryParameters(query: nil))
            do {
                let saved = try await create(name: name, filter: filter, store: service.store, now: service.now())
                return FormRoutes.seeOther(FormRoutes.keepingLanguage("/audiences/" + QueryParameters.encode(saved.name), request))
            } catch let problem as AudienceProblem {
                return try await editor(r, request, service: service, editing: nil, name: name, filter: filter, problem: problem)
            }
        }
        forms.page(router, .get, "/audiences/{name}") { request, context in
            let r = try await forms.reports(request)
            try r.checkLanguage()
            let audience = name(context)
            return .html(try await RequestDeadline.run(seconds: service.requestSeconds) {
                try await detail(r, name: audience, store: service.store).html
            })
        }
        forms.page(router, .get, "/audiences/{name}/edit") { request, context in
            let saved = try await find(name(context), store: service.store)
            let r = try? await forms.reports(request)
            let filter = request.query["filter"]
            return try await editor(r, request, service: service, editing: saved, name: saved.name, filter: filter ?? saved.filter, counting: filter != nil)
        }
        forms.page(router, .post, "/audiences/{name}/edit") { request, context in
            let saved = try await find(name(context), store: service.store)
            let form = try await FormRoutes.form(request)
            let filter = form["filter"] ?? ""
            do {
                _ = try await update(saved, filter: filter, store: service.store, now: service.now())
            } catch let problem as AudienceProblem {
                let r = try? await forms.reports(request, query: QueryParameters(query: nil))
                return try await editor(r, request, service: service, editing: saved, name: saved.name, filter: filter, problem: problem)
            }
            return FormRoutes.seeOther(FormRoutes.keepingLanguage("/audiences/" + QueryParameters.encode(saved.name), request))
        }
        forms.page(router, .post, "/audiences/{name}/delete") { request, context in
            let saved = try await find(name(context), store: service.store)
            _ = try await service.store.deleteAudience(name: saved.name)
            return FormRoutes.seeOther(FormRoutes.keepingLanguage("/audiences", request))
        }
    }

    /// The `{name}` path parameter, percent-decoded.
    static func name<Context: RequestContext>(_ context: Context) -> String {
        context.parameters.get("name").map { $0.removingPercentEncoding ?? $0 } ?? ""
    }

    /// The saved audience `name` (404 listing the saved names when there is none).
    static func find(_ name: String, store: any OrderStore) async throws -> SavedAudience {
        let all = try await store.listAudiences()
        guard let saved = all.first(where: { $0.name.utf8.elementsEqual(name.utf8) }) else {
            throw APIError.notFound("There is no audience \"\(name)\". Saved audiences: \(all.map(\.name).joined(separator: ", ")).")
        }
        return saved
    }

    /// Why an audience cannot be saved as given: the rules of `clientele audience create|edit`, shared by the
    /// forms (shown on the form, 422) and the JSON API (`{"error": …}`, 422 or 409).
    enum AudienceProblem: Error, CustomStringConvertible, Sendable {
        /// The name breaks a rule: the sentence.
        case name(String)
        /// The filter cannot be read: the parser's error with its line and column.
        case filter(AudienceFilterError)
        /// An audience with the name exists already (creating only).
        case exists(String)
        /// The store refused it: its sentence.
        case store(String)

        /// The sentence the user reads (a filter error with its caret display).
        var description: String {
            switch self {
            case .name(let text), .store(let text): return text
            case .filter(let error): return error.description
            case .exists(let name):
                return "An audience \"\(name)\" exists already. Change its filter on its own page: /audiences/\(QueryParameters.encode(name))/edit."
            }
        }

        /// The sentence in `language` where the dashboard has it (the parser's and the store's stay English).
        func description(in language: Language) -> String {
            switch self {
            case .name(let text): return language.t(text)
            case .exists(let name):
                return language.t("An audience \"{name}\" exists already. Change its filter on its own page: {path}.",
                                  ["name": name, "path": "/audiences/\(QueryParameters.encode(name))/edit"])
            case .filter, .store: return description
            }
        }
    }

    /// Saves a new audience `name` with `filter` by the rules of `clientele audience create`.
    static func create(name: String, filter: String, store: any OrderStore, now: Instant) async throws -> SavedAudience {
        if let problem = nameProblem(name) { throw AudienceProblem.name(problem) }
        if case .failure(let error) = parse(filter) { throw AudienceProblem.filter(error) }
        if try await store.listAudiences().contains(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
            throw AudienceProblem.exists(name)
        }
        let audience = SavedAudience(name: name, filter: filter, createdAt: now, updatedAt: now)
        try await save(audience, store: store)
        return audience
    }

    /// Saves `saved` with a new `filter` by the rules of `clientele audience edit` (a built-in stays built-in).
    static func update(_ saved: SavedAudience, filter: String, store: any OrderStore, now: Instant) async throws -> SavedAudience {
        if case .failure(let error) = parse(filter) { throw AudienceProblem.filter(error) }
        var changed = saved
        changed.filter = filter
        changed.updatedAt = now
        try await save(changed, store: store)
        return changed
    }

    /// Saves `audience`; a store rule it breaks (`SavedAudience.validate`) is an `AudienceProblem.store`.
    static func save(_ audience: SavedAudience, store: any OrderStore) async throws {
        do {
            try SavedAudience.validate(audience)
            try await store.saveAudience(audience)
        } catch let error as StoreError {
            throw AudienceProblem.store("The audience could not be saved: \(error).")
        }
    }

    /// Why `name` cannot name a new audience (the rules of `clientele audience create`), nil when it can.
    static func nameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "The audience needs a name." }
        if name != name.trimmingCharacters(in: .whitespacesAndNewlines) { return "The audience name starts or ends with a space." }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || name.count > 200 {
            return "The audience name must be at most 200 characters without control characters."
        }
        return nil
    }

    /// The parsed filter, or the parser's message with the position and a caret line.
    static func parse(_ text: String) -> Result<AudienceFilter, AudienceFilterError> {
        do { return .success(try AudienceFilter(text)) } catch { return .failure(error) }
    }

    /// What the form shows under the filter: the count, or why there is none.
    enum Outcome {
        /// The filter's customers as of the date, of all customers with an order by then.
        case count(customers: Int, of: Int, asOf: ShopDate)
        /// The filter cannot be counted: the sentence (a filter error keeps its caret display), and whether it
        /// is in English whatever the page's language (the parser's and the reports' messages).
        case problem(String, english: Bool)
    }

    /// The create (editing nil) or edit form with `name` and `filter`; `counting` evaluates the filter
    /// (the Count button), `problem` is a refusal to show (status 422). In the language of the request's `lang`.
    static func editor(_ r: ShopReports?, _ request: Request, service: ShopService, editing: SavedAudience?, name: String, filter: String?,
                       counting: Bool = false, problem: AudienceProblem? = nil) async throws -> Response {
        let settings = try? await service.store.loadSettings()
        let language = try FormRoutes.language(request, settings: r?.settings ?? settings)
        var outcome: Outcome?
        var status: HTTPResponse.Status = .ok
        if let problem {
            let text = problem.description(in: language)
            outcome = .problem(text, english: text == problem.description)
            status = .unprocessableContent
        } else if counting, let filter {
            switch parse(filter) {
            case .failure(let error):
                outcome = .problem(error.description, english: true)
                status = .unprocessableContent
            case .success(let parsed):
                guard let r else {
                    outcome = .problem(language.t("The shop has no orders yet, so there is no one to count. Import orders first (Import page)."), english: false)
                    break
                }
                do {
                    let asOf = try r.asOf()
                    let ctx = try await r.withPredictions(r.audienceContext(asOf: asOf), for: parsed)
                    let customers = try r.audienceMembers(parsed, context: ctx).lazy.filter { $0 }.count
                    var all = 0
                    for c in 0..<ctx.snapshot.customerCount where ctx.isCustomer(c) { all += 1 }
                    outcome = .count(customers: customers, of: all, asOf: asOf)
                } catch let error as APIError {
                    outcome = .problem(error.description, english: true)
                    status = error.status
                }
            }
        }
        let shopName = r?.settings.name ?? settings?.name ?? "Clientele"
        let body = form(editing: editing, name: name, filter: filter ?? "", asOf: request.query["asOf"], outcome: outcome,
                        language: language, lang: request.query.language)
        let title = editing.map { language.t("Edit audience {name}", ["name": $0.name]) } ?? language.t("New audience")
        return .html(Page(title: title, shopName: shopName, path: "/audiences", body: body, language: language, query: request.query,
                          ownPath: request.uri.path).rendered, status: status)
    }

    /// The form: name (fixed when editing), the filter with the language's help, Count (GET, nothing saved)
    /// and Save (POST); when editing, a Delete button. `lang`, when the request gave it, is kept in the
    /// actions' addresses (POST) and a hidden field (the Count button's GET).
    static func form(editing: SavedAudience?, name: String, filter: String, asOf: String?, outcome: Outcome?,
                     language: Language = .en, lang: Language? = nil) -> String {
        let f = language.format, t = language.translator
        let base = editing.map { "/audiences/" + QueryParameters.encode($0.name) }
        let action = base.map { $0 + "/edit" } ?? "/audiences/new"
        let keep = { (path: String) in Page.keepingLanguage(path, lang?.rawValue) }
        var out = "<form class=\"audience-form\" method=\"post\" action=\"\(html(keep(action)))\" aria-label=\"\(html(t("Audience")))\">"
        if let editing {
            out += "<p>\(html(t("Audience"))) <strong>\(html(editing.name))</strong>\(editing.builtIn ? " (\(html(t("built-in"))))" : "") · <a href=\"\(html(keep(base!)))\">\(html(t("back to its page")))</a></p>"
            out += "<input type=\"hidden\" name=\"name\" value=\"\(html(editing.name))\">"
        } else {
            out += "<p><label for=\"name\">\(html(t("Name")))</label><br><input id=\"name\" name=\"name\" value=\"\(html(name))\" maxlength=\"200\" required size=\"40\"></p>"
        }
        if let lang { out += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        let describedBy = outcome == nil ? "filter-help" : "filter-outcome filter-help"
        out += "<p><label for=\"filter\">\(html(t("Filter")))</label><br><textarea id=\"filter\" name=\"filter\" rows=\"4\" cols=\"70\" required spellcheck=\"false\" aria-describedby=\"\(describedBy)\">\(html(filter))</textarea></p>"
        out += "<p><label for=\"asOf\">\(html(t("Count as of")))</label> <input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(asOf ?? ""))\"></p>"
        switch outcome {
        case .count(let customers, let all, let date)?:
            out += "<p id=\"filter-outcome\" class=\"count\" role=\"status\">"
            out += language.tHTML("{count} of {all} customers match as of {date} (not saved yet).",
                                  ["count": "<strong class=\"audience-count\">\(f.int(customers))</strong>", "all": html(f.int(all)), "date": html(f.date(date))])
            out += "</p>"
        case .problem(let text, let english)?:
            let lang = english && language != .en ? " lang=\"en\"" : ""
            out += "<pre id=\"filter-outcome\" class=\"error\" role=\"alert\"\(lang)>\(html(text))</pre>"
        case nil:
            break
        }
        out += "<p><button type=\"submit\" formmethod=\"get\" formaction=\"\(html(action))\" formnovalidate>\(html(t("Count")))</button> "
        out += "<button type=\"submit\">\(html(t("Save")))</button></p></form>"
        if let base {
            out += "<form method=\"post\" action=\"\(html(keep(base + "/delete")))\" aria-label=\"\(html(t("Delete audience")))\"><button type=\"submit\" class=\"danger\">\(html(t("Delete this audience")))</button></form>"
        }
        out += help(language)
        return out
    }

    /// The filter language's summary: operators, fields and examples (docs/audiences.md has the whole of it).
    static func help(_ language: Language = .en) -> String {
        let t = language.translator
        func code(_ s: String) -> String { "<code>\(html(s))</code>" }
        var out = "<details id=\"filter-help\" open><summary>\(html(t("The filter language")))</summary>"
        out += "<p>" + language.tHTML("Conditions joined with {and}, {or} and {not}, with parentheses; numbers {numbers}; dates {within}, {before}, {between}, {ago}; values {is}, {in}; text {contains}, {starts}, {ends}; {bought}. See docs/audiences.md.",
                                      ["and": code("and"), "or": code("or"), "not": code("not"), "numbers": code("= != < <= > >="),
                                       "within": code("within 90d"), "before": code("before 2025-01-01"), "between": code("between A and B"),
                                       "ago": code("<= 30d ago"), "is": code("= vip"), "in": code("in (DK, SE)"), "contains": code("contains"),
                                       "starts": code("starts with"), "ends": code("ends with"), "bought": code("bought \"SKU\"")]) + "</p>"
        out += "<p>\(html(t("Examples:"))) \(code("orders >= 2 and revenue > 1000")) · \(code("group = vip and stage = lost")) · \(code("last_order within 90d and country in (DK, SE)")) · \(code("email ends with \"@gmail.com\""))</p>"
        let fields = DataTable(id: "fields", title: t("Fields"), columns: [.text(t("Field")), .text(t("Kind")), .text(t("Meaning"))],
                               rows: AudienceField.all.map { field in
                                   var name = TableCell.text(field.name)
                                   name.code = true
                                   return TableRow([name, .text(t(field.kindName)), .text(t(field.summary))])
                               }, caption: true)
        out += PageTables(downloadPath: "/audiences/fields", query: QueryParameters(query: nil), language: language).addInline(fields, filename: "audience-fields")
        return out + "</details>"
    }

    /// The detail page: the audience's overview beside all customers, per-customer insights, the top products
    /// (each column header a link sorting by it) and the CSV export, as of the request's date.
    static func detail(_ r: ShopReports, name: String, store: any OrderStore) async throws -> RenderedPage {
        let f = r.format, t = r.language.translator
        let sort = try r.query.choice("sort", AudienceOverview.ProductSort.self) ?? .times
        let top = try r.query.int("top", in: 1...10_000) ?? 20
        let (saved, ctx, mask) = try await AudienceRoutes.members(name, r, store: store)
        let o = AudienceOverview.compute(context: ctx, mask: mask, productSort: sort, topProducts: top)
        let base = "/audiences/" + QueryParameters.encode(saved.name)
        var tables = PageTables(r, downloadPath: base)
        let a = o.audience, b = o.all
        var body = "<form class=\"picker\" method=\"get\" action=\"\(html(base))\" aria-label=\"\(html(t("As of")))\">"
        for key in ["sort", "top", "lang"] { if let v = r.query[key] { body += "<input type=\"hidden\" name=\"\(key)\" value=\"\(html(v))\">" } }
        body += "<label for=\"asOf\">\(html(t("As of")))<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label><button type=\"submit\">\(html(t("Show")))</button></form>"
        body += "<p class=\"period\">\(html(t("Filter"))) <code>\(html(saved.filter))</code>\(saved.builtIn ? " (\(html(t("built-in"))))" : "") · \(html(t("as of"))) \(html(f.date(o.asOf)))</p>"
        if saved.builtIn, let summary = BuiltInAudience.all.first(where: { $0.name == saved.name })?.summary { body += "<p>\(html(t(summary)))</p>" }
        let asOfQuery = r.query["asOf"].map { "?asOf=" + QueryParameters.encode($0) } ?? ""
        body += "<p class=\"download\"><a href=\"\(html("/api/v1" + base + ".csv" + asOfQuery))\" download>\(html(t("Download the customers as CSV")))</a> · "
        body += "<a href=\"\(html(r.href(base + "/edit")))\">\(html(t("Edit the filter")))</a> · <a href=\"\(html(r.href("/audiences")))\">\(html(t("All audiences")))</a></p>"

        func share(_ part: Int64, _ whole: Int64) -> Double? { AudienceOverview.share(part, whole) }
        body += "<section class=\"cards\" aria-label=\"\(html(t("Audience figures")))\">"
        body += CustomersPage.card(t("Customers"), f.int(a.customers), change: nil, language: r.language)
        body += CustomersPage.card(t("Revenue"), f.money(a.revenue), language: r.language)
        body += CustomersPage.card(t("Share of revenue"), f.percent(share(a.revenue.minorUnits, b.revenue.minorUnits)), language: r.language)
        body += "</section>"
        let priceRatio: Double? = {
            guard let x = a.averageItemPrice, let y = b.averageItemPrice, y.minorUnits != 0 else { return nil }
            return Double(x.minorUnits) / Double(y.minorUnits)
        }()
        body += "<h2 id=\"overview\">\(html(t("Overview")))</h2>"
        body += tables.add(DataTable(id: "overview", title: t("Overview"),
            columns: [.text(t("Figure")), .number(t("Audience")), .number(t("All customers")), .number(t("Share"))],
            rows: [
                TableRow([.text(t("Total revenue")), .money(a.revenue), .money(b.revenue), .percent(share(a.revenue.minorUnits, b.revenue.minorUnits))], cssClass: "revenue"),
                TableRow([.text(t("Customers")), .int(a.customers), .int(b.customers), .percent(share(Int64(a.customers), Int64(b.customers)))], cssClass: "customers"),
                TableRow([.text(t("Orders")), .int(a.orders), .int(b.orders), .percent(share(Int64(a.orders), Int64(b.orders)))], cssClass: "orders"),
                TableRow([.text(t("Items")), .int64(a.items), .int64(b.items), .percent(share(a.items, b.items))], cssClass: "items"),
                TableRow([.text(t("Average item price")), .money(a.averageItemPrice), .money(b.averageItemPrice), .percent(priceRatio)], cssClass: "price"),
            ], rowHeaders: true))
        body += "<h2 id=\"insights\">\(html(t("Per customer")))</h2>"
        body += tables.add(DataTable(id: "insights", title: t("Per customer"),
            columns: [.text(t("Figure")), .number(t("Audience")), .number(t("All customers"))],
            rows: [
                TableRow([.text(t("Lifetime value")), .money(a.lifetimeValue), .money(b.lifetimeValue)]),
                TableRow([.text(t("Order value")), .money(a.orderValue), .money(b.orderValue)]),
                TableRow([.text(t("Basket size (items)")), .decimal(a.basketSize, 2), .decimal(b.basketSize, 2)]),
                TableRow([.text(t("Revenue per year")), .money(a.revenuePerYear), .money(b.revenuePerYear)]),
                TableRow([.text(t("Lifetime (days, first to last order)")), .decimal(a.lifetimeDays), .decimal(b.lifetimeDays)]),
                TableRow([.text(t("Days between orders")), .decimal(a.daysBetweenOrders), .decimal(b.daysBetweenOrders)]),
                TableRow([.text(t("Orders per year")), .decimal(a.ordersPerYear, 2), .decimal(b.ordersPerYear, 2)]),
            ], rowHeaders: true))

        body += "<h2 id=\"products\">\(html(t("Most bought products")))</h2><p>"
        body += html(t("{count} products bought by the audience; the top {top} by {sort}. Choose a column heading to sort by it.",
                       ["count": f.int(o.productCount), "top": f.int(o.products.count), "sort": t(sortName(sort))])) + "</p>"
        let sortColumns = AudienceOverview.ProductSort.allCases.map { column -> TableColumn in
            let link = base + "?" + r.query.with(["sort": column == .times ? nil : column.rawValue])
            let current = column == sort
            return TableColumn(header: t(columnName(column)), numeric: true,
                               headerHTML: "<a href=\"\(html(link))\"\(current ? " aria-current=\"true\"" : "")>\(html(t(columnName(column))))\(current ? " ▼" : "")</a>",
                               attributes: current ? " aria-sort=\"descending\"" : "")
        }
        body += tables.add(DataTable(id: "products", title: t("Most bought products"),
            columns: [.number("#"), .text(t("Product"))] + sortColumns,
            rows: o.products.enumerated().map { i, p in
                TableRow([.int(i + 1), TableCell.text(p.name.isEmpty ? p.productId : p.name).noted(p.productId), .int(p.timesBought),
                          .int64(p.quantity), .money(p.revenue), .int(p.customers)], cssClass: "product")
            }, emptyText: t("The audience bought no products by this date.")))
        let page = r.page(title: t("Audience") + " \(saved.name)", path: "/audiences", body: body, ownPath: base).rendered
        return RenderedPage(html: page, tables: tables.all)
    }

    /// A product column's heading.
    static func columnName(_ sort: AudienceOverview.ProductSort) -> String {
        switch sort {
        case .times: return "Times bought"
        case .quantity: return "Quantity"
        case .revenue: return "Revenue"
        case .customers: return "Customers"
        }
    }

    /// The sort's name in a sentence.
    static func sortName(_ sort: AudienceOverview.ProductSort) -> String {
        switch sort {
        case .times: return "times bought"
        case .quantity: return "quantity"
        case .revenue: return "revenue"
        case .customers: return "customers"
        }
    }
}
