import ClienteleCore
import ClienteleStore

/// The *Audiences* page: the saved audiences with their customer counts and CSV exports, each linking to its
/// page (`AudiencePage`), and a link to the form for a new one.
enum AudiencesPage {
    /// The list as of the request's date.
    static func render(_ r: ShopReports, store: any OrderStore) async throws -> String {
        let list = try await AudienceRoutes.list(r, store: store)
        let f = r.format, t = r.t
        var body = "<p class=\"period\">\(html(t("Customer counts as of"))) \(html(f.date(try r.asOf())))</p>"
        body += "<p><a href=\"\(html(r.href("/audiences/new")))\">\(html(t("New audience")))</a> · \(html(t("each name leads to the audience's page (overview, insights, products, edit)")))</p>"
        body += "<div class=\"table-wrap\"><table><caption>\(html(t("Saved audiences")))</caption><thead><tr><th scope=\"col\">\(t("Name"))</th><th scope=\"col\" class=\"num\">\(t("Customers"))</th><th scope=\"col\">\(t("Filter"))</th><th scope=\"col\">\(t("Export"))</th></tr></thead><tbody>"
        for item in list {
            let name = QueryParameters.encode(item.audience.name)
            body += "<tr><td><a href=\"\(html(r.href("/audiences/" + name)))\">\(html(item.audience.name))</a>\(item.audience.builtIn ? " <small>(\(html(t("built-in"))))</small>" : "")\(item.summary.map { "<br><small>\(html($0))</small>" } ?? "")</td>"
            body += "<td class=\"num\">\(f.int(item.customers))</td><td><code>\(html(item.audience.filter))</code></td>"
            body += "<td><a class=\"download\" href=\"/api/v1/audiences/\(html(name)).csv\" download>CSV</a></td></tr>"
        }
        body += "</tbody></table></div>"
        return r.page(title: t("Audiences"), path: "/audiences", body: body).rendered
    }
}

/// The *Settings* page: the shop's settings and thresholds (read-only for now; change them with `clientele shop`).
enum SettingsPage {
    /// The settings as a table.
    static func render(_ r: ShopReports) -> String {
        guard case .object(let members) = APIRoutes.settingsJSON(r.state) else { return "" }
        let t = r.t
        var body = "<p>\(html(t("Change these with"))) <code>clientele shop</code>.</p><div class=\"table-wrap\"><table><caption>\(html(t("Shop settings")))</caption><tbody>"
        for (key, value) in members {
            if case .object(let inner) = value {
                for (k, v) in inner { body += "<tr><th scope=\"row\">\(html(k))</th><td>\(html(v.rendered()))</td></tr>" }
            } else {
                body += "<tr><th scope=\"row\">\(html(key))</th><td>\(html(value.rendered()))</td></tr>"
            }
        }
        body += "</tbody></table></div>"
        return r.page(title: t("Settings"), path: "/settings", body: body).rendered
    }
}
