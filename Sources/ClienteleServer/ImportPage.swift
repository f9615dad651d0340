import ClienteleCore
import ClienteleImport
import ClienteleStore
import Foundation
import Hummingbird

/// One uploaded order file and how to read it.
struct Upload: Sendable {
    /// The file's name as the user knows it (shown in errors and the summary).
    var name: String
    /// The file's bytes.
    var bytes: [UInt8]
    /// `format`: auto, canonical or shopify.
    var format: ImportFormat
    /// `encoding`: utf-8 or windows-1252.
    var encoding: TextEncoding
    /// An optional rate table (`currency,rate` lines) and its name.
    var rates: (name: String, bytes: [UInt8])?
}

/// What an upload did: the import's summary, or every error found (nothing was written).
enum UploadOutcome: Sendable {
    /// Imported: the summary `clientele import` prints.
    case imported(ImportSummary)
    /// Refused: the errors with their lines and columns.
    case failed(ImportFailure)
}

/// The upload of an order file into the served store (`clientele import`; docs/import.md): the same importer,
/// all or nothing, and afterwards the next request sees the new orders.
enum ImportUpload {
    /// The largest upload: `ClienteleServer.maxBodyBytes` (64 MiB).
    static var maximumBytes: Int { ClienteleServer.maxBodyBytes }

    /// Imports `upload` into `service`'s store with `importFiles`, as `clientele import FILE --db PATH` does.
    /// A compressed or binary file is refused (422) before anything is read; import errors come back as
    /// `.failed` (the store is unchanged).
    static func run(_ upload: Upload, service: ShopService) async throws -> UploadOutcome {
        try refuseBinary(upload.bytes, name: upload.name)
        var options = ImportOptions(format: upload.format, encoding: upload.encoding)
        if let rates = upload.rates {
            do { options.rates = try parseRateTable(name: rates.name, bytes: rates.bytes) } catch { return .failed(error) }
        }
        // The importer reads files: the upload is written to a private temporary folder under its own name.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(safeFileName(upload.name)).path
        guard FileManager.default.createFile(atPath: path, contents: Data(upload.bytes)) else {
            throw APIError(.internalServerError, "The upload could not be stored in a temporary file; check the free disk space.")
        }
        do {
            var summary = try await importFiles(paths: [path], into: service.store, options: options)
            for i in summary.files.indices where summary.files[i].name == path { summary.files[i].name = upload.name }
            _ = try await service.store.applyRetentionLimit(now: service.now())   // as after clientele import
            await service.expireRevisionCheck()
            return .imported(summary)
        } catch let failure as ImportFailure {
            var shown = failure
            for i in shown.errors.indices where shown.errors[i].file == path { shown.errors[i].file = upload.name }
            return .failed(shown)
        }
    }

    /// Refuses (422) a compressed archive, a spreadsheet workbook, a PDF, UTF-16 text or any file with NUL
    /// bytes by its first bytes: order files are CSV text, and an archive is never unpacked (a small
    /// gzip can hold gigabytes).
    static func refuseBinary(_ bytes: [UInt8], name: String) throws {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }
        let kinds: [([UInt8], String, String)] = [
            ([0x1F, 0x8B], "a gzip-compressed file", "unpack it first (gunzip FILE.gz) and upload the CSV file inside"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive or an Excel workbook (.xlsx)", "unpack the archive, or save the sheet as CSV (UTF-8), and upload the CSV file"),
            ([0x50, 0x4B, 0x05, 0x06], "an empty ZIP archive", "upload the CSV file itself"),
            ([0x42, 0x5A, 0x68], "a bzip2-compressed file", "unpack it first and upload the CSV file inside"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "an xz-compressed file", "unpack it first and upload the CSV file inside"),
            ([0x28, 0xB5, 0x2F, 0xFD], "a zstd-compressed file", "unpack it first and upload the CSV file inside"),
            ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive", "unpack it first and upload the CSV file inside"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Excel workbook (.xls)", "save the sheet as CSV (UTF-8) and upload that"),
            ([0x25, 0x50, 0x44, 0x46], "a PDF document", "export the orders as CSV from the shop system"),
            ([0xFF, 0xFE], "UTF-16 text", "save it as CSV (UTF-8) and upload that"),
            ([0xFE, 0xFF], "UTF-16 text", "save it as CSV (UTF-8) and upload that"),
        ]
        for (magic, what, fix) in kinds where starts(magic) {
            throw APIError.unprocessable("\(name) is \(what), not a CSV text file: \(fix). Nothing was imported.")
        }
        if bytes.contains(0) {
            throw APIError.unprocessable("\(name) holds NUL bytes, so it is a binary file, not a CSV text file: export the orders as CSV and upload that. Nothing was imported.")
        }
    }

    /// The last path component of an uploaded file name, without control characters, at most 200 characters
    /// ("upload.csv" when nothing is left).
    static func displayName(_ name: String?) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200)))
        return clean.trimmingCharacters(in: .whitespaces).isEmpty ? "upload.csv" : clean
    }

    /// A name safe as a file name: letters, digits, `.`, `-`, `_` (others become `_`), never `.` or `..`.
    static func safeFileName(_ name: String) -> String {
        let safe = String(name.unicodeScalars.prefix(100).map { s -> Character in
            s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_" ? Character(s) : "_"
        })
        return safe.allSatisfy({ $0 == "." }) ? "upload.csv" : safe
    }

    /// The summary as JSON: files, counts, dates, currencies and what the store did.
    static func json(_ s: ImportSummary) -> JSONValue {
        .object([
            ("files", .array(s.files.map { f in
                .object([("name", .string(f.name)), ("format", .string(f.format.rawValue)), ("orders", .int(f.orders)),
                         ("lines", .int(f.lines)), ("unknownColumns", .array(f.unknownColumns.map { .string($0) }))])
            })),
            ("orders", .int(s.orders)), ("lines", .int(s.lines)), ("customers", .int(s.customers)),
            ("anonymousOrders", .int(s.anonymousOrders)), ("cancelledOrders", .int(s.cancelledOrders)),
            ("firstOrder", .string(s.firstOrder.map { s.calendar.iso8601($0) })),
            ("lastOrder", .string(s.lastOrder.map { s.calendar.iso8601($0) })),
            ("reportingCurrency", .string(s.reportingCurrency.code)), ("choseReportingCurrency", .bool(s.choseReportingCurrency)),
            ("currencies", .array(s.currencies.map { c in
                .object([("code", .string(c.code)), ("orders", .int(c.orders)), ("rate", .string(s.rates[c.code]?.description))])
            })),
            ("stored", .object([("inserted", .int(s.changes?.inserted ?? 0)), ("replaced", .int(s.changes?.replaced ?? 0)),
                                ("unchanged", .int(s.changes?.unchanged ?? 0))])),
        ])
    }

    /// The refusal as JSON: a sentence, every error kept (file, line, column, value, code, message, text) and
    /// how many there were in all.
    static func json(_ f: ImportFailure) -> JSONValue {
        .object([
            ("error", .string(headline(f))),
            ("errors", .array(f.errors.map { e in
                .object([("file", .string(e.file)), ("line", e.line.map { .int($0) } ?? .null), ("column", .string(e.column)),
                         ("value", .string(e.value)), ("code", .string(e.code.name)), ("message", .string(e.message)),
                         ("text", .string(e.description))])
            })),
            ("totalCount", .int(f.totalCount)),
        ])
    }

    /// "The file has 3 errors; nothing was imported: the shop is unchanged."
    static func headline(_ f: ImportFailure) -> String {
        "The file has \(f.totalCount == 1 ? "an error" : "\(f.totalCount) errors")\(f.totalCount > f.errors.count ? " (the first \(f.errors.count) are listed)" : ""); nothing was imported: the shop is unchanged."
    }

    /// The upload in a request: a `multipart/form-data` body with the parts `file` (required), `format`,
    /// `encoding` and `rates` (a file, optional), or (`raw`) the file itself as the body with `format`,
    /// `encoding` and `filename` in the query.
    static func read(_ request: Request, raw: Bool) async throws -> Upload {
        let bytes = try await FormRoutes.body(request, limit: maximumBytes)
        var fields = request.query
        var name = displayName(request.query["filename"]), file = bytes
        var rates: (String, [UInt8])?
        if let boundary = MultipartForm.boundary(contentType: request.headers[.contentType] ?? "") {
            let form = try MultipartForm(body: bytes, boundary: boundary)
            guard let part = form.part("file") else {
                throw APIError.badRequest("The upload has no file: choose an order file (the form field named file).")
            }
            name = displayName(part.filename)
            file = Array(part.bytes)
            if let r = form.part("rates"), !r.bytes.isEmpty { rates = (displayName(r.filename ?? "rates.csv"), Array(r.bytes)) }
            var query = ""
            for key in ["format", "encoding"] { if let v = form.field(key) { query += "&\(key)=" + QueryParameters.encode(v) } }
            fields = QueryParameters(query: query)
        } else if !raw {
            throw APIError.badRequest("The upload form must be sent as multipart/form-data (choose a file and press Import), or with curl -F file=@orders.csv.")
        }
        if raw && bytes.isEmpty {
            throw APIError.badRequest("The request has no body: send the order file as the body, e.g. curl --data-binary @orders.csv.")
        }
        let format = try fields.choice("format", ImportFormat.self) ?? .auto
        let encodingName = fields["encoding"] ?? "utf-8"
        guard let encoding = TextEncoding(name: encodingName) else {
            throw APIError.badRequest("encoding \"\(encodingName)\" is not one of: utf-8, windows-1252.")
        }
        return Upload(name: name, bytes: file, format: format, encoding: encoding, rates: rates)
    }

    /// `POST /api/v1/import`: the JSON summary (200), or the errors (422).
    static func api(_ request: Request, service: ShopService) async throws -> Response {
        switch try await run(try await read(request, raw: true), service: service) {
        case .imported(let summary): return .json(json(summary).rendered())
        case .failed(let failure):
            return .text(json(failure).rendered(), status: .unprocessableContent, contentType: "application/json; charset=utf-8")
        }
    }
}

/// The *Import* page (`/import`): an upload form for an order file (format and encoding as `clientele import`
/// takes them, an optional rate table) and, after the upload, the summary or every error with its line.
enum ImportPage {
    /// Adds `GET /import`, `POST /import` and `POST /api/v1/import`.
    static func add<Context: RequestContext>(to router: Router<Context>, forms: FormRoutes) {
        let service = forms.service
        forms.page(router, .get, "/import") { request, _ in
            .html(try await render(service: service, result: nil, request: request))
        }
        forms.page(router, .post, "/import") { request, _ in
            let outcome = try await ImportUpload.run(try await ImportUpload.read(request, raw: false), service: service)
            if case .failed = outcome {
                return .html(try await render(service: service, result: outcome, request: request), status: .unprocessableContent)
            }
            return .html(try await render(service: service, result: outcome, request: request))
        }
        router.post("/api/v1/import") { request, _ -> Response in
            try FormRoutes.checkSameOrigin(request)
            return try await ImportUpload.api(request, service: service)
        }
    }

    /// The page: the form, what the shop holds, and the outcome of an upload, in the language of the
    /// request's `lang` (else the shop's locale).
    static func render(service: ShopService, result: UploadOutcome?, request: Request) async throws -> String {
        let settings = try await service.store.loadSettings()
        let language = try FormRoutes.language(request, settings: settings)
        let counts = try await service.store.counts()
        let f = language.format, t = language.translator
        let lang = request.query.language
        let tables = PageTables(downloadPath: "/import", query: request.query, language: language)
        var body = ""
        switch result {
        case .imported(let s)?:
            body += "<section aria-labelledby=\"done\"><h2 id=\"done\">\(html(t("Imported")))</h2>"
            body += "<p role=\"status\" class=\"stored\">\(html(stored(s.changes, language)))</p>"
            body += tables.addInline(summaryTable(s, language), filename: "import-summary") + "</section>"
        case .failed(let failure)?:
            body += "<section aria-labelledby=\"failed\"><h2 id=\"failed\">\(html(t("Not imported")))</h2>"
            body += "<p class=\"error\" role=\"alert\">\(html(headline(failure, language)))</p>"
            let errors = DataTable(id: "failed", title: t("Not imported"),
                columns: [.text(t("File")), .number(t("Line")), .text(t("Field")), .text(t("Value")), .text(t("Problem"))],
                rows: failure.errors.map { e in
                    var value = TableCell.text(e.value ?? "–")
                    value.code = e.value != nil
                    var message = TableCell.text(e.message)
                    if language != .en { message.lang = "en" }
                    return TableRow([.text(e.file), e.line.map { .int($0) } ?? .int(nil), .text(e.column ?? "–"), value, message],
                                    cssClass: "import-error")
                })
            body += tables.addInline(errors, filename: "import-errors")
            if failure.totalCount > failure.errors.count {
                body += "<p>\(html(t("… and {count} more", ["count": f.int(failure.totalCount - failure.errors.count)])))</p>"
            }
            body += "</section>"
        case nil:
            break
        }
        body += "<p class=\"period\">\(html(t("The shop holds {orders} orders with {lines} lines of {products} products.", ["orders": f.int(counts.orders), "lines": f.int(counts.lines), "products": f.int(counts.products)])))</p>"
        body += "<h2 id=\"upload\">\(html(t("Upload an order file")))</h2>"
        body += "<form class=\"picker upload\" method=\"post\" action=\"\(html(Page.keepingLanguage("/import", lang?.rawValue)))\" enctype=\"multipart/form-data\" aria-labelledby=\"upload\">"
        body += "<label for=\"file\">\(html(t("Order file (CSV)")))<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,.txt,text/csv\" required aria-describedby=\"upload-help\"></label>"
        body += "<label for=\"format\">\(html(t("Format")))<select id=\"format\" name=\"format\">"
        for format in ImportFormat.allCases { body += "<option value=\"\(format.rawValue)\">\(html(format == .auto ? t("Detect from the header") : t(format.description)))</option>" }
        body += "</select></label>"
        body += "<label for=\"encoding\">\(html(t("Encoding")))<select id=\"encoding\" name=\"encoding\"><option value=\"utf-8\">UTF-8</option><option value=\"windows-1252\">\(html(t("Windows-1252 (older Excel)")))</option></select></label>"
        body += "<label for=\"rates\">\(html(t("Rate table (optional)")))<input id=\"rates\" name=\"rates\" type=\"file\" accept=\".csv,.txt,text/csv\"></label>"
        if let lang { body += "<input type=\"hidden\" name=\"lang\" value=\"\(lang.rawValue)\">" }
        body += "<button type=\"submit\">\(html(t("Import")))</button></form>"
        body += "<div id=\"upload-help\"><p>" + html(t("The canonical order-lines CSV or Shopify's orders export (detected from the header); Excel's Danish, Swedish and Norwegian CSV is read as it is.")) + " "
        body += html(t("The import is all or nothing: any error leaves the shop unchanged and every error is listed with its line. An order id already stored is replaced by the file's order, so uploading the same file twice changes nothing.")) + " "
        body += language.tHTML("A rate table converts orders in other currencies: lines of {layout}, e.g. {example}.", ["layout": "<code>currency,rate</code>", "example": "<code>EUR,7.46</code>"]) + " "
        body += language.tHTML("Files up to {size} MiB; import larger ones with {command}. See docs/import.md.", ["size": f.int(ImportUpload.maximumBytes / (1024 * 1024)), "command": "<code>clientele import FILE --db PATH</code>"]) + "</p></div>"
        return Page(title: t("Import"), shopName: settings.name, path: "/import", body: body, language: language, query: request.query).rendered
    }

    /// "2 inserted, 0 replaced, 0 unchanged." in `language`.
    static func stored(_ c: ReplaceSummary?, _ language: Language) -> String {
        let f = language.format
        return language.t("{inserted} inserted, {replaced} replaced, {unchanged} unchanged.",
                          ["inserted": f.int(c?.inserted ?? 0), "replaced": f.int(c?.replaced ?? 0), "unchanged": f.int(c?.unchanged ?? 0)])
    }

    /// `ImportUpload.headline` in `language`.
    static func headline(_ failure: ImportFailure, _ language: Language) -> String {
        let f = language.format
        var out = failure.totalCount == 1 ? language.t("The file has an error") : language.t("The file has {count} errors", ["count": f.int(failure.totalCount)])
        if failure.totalCount > failure.errors.count { out += language.t(" (the first {count} are listed)", ["count": f.int(failure.errors.count)]) }
        return out + language.t("; nothing was imported: the shop is unchanged.")
    }

    /// The summary as `clientele import` prints it, as a table.
    static func summaryTable(_ s: ImportSummary, _ language: Language) -> DataTable {
        let f = language.format, t = language.translator
        var rows: [(String, TableCell)] = s.files.map { file in
            (t("File"), .text(t("{name}: {format}, {orders} orders, {lines} lines",
                                ["name": file.name, "format": t(file.format.description), "orders": f.int(file.orders), "lines": f.int(file.lines)])))
        }
        rows += [(t("Orders"), .int(s.orders)), (t("Lines"), .int(s.lines)), (t("Customers"), .int(s.customers)),
                 (t("Anonymous orders"), .int(s.anonymousOrders)), (t("Cancelled orders"), .int(s.cancelledOrders))]
        if let first = s.firstOrder, let last = s.lastOrder {
            rows += [(t("First order"), .timestamp(s.calendar.iso8601(first))), (t("Last order"), .timestamp(s.calendar.iso8601(last)))]
        }
        rows.append((t("Reporting currency"), .text(s.reportingCurrency.code + (s.choseReportingCurrency ? t(" (set by this import)") : ""))))
        rows.append((t("Currencies"), .text(s.currencies.map { c in
            s.rates[c.code].map { "\(c.code) \(f.int(c.orders)) " + t("(rate {rate})", ["rate": $0.description]) } ?? "\(c.code) \(f.int(c.orders))"
        }.joined(separator: ", "))))
        if s.changes != nil { rows.append((t("Stored"), .text(String(stored(s.changes, language).dropLast())))) }
        for file in s.files where !file.unknownColumns.isEmpty {
            rows.append((t("Ignored columns"), .text("\(file.name): \(file.unknownColumns.joined(separator: ", "))")))
        }
        return DataTable(id: "summary", title: t("Import summary"), columns: [.text(t("Figure")), .text(t("Value"))],
                         rows: rows.map { TableRow([.text($0.0), $0.1]) }, caption: true, rowHeaders: true)
    }
}
