import ClienteleCore
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird

extension ClienteleServer {
    /// The router of `clientele serve` over every shop of a database (docs/shops.md): each shop's own router
    /// (`router(service:)`) mounted under `/shops/{shop}/`, the list of shops at `/` (and `/shops`,
    /// `/api/v1/shops`), and the un-prefixed routes serving the shop when the database holds exactly one.
    public static func router(directory: ShopDirectory) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        ShopRoutes(directory: directory).add(to: router)
        return router
    }

    /// The application serving every shop of `directory` on `host:port`. A non-loopback host is refused unless
    /// every request must sign in (`ShopDirectory.requireSignIn`).
    public static func application(directory: ShopDirectory, host: String = "127.0.0.1", port: Int = 8080) throws
        -> some ApplicationProtocol {
        guard isLoopback(host) || directory.requireSignIn else { throw APIError.badRequest(nonLoopbackMessage(host)) }
        return Application(
            router: router(directory: directory),
            server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeoutSeconds))),
            configuration: .init(address: .hostname(host, port: port), serverName: "clientele"))
    }
}

/// The front routes over a `ShopDirectory`: `/shops/{shop}/…` forwards the request, with the prefix removed, to
/// that shop's own responder; everything else is the list of shops, or the only shop's routes un-prefixed.
///
/// Pages are written for the root: every link, form action and redirect a shop's router makes starts with `/`
/// (`/customers`, `/api/v1/customers.csv`, `Location: /audiences/x`). Mounting a shop under `/shops/{shop}`
/// rewrites them on the way out: in HTML answers the root-relative values of `href`, `action`, `src` and
/// `formaction` attributes, and in every answer the `Location` header and the `Path` of every `Set-Cookie` (so that
/// each shop's sign-in cookie is sent to that shop only), get the prefix. (Shop data in pages is HTML-escaped, so
/// a quote in it never looks like the start of an attribute value.) JSON, CSV and .xlsx answers are sent unchanged.
///
/// Once signing in is required (`ShopDirectory.listIsPublic`), the names of the shops are never shown: not at
/// `/`, `/shops` or `/api/v1/shops`, and not in "no such shop" answers.
struct ShopRoutes: Sendable {
    /// The shops served.
    let directory: ShopDirectory

    /// The path every shop is mounted under: `/shops/{shop}`.
    static let mountPrefix = "/shops/"
    /// The methods forwarded to a shop.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]

    /// Adds the front routes to `router`.
    func add(to router: Router<ServerRequestContext>) {
        for method in Self.methods {
            router.on("/shops", method: method) { request, _ -> Response in
                guard request.method == .get || request.method == .head else {
                    throw APIError(.methodNotAllowed, "/shops is the list of shops, read with GET; each shop's pages and API routes are under /shops/{shop}/….")
                }
                return try await listPage(request)
            }
        }
        for method in Self.methods {
            router.on("/shops/{shop}", method: method) { request, context -> Response in
                try await forwardMounted(request, context: context)
            }
            router.on("/shops/{shop}/**", method: method) { request, context -> Response in
                try await forwardMounted(request, context: context)
            }
            router.on("/", method: method) { request, context -> Response in
                try await unprefixed(request, context: context, root: true)
            }
            router.on("**", method: method) { request, context -> Response in
                try await unprefixed(request, context: context, root: false)
            }
        }
    }

    /// Forwards `/shops/{shop}/rest?query` to the shop's responder as `/rest?query` and mounts its answer.
    func forwardMounted(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let raw = request.head.path ?? "/"
        let afterPrefix = raw.dropFirst(Self.mountPrefix.count)
        let end = afterPrefix.firstIndex { $0 == "/" || $0 == "?" } ?? afterPrefix.endIndex
        let handle = String(afterPrefix[..<end])
        var rest = String(afterPrefix[end...])
        if !rest.hasPrefix("/") { rest = "/" + rest }
        guard let entry = try await directory.entry(for: handle) else {
            guard try await directory.listIsPublic() else {
                if rest.hasPrefix("/api/") { throw APIError.notFound("There is no such shop.") }
                return try await listPage(request, error: "There is no such shop.", status: .notFound)
            }
            let shops = try await directory.shops()
            let list = shops.isEmpty ? "it holds none yet" : "the shops are " + shops.map { Self.mountPrefix + $0.handle + "/" }.joined(separator: ", ")
            // Only a well-formed handle is echoed (it cannot carry markup or control characters).
            let message = ShopHandle.isValid(handle)
                ? "There is no shop \"\(handle)\" in this database; \(list)."
                : "There is no such shop in this database (a shop's name is 1 to 64 characters of a-z, 0-9, - and _); \(list)."
            if rest.hasPrefix("/api/") { throw APIError.notFound(message) }
            return try await listPage(request, error: message, status: .notFound)
        }
        var head = request.head
        head.path = rest
        let response = try await entry.responder.respond(to: Request(head: head, body: request.body), context: context)
        return try await Self.mount(response, prefix: Self.mountPrefix + handle)
    }

    /// An un-prefixed route: the only shop's answer when the database holds exactly one shop; else the list of
    /// shops (at `/`) or a 404 that names `/shops/{shop}/…`.
    ///
    /// (`/api/v1/shops` is answered here rather than by a route of its own: the router's tree does not fall back
    /// from `/api/v1/…` to `**`, so a route under `/api/v1` would hide every other un-prefixed API route.)
    func unprefixed(_ request: Request, context: ServerRequestContext, root: Bool) async throws -> Response {
        let shops = try await directory.shops()
        if request.method == .get && request.uri.path == "/api/v1/shops" {
            guard try await directory.listIsPublic() else {
                throw APIError(.unauthorized, "The list of shops is not shown once signing in is required: use your shop's own address, /shops/NAME/api/v1/….")
            }
            let list = shops.map { shop -> JSONValue in
                .object([("handle", .string(shop.handle)), ("name", .string(shop.name)),
                         ("url", .string(Self.mountPrefix + shop.handle + "/"))])
            }
            return .json(JSONValue.array(list).rendered())
        }
        if shops.count == 1, let entry = try await directory.entry(for: shops[0].handle) {
            return try await entry.responder.respond(to: request, context: context)
        }
        if root && request.method == .get && !shops.isEmpty { return try await listPage(request) }
        let path = request.uri.path
        let message: String
        if shops.isEmpty {
            message = "This database holds no shop yet. Import orders into one first: clientele import FILE --db PATH --shop NAME."
        } else if try await !directory.listIsPublic() {
            message = "This database holds several shops, so every page and API route is under /shops/NAME/… (your shop's handle): /shops/{shop}/…."
        } else {
            // The example repeats the path when it is plain (letters, digits, / - _ . %) and short.
            let plain = path.count <= 200 && path.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "/-_.%".unicodeScalars.contains($0)
            }
            let example = Self.mountPrefix + shops[0].handle + (path == "/" || !plain ? "/" : path)
            message = "This database holds several shops, so every page and API route is under /shops/{shop}/…, e.g. \(example). The shops: \(shops.map(\.handle).joined(separator: ", "))."
        }
        let status: HTTPResponse.Status = shops.isEmpty ? .serviceUnavailable : .notFound
        if path.hasPrefix("/api/") { throw APIError(status, message) }
        return try await listPage(request, error: message, status: status)
    }

    /// The list of shops as a page (with an error above it, when given).
    func listPage(_ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let shops = try await directory.shops()
        var body = ""
        if let error { body += "<p class=\"error\" role=\"alert\">\(html(error))</p>\n" }
        if try await !directory.listIsPublic() {
            body += "<p>Open your shop at its own address, /shops/NAME/, and sign in there.</p>"
        } else if shops.isEmpty {
            body += "<p>This database holds no shop yet.</p>"
        } else {
            body += "<p>This database holds \(shops.count == 1 ? "one shop" : "\(shops.count) shops"). Each has its own dashboard and API:</p>\n<table><thead><tr><th scope=\"col\">Shop</th><th scope=\"col\">Handle</th><th scope=\"col\">API</th></tr></thead><tbody>\n"
            for shop in shops {
                let base = Self.mountPrefix + shop.handle
                body += "<tr><td><a href=\"\(html(base + "/"))\">\(html(shop.name))</a></td><td>\(html(shop.handle))</td><td><a href=\"\(html(base + "/api/v1/settings"))\">\(html(base))/api/v1/…</a></td></tr>\n"
            }
            body += "</tbody></table>"
        }
        let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Shops – Clientele</title>
        <style>\(Stylesheet.css)</style>
        </head>
        <body>
        <header><span class="shop">Clientele</span><nav aria-label="Main"><a href="/shops" aria-current="page">Shops</a></nav></header>
        <main id="main">
        <h1>Shops</h1>
        \(body)
        </main>
        <footer>Clientele \(ClienteleServer.version) · <a href="/api/v1/shops">JSON</a></footer>
        </body>
        </html>

        """
        return .html(page, status: status)
    }

    /// `response` of a shop mounted at `prefix`: its `Location` header and, in an HTML answer, its root-relative
    /// links, form actions and sources carry the prefix.
    static func mount(_ response: Response, prefix: String) async throws -> Response {
        var response = response
        if let location = response.headers[.location] {
            response.headers[.location] = prefixed(location, prefix)
        }
        let cookies = response.headers[values: .setCookie]
        if !cookies.isEmpty {
            response.headers[.setCookie] = nil
            for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookiePath(cookie, prefix))) }
        }
        guard let type = response.headers[.contentType], type.lowercased().hasPrefix("text/html") else { return response }
        let rewritten = rewriteLinks(Array(try await response.collectBody().readableBytesView), prefix: prefix)
        response.replaceBody(ByteBuffer(bytes: rewritten))
        return response
    }

    /// The `Set-Cookie` value `cookie` with its `Path` under `prefix` (`Path=/` becomes `Path=/shops/NAME`, which a
    /// browser sends to `/shops/NAME` and everything under it, and to no other shop).
    static func cookiePath(_ cookie: String, _ prefix: String) -> String {
        cookie.split(separator: ";", omittingEmptySubsequences: false).map { part -> String in
            let trimmed = part.drop { $0 == " " }
            guard trimmed.lowercased().hasPrefix("path=") else { return String(part) }
            let path = trimmed.dropFirst(5)
            let mounted = path == "/" ? prefix : prefixed(String(path), prefix)
            return String(part.prefix { $0 == " " }) + "Path=" + mounted
        }.joined(separator: ";")
    }

    /// `url` with `prefix` in front when it is root-relative (`/x`, not `//host/x`).
    static func prefixed(_ url: String, _ prefix: String) -> String {
        url.hasPrefix("/") && !url.hasPrefix("//") ? prefix + url : url
    }

    /// The attributes whose root-relative values are rewritten.
    static let linkAttributes = ["href", "action", "src", "formaction"].map { Array($0.utf8) }

    /// `page` with `prefix` inserted before every root-relative value (starting with one `/`, not `//`) of a
    /// double-quoted `href`, `action`, `src` or `formaction` attribute that follows white space.
    static func rewriteLinks(_ page: [UInt8], prefix: String) -> [UInt8] {
        let slash = UInt8(ascii: "/"), quote = UInt8(ascii: "\""), equals = UInt8(ascii: "=")
        let insert = Array(prefix.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(page.count + page.count / 16)
        var i = 0
        let n = page.count
        while i < n {
            let byte = page[i]
            out.append(byte)
            i += 1
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { continue }
            for name in linkAttributes {
                let end = i + name.count
                guard end + 2 < n, page[end] == equals, page[end + 1] == quote, page[end + 2] == slash,
                      !(end + 3 < n && page[end + 3] == slash),
                      page[i..<end].elementsEqual(name) else { continue }
                out.append(contentsOf: page[i..<end + 2])
                out.append(contentsOf: insert)
                i = end + 2
                break
            }
        }
        return out
    }
}
