import ClienteleCore

/// Escapes text for HTML element content and quoted attribute values: `& < > " '` become entities. Every
/// piece of shop data (names, e-mails, product names, filters) goes through it before it reaches a page.
public func html(_ text: String) -> String { Markup.escaped(text) }

/// A page in the dashboard's layout: navigation, title, content, embedded CSS (nothing fetched at run time).
struct Page: Sendable {
    /// The navigation entries: path and label.
    static let navigation: [(path: String, label: String)] = [
        ("/", "Customers"), ("/analytics", "Analytics"), ("/audiences", "Audiences"), ("/retention", "Retention & CLV"), ("/behaviour", "Behaviour"), ("/predictions", "Predictions"), ("/import", "Import"), ("/settings", "Settings"),
    ]

    /// The page title (plain text; escaped here).
    var title: String
    /// The shop's name (plain text; escaped here).
    var shopName: String
    /// The current path, to mark the navigation entry.
    var path: String
    /// The body's HTML.
    var body: String
    /// The language of the navigation and `<html lang>`.
    var language: Language = .en
    /// The request's query: its `lang`, when given, is kept in the navigation; the switcher keeps all of it.
    var query: QueryParameters? = nil
    /// The page's own path when it differs from `path` (a customer's or an audience's page), for the switcher.
    var ownPath: String? = nil

    /// `path` with `lang=…` appended when `lang` is given (nil: `path` unchanged).
    static func keepingLanguage(_ path: String, _ lang: String?) -> String {
        guard let lang else { return path }
        return path + (path.contains("?") ? "&" : "?") + "lang=" + QueryParameters.encode(lang)
    }

    /// The language switcher: one link per language to this page with the same query and that `lang`.
    var languageSwitcher: String {
        let q = query ?? QueryParameters(query: nil)
        let links = Language.allCases.map { l -> String in
            let current = l == language ? " aria-current=\"true\"" : ""
            return "<a href=\"\(html((ownPath ?? path) + "?" + q.with(["lang": l.rawValue])))\" hreflang=\"\(l.rawValue)\" lang=\"\(l.rawValue)\"\(current)>\(html(l.name))</a>"
        }.joined()
        return "<nav class=\"languages\" aria-label=\"\(html(language.t("Language")))\">\(links)</nav>"
    }

    /// The whole document.
    var rendered: String {
        let nav = Self.navigation.map { item -> String in
            let current = item.path == path ? " aria-current=\"page\"" : ""
            return "<a href=\"\(html(Self.keepingLanguage(item.path, query?.language?.rawValue)))\"\(current)>\(html(language.t(item.label)))</a>"
        }.joined()
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23246b8f'/%3E%3C/svg%3E">
        <title>\(html(title)) – \(html(shopName))</title>
        <style>\(Stylesheet.css)</style>
        </head>
        <body>
        <a class="skip" href="#main">\(html(language.t("Skip to content")))</a>
        <header><span class="shop">\(html(shopName))</span><nav aria-label="\(html(language.t("Main")))">\(nav)</nav>\(languageSwitcher)</header>
        <main id="main">
        <h1>\(html(title))</h1>
        \(body)
        </main>
        <footer>Clientele \(ClienteleServer.version) · \(html(language.t("figures as defined in docs/metrics.md"))) · <a href="/api/v1/settings">\(html(language.t("JSON API")))</a></footer>
        </body>
        </html>

        """
    }
}

/// The dashboard's stylesheet, embedded so a copied binary needs no resource bundle.
enum Stylesheet {
    /// The CSS: system fonts, high-contrast colours (WCAG AA on white), grid cards, print rules.
    static let css = """
    :root{--fg:#1a1a1a;--muted:#4a4a4a;--line:#c8c8c8;--accent:#0b5cad;--green:#1b6e20;--yellow:#7a5a00;--red:#a4161a;--bg:#fff;--panel:#f4f6f8}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
    .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px;z-index:2}
    header{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;padding:.6rem 1rem;background:#12263a;color:#fff}
    header .shop{font-weight:600}
    nav{display:flex;flex-wrap:wrap;gap:.25rem}
    nav a{color:#fff;padding:.3rem .6rem;border-radius:4px;text-decoration:none}
    nav a[aria-current=page]{background:#fff;color:#12263a}
    nav.languages{margin-left:auto;font-size:.85rem}nav.languages a[aria-current=true]{text-decoration:underline}
    a{color:var(--accent)}
    a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
    main{max-width:72rem;margin:0 auto;padding:1rem}
    h1{font-size:1.6rem;margin:.4rem 0 1rem}h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
    .period{color:var(--muted);margin:.2rem 0 1rem}
    form.picker{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;padding:.6rem;background:var(--panel);border-radius:6px}
    form.picker label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
    input,select,button{font:inherit;padding:.25rem .4rem}
    button{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:.35rem .9rem;cursor:pointer}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.8rem;margin:1rem 0}
    .card{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:.7rem .9rem}
    .card h2{font-size:.9rem;font-weight:500;color:var(--muted);margin:0}
    .card .value{font-size:1.8rem;font-weight:650}
    .card .change{font-size:.85rem;color:var(--muted)}
    .green{border-left-color:var(--green)}.yellow{border-left-color:#c79200}.red{border-left-color:var(--red)}
    td.green,td.yellow,td.red{border-left:6px solid}
    .badge{font-size:.8rem;padding:0 .35rem;border-radius:3px;color:#fff}
    .badge.green{background:var(--green)}.badge.yellow{background:var(--yellow)}.badge.red{background:var(--red)}
    .table-wrap{overflow-x:auto}
    table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
    th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    td.num,th.num{text-align:right}
    caption{text-align:left;color:var(--muted);padding:.3rem 0}
    svg{max-width:100%;height:auto}
    svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}
    .legend{display:flex;gap:1rem;flex-wrap:wrap;font-size:.85rem}
    .legend span::before{content:"";display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;background:var(--c)}
    .error{border:2px solid var(--red);padding:.8rem;border-radius:6px}
    footer{color:var(--muted);font-size:.8rem;padding:1rem;text-align:center}
    @media print{header nav,form.picker,.skip,footer,.download{display:none}header{background:none;color:#000}
      a{color:#000;text-decoration:none}.card{break-inside:avoid}table{page-break-inside:auto}tr{break-inside:avoid}}
    """
}
