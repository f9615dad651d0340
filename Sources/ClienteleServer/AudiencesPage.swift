import ClienteleCore
import ClienteleStore

/// The *Audiences* page: the saved audiences with their customer counts and CSV exports, each linking to its
/// page (`AudiencePage`), and a link to the form for a new one.
enum AudiencesPage {
    /// The list as of the request's date.
    static func render(_ r: ShopReports, store: any OrderStore) async throws -> String {
        let list = try await AudienceRoutes.list(r, store: store)
        var body = "<p class=\"period\">Customer counts as of \(html(try r.asOf().description))</p>"
        body += "<p><a href=\"/audiences/new\">New audience</a> · each name leads to the audience's page (overview, insights, products, edit)</p>"
        body += "<div class=\"table-wrap\"><table><caption>Saved audiences</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\" class=\"num\">Customers</th><th scope=\"col\">Filter</th><th scope=\"col\">Export</th></tr></thead><tbody>"
        for item in list {
            let name = QueryParameters.encode(item.audience.name)
            body += "<tr><td><a href=\"/audiences/\(html(name))\">\(html(item.audience.name))</a>\(item.audience.builtIn ? " <small>(built-in)</small>" : "")\(item.summary.map { "<br><small>\(html($0))</small>" } ?? "")</td>"
            body += "<td class=\"num\">\(Format.int(item.customers))</td><td><code>\(html(item.audience.filter))</code></td>"
            body += "<td><a class=\"download\" href=\"/api/v1/audiences/\(html(name)).csv\" download>CSV</a></td></tr>"
        }
        body += "</tbody></table></div>"
        return Page(title: "Audiences", shopName: r.settings.name, path: "/audiences", body: body).rendered
    }
}

/// The *Settings* page: the shop's settings and thresholds (read-only for now; change them with `clientele shop`).
enum SettingsPage {
    /// The settings as a table.
    static func render(_ r: ShopReports) -> String {
        guard case .object(let members) = APIRoutes.settingsJSON(r.state) else { return "" }
        var body = "<p>Change these with <code>clientele shop</code>.</p><div class=\"table-wrap\"><table><caption>Shop settings</caption><tbody>"
        for (key, value) in members {
            if case .object(let inner) = value {
                for (k, v) in inner { body += "<tr><th scope=\"row\">\(html(k))</th><td>\(html(v.rendered()))</td></tr>" }
            } else {
                body += "<tr><th scope=\"row\">\(html(key))</th><td>\(html(value.rendered()))</td></tr>"
            }
        }
        body += "</tbody></table></div>"
        return Page(title: "Settings", shopName: r.settings.name, path: "/settings", body: body).rendered
    }
}
