import ClienteleCore
import ClienteleStore
import Foundation
import Hummingbird

/// The audience pages beyond the list (METRICS.md, "Audiences"; docs/audiences.md): one audience's detail page
/// (overview, per-customer insights, top products sortable by each column, CSV export) and the forms that
/// create, edit and delete audiences as `clientele audience create|edit|delete` do. The forms' "Count" button
/// shows how many customers a filter holds without saving it (a GET of the same form: no JavaScript needed).
enum AudiencePage {
    /// Adds the audience routes: `GET|POST /audiences/new`, `GET /audiences/{name}`,
    /// `GET|POST /audiences/{name}/edit`, `POST /audiences/{name}/delete`.
    static func add<Context: RequestContext>(to router: Router<Context>, forms: FormRoutes) {
        let service = forms.service
        forms.page(router, .get, "/audiences/new") { request, _ in
            let r = try? await forms.reports(request)
            let q = request.query
            return try await editor(r, service: service, editing: nil, name: q["name"] ?? "", filter: q["filter"], counting: q["filter"] != nil)
        }
        forms.page(router, .post, "/audiences/new") { request, _ in
            let form = try await FormRoutes.form(request)
            let name = form["name"] ?? "", filter = form["filter"] ?? ""
            let r = try? await forms.reports(request, query: QueryParameters(query: nil))
            if let problem = nameProblem(name) {
                return try await editor(r, service: service, editing: nil, name: name, filter: filter, problem: problem)
            }
            if case .failure(let error) = parse(filter) {
                return try await editor(r, service: service, editing: nil, name: name, filter: filter, problem: error)
            }
            if try await service.store.listAudiences().contains(where: { $0.name.utf8.elementsEqual(name.utf8) }) {
                return try await editor(r, service: service, editing: nil, name: name, filter: filter,
                                        problem: "An audience \"\(name)\" exists already. Change its filter on its own page: /audiences/\(QueryParameters.encode(name))/edit.")
            }
            let now = service.now()
            try await save(SavedAudience(name: name, filter: filter, createdAt: now, updatedAt: now), store: service.store)
            return FormRoutes.seeOther("/audiences/" + QueryParameters.encode(name))
        }
        forms.page(router, .get, "/audiences/{name}") { request, context in
            let r = try await forms.reports(request)
            let audience = name(context)
            return .html(try await RequestDeadline.run(seconds: service.requestSeconds) {
                try await detail(r, name: audience, store: service.store)
            })
        }
        forms.page(router, .get, "/audiences/{name}/edit") { request, context in
            let saved = try await find(name(context), store: service.store)
            let r = try? await forms.reports(request)
            let filter = request.query["filter"]
            return try await editor(r, service: service, editing: saved, name: saved.name, filter: filter ?? saved.filter, counting: filter != nil)
        }
        forms.page(router, .post, "/audiences/{name}/edit") { request, context in
            var saved = try await find(name(context), store: service.store)
            let form = try await FormRoutes.form(request)
            let filter = form["filter"] ?? ""
            if case .failure(let error) = parse(filter) {
                let r = try? await forms.reports(request, query: QueryParameters(query: nil))
                return try await editor(r, service: service, editing: saved, name: saved.name, filter: filter, problem: error)
            }
            saved.filter = filter
            saved.updatedAt = service.now()
            try await save(saved, store: service.store)
            return FormRoutes.seeOther("/audiences/" + QueryParameters.encode(saved.name))
        }
        forms.page(router, .post, "/audiences/{name}/delete") { request, context in
            let saved = try await find(name(context), store: service.store)
            _ = try await service.store.deleteAudience(name: saved.name)
            return FormRoutes.seeOther("/audiences")
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

    /// Saves `audience`; a store rule it breaks is a 422 with the store's sentence.
    static func save(_ audience: SavedAudience, store: any OrderStore) async throws {
        do {
            try await store.saveAudience(audience)
        } catch let error as StoreError {
            throw APIError.unprocessable("The audience could not be saved: \(error).")
        }
    }

    /// Why `name` cannot name a new audience (the rules of `clientele audience create`), nil when it can.
    static func nameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "The audience needs a name." }
        if name != name.trimmingCharacters(in: .whitespacesAndNewlines) { return "The audience name \"\(name)\" starts or ends with a space." }
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
        /// The filter cannot be counted: the sentence (a filter error keeps its caret display).
        case problem(String)
    }

    /// The create (editing nil) or edit form with `name` and `filter`; `counting` evaluates the filter
    /// (the Count button), `problem` is a refusal to show (status 422).
    static func editor(_ r: ShopReports?, service: ShopService, editing: SavedAudience?, name: String, filter: String?,
                       counting: Bool = false, problem: (any CustomStringConvertible)? = nil) async throws -> Response {
        var outcome: Outcome?
        var status: HTTPResponse.Status = .ok
        if let problem {
            outcome = .problem(problem.description)
            status = .unprocessableContent
        } else if counting, let filter {
            switch parse(filter) {
            case .failure(let error):
                outcome = .problem(error.description)
                status = .unprocessableContent
            case .success(let parsed):
                guard let r else {
                    outcome = .problem("The shop has no orders yet, so there is no one to count. Import orders first (Import page).")
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
                    outcome = .problem(error.description)
                    status = error.status
                }
            }
        }
        var shopName = r?.settings.name ?? "Clientele"
        if r == nil, let settings = try? await service.store.loadSettings() { shopName = settings.name }
        let body = form(editing: editing, name: name, filter: filter ?? "", asOf: r?.query["asOf"], outcome: outcome)
        let title = editing.map { "Edit audience \($0.name)" } ?? "New audience"
        return .html(Page(title: title, shopName: shopName, path: "/audiences", body: body).rendered, status: status)
    }

    /// The form: name (fixed when editing), the filter with the language's help, Count (GET, nothing saved)
    /// and Save (POST); when editing, a Delete button.
    static func form(editing: SavedAudience?, name: String, filter: String, asOf: String?, outcome: Outcome?) -> String {
        let base = editing.map { "/audiences/" + QueryParameters.encode($0.name) }
        let action = base.map { $0 + "/edit" } ?? "/audiences/new"
        var out = "<form class=\"audience-form\" method=\"post\" action=\"\(html(action))\" aria-label=\"Audience\">"
        if let editing {
            out += "<p>Audience <strong>\(html(editing.name))</strong>\(editing.builtIn ? " (built-in)" : "") · <a href=\"\(html(base!))\">back to its page</a></p>"
            out += "<input type=\"hidden\" name=\"name\" value=\"\(html(editing.name))\">"
        } else {
            out += "<p><label for=\"name\">Name</label><br><input id=\"name\" name=\"name\" value=\"\(html(name))\" maxlength=\"200\" required size=\"40\"></p>"
        }
        let describedBy = outcome == nil ? "filter-help" : "filter-outcome filter-help"
        out += "<p><label for=\"filter\">Filter</label><br><textarea id=\"filter\" name=\"filter\" rows=\"4\" cols=\"70\" required spellcheck=\"false\" aria-describedby=\"\(describedBy)\">\(html(filter))</textarea></p>"
        out += "<p><label for=\"asOf\">Count as of</label> <input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(asOf ?? ""))\"></p>"
        switch outcome {
        case .count(let customers, let all, let date)?:
            out += "<p id=\"filter-outcome\" class=\"count\" role=\"status\"><strong class=\"audience-count\">\(Format.int(customers))</strong> of \(Format.int(all)) customers match as of \(html(date.description)) (not saved yet).</p>"
        case .problem(let text)?:
            out += "<pre id=\"filter-outcome\" class=\"error\" role=\"alert\">\(html(text))</pre>"
        case nil:
            break
        }
        out += "<p><button type=\"submit\" formmethod=\"get\" formaction=\"\(html(action))\" formnovalidate>Count</button> "
        out += "<button type=\"submit\">Save</button></p></form>"
        if let base {
            out += "<form method=\"post\" action=\"\(html(base + "/delete"))\" aria-label=\"Delete audience\"><button type=\"submit\" class=\"danger\">Delete this audience</button></form>"
        }
        out += help()
        return out
    }

    /// The filter language's summary: operators, fields and examples (docs/audiences.md has the whole of it).
    static func help() -> String {
        var out = "<details id=\"filter-help\" open><summary>The filter language</summary>"
        out += "<p>Conditions joined with <code>and</code>, <code>or</code> and <code>not</code>, with parentheses; numbers <code>= != &lt; &lt;= &gt; &gt;=</code>; dates <code>within 90d</code>, <code>before 2025-01-01</code>, <code>between A and B</code>, <code>&lt;= 30d ago</code>; values <code>= vip</code>, <code>in (DK, SE)</code>; text <code>contains</code>, <code>starts with</code>, <code>ends with</code>; <code>bought \"SKU\"</code>. See docs/audiences.md.</p>"
        out += "<p>Examples: <code>orders &gt;= 2 and revenue &gt; 1000</code> · <code>group = vip and stage = lost</code> · <code>last_order within 90d and country in (DK, SE)</code> · <code>email ends with \"@gmail.com\"</code></p>"
        out += "<div class=\"table-wrap\"><table><caption>Fields</caption><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Kind</th><th scope=\"col\">Meaning</th></tr></thead><tbody>"
        for f in AudienceField.all {
            out += "<tr><td><code>\(html(f.name))</code></td><td>\(html(f.kindName))</td><td>\(html(f.summary))</td></tr>"
        }
        return out + "</tbody></table></div></details>"
    }

    /// The detail page: the audience's overview beside all customers, per-customer insights, the top products
    /// (each column header a link sorting by it) and the CSV export, as of the request's date.
    static func detail(_ r: ShopReports, name: String, store: any OrderStore) async throws -> String {
        let sort = try r.query.choice("sort", AudienceOverview.ProductSort.self) ?? .times
        let top = try r.query.int("top", in: 1...10_000) ?? 20
        let (saved, ctx, mask) = try await AudienceRoutes.members(name, r, store: store)
        let o = AudienceOverview.compute(context: ctx, mask: mask, productSort: sort, topProducts: top)
        let base = "/audiences/" + QueryParameters.encode(saved.name)
        let a = o.audience, b = o.all
        var body = "<form class=\"picker\" method=\"get\" action=\"\(html(base))\" aria-label=\"As of\">"
        for key in ["sort", "top"] { if let v = r.query[key] { body += "<input type=\"hidden\" name=\"\(key)\" value=\"\(html(v))\">" } }
        body += "<label for=\"asOf\">As of<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(r.query["asOf"] ?? ""))\"></label><button type=\"submit\">Show</button></form>"
        body += "<p class=\"period\">Filter <code>\(html(saved.filter))</code>\(saved.builtIn ? " (built-in)" : "") · as of \(html(o.asOf.description))</p>"
        if saved.builtIn, let summary = BuiltInAudience.all.first(where: { $0.name == saved.name })?.summary { body += "<p>\(html(summary))</p>" }
        let asOfQuery = r.query["asOf"].map { "?asOf=" + QueryParameters.encode($0) } ?? ""
        body += "<p class=\"download\"><a href=\"\(html("/api/v1" + base + ".csv" + asOfQuery))\" download>Download the customers as CSV</a> · "
        body += "<a href=\"\(html(base + "/edit"))\">Edit the filter</a> · <a href=\"/audiences\">All audiences</a></p>"

        func share(_ part: Int64, _ whole: Int64) -> String { Format.percent(AudienceOverview.share(part, whole)) }
        body += "<section class=\"cards\" aria-label=\"Audience figures\">"
        body += CustomersPage.card("Customers", Format.int(a.customers), change: nil)
        body += CustomersPage.card("Revenue", Format.money(a.revenue))
        body += CustomersPage.card("Share of revenue", share(a.revenue.minorUnits, b.revenue.minorUnits))
        body += "</section>"
        body += "<h2 id=\"overview\">Overview</h2><div class=\"table-wrap\"><table aria-labelledby=\"overview\"><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\" class=\"num\">Audience</th><th scope=\"col\" class=\"num\">All customers</th><th scope=\"col\" class=\"num\">Share</th></tr></thead><tbody>"
        let priceRatio: Double? = {
            guard let x = a.averageItemPrice, let y = b.averageItemPrice, y.minorUnits != 0 else { return nil }
            return Double(x.minorUnits) / Double(y.minorUnits)
        }()
        let overview: [(String, String, String, String)] = [
            ("revenue", "Total revenue", Format.money(a.revenue), Format.money(b.revenue)),
            ("customers", "Customers", Format.int(a.customers), Format.int(b.customers)),
            ("orders", "Orders", Format.int(a.orders), Format.int(b.orders)),
            ("items", "Items", Format.int(Int(a.items)), Format.int(Int(b.items))),
            ("price", "Average item price", Format.money(a.averageItemPrice), Format.money(b.averageItemPrice)),
        ]
        let shares = [share(a.revenue.minorUnits, b.revenue.minorUnits), share(Int64(a.customers), Int64(b.customers)),
                      share(Int64(a.orders), Int64(b.orders)), share(a.items, b.items), Format.percent(priceRatio)]
        for (i, row) in overview.enumerated() {
            body += "<tr class=\"\(row.0)\"><th scope=\"row\">\(html(row.1))</th><td class=\"num\">\(html(row.2))</td><td class=\"num\">\(html(row.3))</td><td class=\"num\">\(html(shares[i]))</td></tr>"
        }
        body += "</tbody></table></div>"
        body += "<h2 id=\"insights\">Per customer</h2><div class=\"table-wrap\"><table aria-labelledby=\"insights\"><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\" class=\"num\">Audience</th><th scope=\"col\" class=\"num\">All customers</th></tr></thead><tbody>"
        let insights: [(String, String, String)] = [
            ("Lifetime value", Format.money(a.lifetimeValue), Format.money(b.lifetimeValue)),
            ("Order value", Format.money(a.orderValue), Format.money(b.orderValue)),
            ("Basket size (items)", Format.decimal(a.basketSize, digits: 2), Format.decimal(b.basketSize, digits: 2)),
            ("Revenue per year", Format.money(a.revenuePerYear), Format.money(b.revenuePerYear)),
            ("Lifetime (days, first to last order)", Format.decimal(a.lifetimeDays), Format.decimal(b.lifetimeDays)),
            ("Days between orders", Format.decimal(a.daysBetweenOrders), Format.decimal(b.daysBetweenOrders)),
            ("Orders per year", Format.decimal(a.ordersPerYear, digits: 2), Format.decimal(b.ordersPerYear, digits: 2)),
        ]
        for row in insights {
            body += "<tr><th scope=\"row\">\(html(row.0))</th><td class=\"num\">\(html(row.1))</td><td class=\"num\">\(html(row.2))</td></tr>"
        }
        body += "</tbody></table></div>"

        body += "<h2 id=\"products\">Most bought products</h2><p>\(Format.int(o.productCount)) products bought by the audience; the top \(o.products.count) by \(html(sortName(sort))). Choose a column heading to sort by it.</p>"
        body += "<div class=\"table-wrap\"><table aria-labelledby=\"products\"><thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Product</th>"
        for column in AudienceOverview.ProductSort.allCases {
            let link = base + "?" + r.query.with(["sort": column == .times ? nil : column.rawValue])
            let current = column == sort
            body += "<th scope=\"col\" class=\"num\"\(current ? " aria-sort=\"descending\"" : "")><a href=\"\(html(link))\"\(current ? " aria-current=\"true\"" : "")>\(html(columnName(column)))\(current ? " ▼" : "")</a></th>"
        }
        body += "</tr></thead><tbody>"
        for (i, p) in o.products.enumerated() {
            body += "<tr class=\"product\"><td class=\"num\">\(i + 1)</td><td>\(html(p.name.isEmpty ? p.productId : p.name)) <small>(\(html(p.productId)))</small></td>"
            body += "<td class=\"num\">\(Format.int(p.timesBought))</td><td class=\"num\">\(Format.int(Int(p.quantity)))</td><td class=\"num\">\(Format.money(p.revenue))</td><td class=\"num\">\(Format.int(p.customers))</td></tr>"
        }
        if o.products.isEmpty { body += "<tr><td colspan=\"6\">The audience bought no products by this date.</td></tr>" }
        body += "</tbody></table></div>"
        return r.page(title: r.t("Audience") + " \(saved.name)", path: "/audiences", body: body, ownPath: "/audiences/" + QueryParameters.encode(saved.name)).rendered
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
        sort == .times ? "times bought" : sort.rawValue
    }
}
