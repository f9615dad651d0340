import ClienteleCore
import ClienteleStore

/// The *Audiences* page: the saved audiences with their customer counts and CSV exports, each linking to its
/// page (`AudiencePage`), and a link to the form for a new one.
enum AudiencesPage {
    /// The list as of the request's date.
    static func render(_ r: ShopReports, store: any OrderStore) async throws -> String { try await content(r, store: store).html }

    /// The page and its table.
    static func content(_ r: ShopReports, store: any OrderStore) async throws -> RenderedPage {
        let list = try await AudienceRoutes.list(r, store: store)
        let f = r.format, t = r.language.translator
        var tables = PageTables(r, downloadPath: "/audiences")
        var body = "<p class=\"period\">\(html(t("Customer counts as of"))) \(html(f.date(try r.asOf())))</p>"
        body += "<p><a href=\"\(html(r.href("/audiences/new")))\">\(html(t("New audience")))</a> · \(html(t("each name leads to the audience's page (overview, insights, products, edit)")))</p>"
        var table = DataTable(id: "audiences", title: t("Saved audiences"),
                              columns: [.text(t("Name")), .number(t("Customers")), .text(t("Filter")), .text(t("Export"))], rows: [], caption: true)
        for item in list {
            let name = QueryParameters.encode(item.audience.name)
            var cell = TableCell.text(item.audience.name).linked(r.href("/audiences/" + name))
            if item.audience.builtIn { cell.badgeHTML += " <small class=\"mark\">(\(html(t("built-in"))))</small>" }
            if let summary = item.summary { cell.badgeHTML += "<br><small class=\"mark\">\(html(t(summary)))</small>" }
            var filter = TableCell.text(item.audience.filter)
            filter.code = true
            let export = TableCell.text("CSV").linked("/api/v1/audiences/\(name).csv")
            table.rows.append(TableRow([cell, .int(item.customers), filter, export]))
        }
        body += tables.add(table)
        return RenderedPage(html: r.page(title: t("Audiences"), path: "/audiences", body: body).rendered, tables: tables.all)
    }
}

/// The *Settings* page: the shop's settings and thresholds (read-only for now; change them with `clientele shop`).
enum SettingsPage {
    /// The settings as a table.
    static func render(_ r: ShopReports) -> String { content(r).html }

    /// The page and its table.
    static func content(_ r: ShopReports) -> RenderedPage {
        guard case .object(let members) = APIRoutes.settingsJSON(r.state) else { return RenderedPage(html: "", tables: []) }
        let t = r.language.translator
        var tables = PageTables(r, downloadPath: "/settings")
        var table = DataTable(id: "settings", title: t("Shop settings"), columns: [.text(t("Setting")), .text(t("Value"))], rows: [],
                              caption: true, rowHeaders: true)
        func cell(_ v: JSONValue) -> TableCell {
            switch v {
            case .int(let n): return TableCell(.number(Double(n)))
            case .double(let d): return TableCell(.number(d))
            case .string(let text): return .text(text)
            default: return .text(v.rendered())
            }
        }
        for (key, value) in members {
            if case .object(let inner) = value {
                for (k, v) in inner { table.rows.append(TableRow([.text(k), cell(v)])) }
            } else {
                table.rows.append(TableRow([.text(key), cell(value)]))
            }
        }
        var body = "<p>\(html(t("Change these with"))) <code>clientele shop</code>.</p>"
        body += tables.add(table)
        return RenderedPage(html: r.page(title: t("Settings"), path: "/settings", body: body).rendered, tables: tables.all)
    }
}
