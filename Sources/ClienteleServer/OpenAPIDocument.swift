import ClienteleCore
import ClientelePrediction
import ClienteleSheets

/// One query or path parameter of an API operation, as the OpenAPI document describes it.
public struct APIParameter: Sendable {
    /// Where the parameter is given.
    public enum Location: String, Sendable { case query, path }

    /// The parameter's type, with the bounds the route enforces (a value outside them is a 400).
    public enum Kind: Sendable {
        /// A shop date, `YYYY-MM-DD`.
        case date
        /// A whole number in a range.
        case integer(ClosedRange<Int>)
        /// A finite number in a range.
        case number(ClosedRange<Double>)
        /// One of a fixed list.
        case choice([String])
        /// An amount in the shop currency as a decimal string (`300`, `299.95`).
        case amount
        /// A duration in days (`7d`, `7`) or weeks (`2w`).
        case duration
        /// `true`/`false` (also `1`, `yes`, `on`).
        case flag
        /// Free text (an id, a name).
        case text
        /// An ISO week, `2026-W47`.
        case isoWeek
    }

    /// The name as it appears in the query string or the path template.
    public let name: String
    /// Query or path.
    public let location: Location
    /// The type and its bounds.
    public let kind: Kind
    /// What it means.
    public let description: String

    /// A parameter.
    public init(_ name: String, _ kind: Kind, _ description: String, in location: Location = .query) {
        self.name = name
        self.kind = kind
        self.description = description
        self.location = location
    }

    /// The OpenAPI schema object of the parameter.
    var schema: JSONValue {
        switch kind {
        case .date: return .object([("type", .string("string")), ("format", .string("date")), ("example", .string("2025-09-14"))])
        case .integer(let r):
            return .object([("type", .string("integer")), ("minimum", .int(r.lowerBound)), ("maximum", .int(r.upperBound))])
        case .number(let r):
            var members: [(String, JSONValue)] = [("type", .string("number")), ("minimum", .double(r.lowerBound))]
            if r.upperBound.isFinite && r.upperBound < .greatestFiniteMagnitude { members.append(("maximum", .double(r.upperBound))) }
            return .object(members)
        case .choice(let values): return .object([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
        case .amount: return .object([("type", .string("string")), ("pattern", .string("^[0-9]+([.,][0-9]+)?$")), ("example", .string("299.95"))])
        case .duration: return .object([("type", .string("string")), ("pattern", .string("^[0-9]+[dDwW]?$")), ("example", .string("14d"))])
        case .flag: return .object([("type", .string("boolean"))])
        case .text: return .object([("type", .string("string"))])
        case .isoWeek: return .object([("type", .string("string")), ("pattern", .string("^[0-9]{4}-?[Ww][0-9]{1,2}$")), ("example", .string("2026-W47"))])
        }
    }

    /// The OpenAPI parameter object.
    var json: JSONValue {
        .object([("name", .string(name)), ("in", .string(location.rawValue)), ("required", .bool(location == .path)),
                 ("description", .string(description)), ("schema", schema)])
    }
}

/// One operation of the JSON API: the single list the OpenAPI document is made from, and which a test compares
/// with the router's route table (a route missing here, or listed here but not served, fails it).
public struct APIOperation: Sendable {
    /// `GET`, `POST` or `DELETE`.
    public let method: String
    /// The path template, `/api/v1/audiences/{name}`.
    public let path: String
    /// The router path that serves it when it differs (`/api/v1/audiences/{name}.csv` is served by `…/{name}`).
    public let servedBy: String?
    /// One line on what it answers.
    public let summary: String
    /// The matching CLI command.
    public let cli: String
    /// Its parameters.
    public let parameters: [APIParameter]
    /// The media type of a successful answer.
    public let mediaType: String
    /// The error statuses it can answer with (besides 503 for a shop that cannot be loaded).
    public let errors: [Int]
    /// The media type of the request body, for operations that take one.
    public let requestBody: String?
    /// The JSON schema of a JSON request body (nil: a file, `string`/`binary`).
    public let requestSchema: JSONValue?

    /// An operation.
    public init(_ method: String = "GET", _ path: String, servedBy: String? = nil, summary: String, cli: String,
                parameters: [APIParameter] = [], mediaType: String = "application/json", errors: [Int] = [400],
                requestBody: String? = nil, requestSchema: JSONValue? = nil) {
        self.requestSchema = requestSchema
        self.method = method
        self.path = path
        self.servedBy = servedBy
        self.summary = summary
        self.cli = cli
        self.parameters = parameters
        self.mediaType = mediaType
        self.errors = errors
        self.requestBody = requestBody
    }
}

/// The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`).
public enum OpenAPIDocument {
    static let asOf = APIParameter("asOf", .date, "The as-of date (default: today in the shop's time zone).")
    static let periodParameters: [APIParameter] = [
        APIParameter("period", .choice(Period.Preset.allCases.map(\.rawValue)), "A period preset (default: last-12-months)."),
        APIParameter("from", .date, "The period's first day (with to; both inclusive)."),
        APIParameter("to", .date, "The period's last day (with from)."),
        asOf,
    ]
    static let compare = APIParameter("compare", .choice(Period.Comparison.allCases.map(\.rawValue)),
                                      "Compare with the previous period or the same period last year.")
    static let minGaps = APIParameter("minGaps", .integer(1...Int(Int32.max)), "The fewest purchase intervals a product needs for a cycle (default 4).")
    static let audienceName = APIParameter("name", .text, "The audience's name (percent-encoded).", in: .path)

    static let fitParameters: [APIParameter] = [
        APIParameter("model", .choice(RepeatPurchaseModel.allCases.map(\.rawValue)), "The repeat-purchase model (default bgnbd)."),
        APIParameter("unit", .choice(TimeUnit.allCases.map(\.rawValue)), "The time unit of the fit (default days)."),
        APIParameter("calibrationEnd", .date, "Fit on orders up to this date (default: the last order's date)."),
        APIParameter("holdoutEnd", .date, "Compare predictions with the orders after calibrationEnd up to this date."),
    ]
    static func predictionParameters(top: ClosedRange<Int>) -> [APIParameter] {
        fitParameters + [
            asOf,
            APIParameter("horizonMonths", .integer(1...600), "The CLV horizon in months (default 12)."),
            APIParameter("discountMonthly", .number(0...1), "The monthly discount rate as a fraction (default 0.01)."),
            APIParameter("margin", .number(0...1), "The gross margin applied to predicted spend (default: none)."),
            APIParameter("days", .integer(1...3660), "The window of expected purchases in days (default 90)."),
            APIParameter("sort", .choice(PredictionSort.allCases.map(\.rawValue)), "Rank by predicted CLV, P(alive) or the next order."),
            APIParameter("top", .integer(top), top.lowerBound == 0 ? "How many customers (0: every customer)." : "How many customers (default 20)."),
        ]
    }

    /// The JSON schema of an audience request body with the `required` members.
    static func audienceBody(required: [String]) -> JSONValue {
        .object([
            ("type", .string("object")), ("required", .array(required.map(JSONValue.string))), ("additionalProperties", .bool(false)),
            ("properties", .object([
                ("name", .object([("type", .string("string")), ("maxLength", .int(200)), ("description", .string("The audience's name (no control characters, no leading or trailing spaces); on PUT, the name in the address."))])),
                ("filter", .object([("type", .string("string")), ("description", .string("The filter (docs/audiences.md), e.g. orders >= 2 and revenue > 1000."))])),
                ("description", .object([("type", .string("string")), ("description", .string("Not stored yet: a non-empty description is refused (422)."))])),
            ])),
        ])
    }

    /// Every operation of the API, in the order the document lists them.
    public static let operations: [APIOperation] = [
        APIOperation("GET", "/api/v1/customers", summary: "Customer statistics: totals, the four cards, segments, months and top customers.",
                     cli: "clientele report customers --format json",
                     parameters: periodParameters + [compare, APIParameter("top", .integer(0...10_000), "How many top customers (default: the shop's setting).")]),
        APIOperation("GET", "/api/v1/customers.csv", summary: "The top customers as CSV.", cli: "clientele report customers --format csv",
                     parameters: periodParameters + [compare, APIParameter("top", .integer(0...10_000), "How many top customers.")],
                     mediaType: "text/csv"),
        APIOperation("GET", "/api/v1/customers/{key}/export", summary: "Everything stored about one customer (the right of access, docs/privacy.md): identity, every order with its lines, their audiences.",
                     cli: "clientele customer export --customer KEY",
                     parameters: [APIParameter("key", .text, "The customer key: the shop's customer id, or a guest's e-mail (percent-encoded).", in: .path), asOf],
                     errors: [400, 404]),
        APIOperation("GET", "/api/v1/lifecycle", summary: "Lifecycle stage counts and active customers.", cli: "clientele report lifecycle --format json",
                     parameters: [asOf, APIParameter("customers", .flag, "Also list every customer's stage and its reason.")]),
        APIOperation("GET", "/api/v1/growth", summary: "Customer base growth: stage counts at each month or week end.",
                     cli: "clientele report growth --format json",
                     parameters: [APIParameter("from", .date, "The first step (default: the first order's month, or 52 weeks back)."),
                                  APIParameter("to", .date, "The last step (default: the as-of date)."), asOf,
                                  APIParameter("by", .choice(GrowthReport.Step.allCases.map(\.rawValue)), "Steps of a month or a week.")]),
        APIOperation("GET", "/api/v1/groups", summary: "The customer groups with their figures.", cli: "clientele report groups --format json",
                     parameters: [asOf]),
        APIOperation("GET", "/api/v1/retention", summary: "Retention, churn, repeat purchase ratio and return rates.",
                     cli: "clientele report retention --format json",
                     parameters: periodParameters + [APIParameter("minQuantity", .integer(0...Int(Int32.max)), "The fewest items bought in P' for a customer to count (default 1).")]),
        APIOperation("GET", "/api/v1/clv", summary: "The formula CLV with its inputs.", cli: "clientele report clv --format json",
                     parameters: [asOf, APIParameter("margin", .number(0...1), "The gross margin as a fraction (default 1)."),
                                  APIParameter("cac", .amount, "The customer acquisition cost in the shop currency."),
                                  APIParameter("orderValue", .amount, "Override the average order value."),
                                  APIParameter("ordersPerYear", .number(0...Double.greatestFiniteMagnitude), "Override the orders per customer per year."),
                                  APIParameter("lifespanYears", .number(0...Double.greatestFiniteMagnitude), "Override the customer lifespan in years.")]),
        APIOperation("GET", "/api/v1/cohorts", summary: "The cohort retention and revenue triangle.", cli: "clientele report cohorts --format json",
                     parameters: [asOf, APIParameter("by", .choice(Cohorts.Granularity.allCases.map(\.rawValue)), "Cohorts by month or quarter."),
                                  APIParameter("cohorts", .integer(1...240), "How many cohorts (default 12)."),
                                  APIParameter("firstProduct", .text, "Only customers whose first order held this product id."),
                                  APIParameter("country", .text, "Only customers whose first order shipped to this country.")]),
        APIOperation("GET", "/api/v1/rfm", summary: "RFM scores, the grid and the segments.", cli: "clientele report rfm --format json",
                     parameters: [asOf]),
        APIOperation("GET", "/api/v1/when", summary: "Orders by hour and weekday, by month and by year.", cli: "clientele report when --format json",
                     parameters: periodParameters + [APIParameter("topCustomers", .integer(1...1_000_000), "Only the top N customers by revenue in the period.")]),
        APIOperation("GET", "/api/v1/together", summary: "Products bought together.", cli: "clientele report together --format json",
                     parameters: periodParameters + [APIParameter("minSupportCount", .integer(1...Int(Int32.max)), "The fewest orders a pair must share (default 2)."),
                                                     APIParameter("product", .text, "Only pairs with this product id."),
                                                     APIParameter("top", .integer(0...100_000), "How many pairs (default 20).")],
                     errors: [400, 404]),
        APIOperation("GET", "/api/v1/cycles", summary: "Purchase cycles per product.", cli: "clientele report cycles --format json",
                     parameters: [asOf, minGaps]),
        APIOperation("GET", "/api/v1/due", summary: "Customers due for a reminder.", cli: "clientele report due --format json",
                     parameters: [asOf, APIParameter("within", .duration, "The window: days (7d or 7) or weeks (2w); default 7d."), minGaps]),
        APIOperation("GET", "/api/v1/due.csv", summary: "Customers due for a reminder, as CSV.", cli: "clientele report due --format csv",
                     parameters: [asOf, APIParameter("within", .duration, "The window: days (7d or 7) or weeks (2w)."), minGaps],
                     mediaType: "text/csv"),
        APIOperation("GET", "/api/v1/products", summary: "Best sellers and what the top customers buy.", cli: "clientele report products --format json",
                     parameters: periodParameters + [APIParameter("top", .integer(0...1_000_000), "How many products (default 20)."),
                                                     APIParameter("topCustomers", .integer(0...1_000_000), "How many top customers (default: the shop's setting).")]),
        APIOperation("GET", "/api/v1/settings", summary: "The shop's settings and thresholds.", cli: "clientele shop", errors: []),
        APIOperation("GET", "/api/v1/audiences", summary: "The saved audiences with their customer counts.", cli: "clientele audience list --format json",
                     parameters: [asOf]),
        APIOperation("GET", "/api/v1/audiences/{name}", summary: "One audience: overview, insights and top products.",
                     cli: "clientele audience show NAME --format json",
                     parameters: [audienceName, asOf,
                                  APIParameter("sort", .choice(AudienceOverview.ProductSort.allCases.map(\.rawValue)), "Sort the products by this column."),
                                  APIParameter("top", .integer(0...1_000_000), "How many products (default 20).")],
                     errors: [400, 404, 422]),
        APIOperation("GET", "/api/v1/audiences/{name}.csv", servedBy: "/api/v1/audiences/{name}", summary: "One audience's customers as CSV.",
                     cli: "clientele audience export NAME --format csv", parameters: [audienceName, asOf], mediaType: "text/csv",
                     errors: [400, 404, 422]),
        APIOperation("GET", "/api/v1/audiences/count", summary: "How many customers a filter holds as of a date, without saving it (the audience form's Count).",
                     cli: "clientele audience show --filter EXPR --format json",
                     parameters: [APIParameter("filter", .text, "The filter (docs/audiences.md), e.g. orders >= 2 and revenue > 1000."), asOf],
                     errors: [400, 422]),
        APIOperation("POST", "/api/v1/audiences", summary: "Create a saved audience from a JSON body {\"name\": …, \"filter\": …} (201 with the audience).",
                     cli: "clientele audience create NAME --filter EXPR",
                     errors: [400, 403, 409, 413, 422], requestBody: "application/json", requestSchema: audienceBody(required: ["name", "filter"])),
        APIOperation("PUT", "/api/v1/audiences/{name}", summary: "Change a saved audience's filter (built-ins too) from a JSON body {\"filter\": …}.",
                     cli: "clientele audience edit NAME --filter EXPR", parameters: [audienceName],
                     errors: [400, 403, 404, 413, 422], requestBody: "application/json", requestSchema: audienceBody(required: ["filter"])),
        APIOperation("DELETE", "/api/v1/audiences/{name}", summary: "Delete a saved audience (a deleted built-in stays deleted).",
                     cli: "clientele audience delete NAME", parameters: [audienceName], errors: [403, 404]),
        APIOperation("GET", "/api/v1/fit", summary: "The fitted repeat-purchase and spend models with their parameters and fit quality.",
                     cli: "clientele fit --format json", parameters: fitParameters, errors: [400, 422]),
        APIOperation("GET", "/api/v1/predictions", summary: "Customers ranked by predicted CLV, P(alive) or next order.",
                     cli: "clientele predict --format json", parameters: predictionParameters(top: 1...10_000), errors: [400, 422]),
        APIOperation("GET", "/api/v1/predictions.csv", summary: "Every customer's (or the top N) predictions as CSV.",
                     cli: "clientele predict --format csv", parameters: predictionParameters(top: 0...10_000),
                     mediaType: "text/csv", errors: [400, 422]),
        APIOperation("POST", "/api/v1/import", summary: "Import an order file (the raw file as the body, or multipart/form-data with file and rates parts): all or nothing.",
                     cli: "clientele import FILE",
                     parameters: [APIParameter("filename", .text, "The file's name, shown in error messages.")],
                     errors: [400, 403, 413, 422], requestBody: "text/csv"),
        APIOperation("GET", "/api/v1/summary", summary: "The weekly numbers sheet: key figures beside the previous week and the same week last year, top customers and products.",
                     cli: "clientele report summary --format json",
                     parameters: [APIParameter("week", .isoWeek, "The ISO week, e.g. 2026-W47 (default: the last full week).")]),
        APIOperation("GET", "/api/v1/summary.xlsx", summary: "The weekly numbers sheet as an Excel workbook.",
                     cli: "clientele report summary --format xlsx",
                     parameters: [APIParameter("week", .isoWeek, "The ISO week (default: the last full week).")],
                     mediaType: ClienteleSheets.mediaType),
        APIOperation("GET", "/api/v1/openapi.json", summary: "This document.", cli: "", errors: []),
    ]

    /// The document as JSON.
    public static func json() -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in uniquePaths() {
            var methods: [(String, JSONValue)] = []
            for op in operations where op.path == path {
                methods.append((op.method.lowercased(), operationJSON(op)))
            }
            paths.append((path, .object(methods)))
        }
        return .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([
                ("title", .string("Clientele API")), ("version", .string(ClienteleServer.version)),
                ("description", .string("Customer analytics of one shop. Every figure is defined in docs/metrics.md; each route sends exactly the JSON of the matching clientele command with --format json (docs/api.md).")),
            ])),
            ("paths", .object(paths)),
            ("components", .object([("schemas", .object([
                ("Error", .object([("type", .string("object")), ("required", .array([.string("error")])),
                                   ("properties", .object([("error", .object([("type", .string("string")),
                                                                              ("description", .string("The sentence the user reads."))]))]))])),
                ("Report", .object([("type", .string("object")),
                                    ("description", .string("A report as the matching CLI command prints it with --format json; its members are listed in docs/metrics.md."))])),
            ]))])),
        ])
    }

    static func uniquePaths() -> [String] {
        var seen = Set<String>(), out: [String] = []
        for op in operations where seen.insert(op.path).inserted { out.append(op.path) }
        return out
    }

    static func operationJSON(_ op: APIOperation) -> JSONValue {
        let errorRef = JSONValue.object([("application/json", .object([("schema", .object([("$ref", .string("#/components/schemas/Error"))]))]))])
        let okSchema: JSONValue = op.mediaType == "application/json"
            ? .object([("$ref", .string("#/components/schemas/Report"))])
            : .object([("type", .string("string"))])
        var responses: [(String, JSONValue)] = [
            ("200", .object([("description", .string("OK")), ("content", .object([(op.mediaType, .object([("schema", okSchema)]))]))])),
        ]
        let reasons = [400: "A parameter cannot be read or is out of range.", 403: "A browser request from another web site.", 404: "A named thing (audience, product, customer) does not exist.",
                       409: "The name is taken already.",
                       413: "The request body is too large.", 422: "The request is well-formed but cannot be answered."]
        for status in op.errors.sorted() {
            responses.append((String(status), .object([("description", .string(reasons[status] ?? "Error")), ("content", errorRef)])))
        }
        responses.append(("503", .object([("description", .string("The shop cannot be loaded (no orders yet, an unknown time zone) or the answer took longer than the time limit.")),
                                          ("content", errorRef)])))
        var members: [(String, JSONValue)] = [
            ("operationId", .string(operationId(op))), ("summary", .string(op.summary)),
        ]
        if !op.cli.isEmpty { members.append(("description", .string("The same figures as `\(op.cli)`."))) }
        members.append(("parameters", .array(op.parameters.map(\.json))))
        if let body = op.requestBody {
            let schema = op.requestSchema ?? .object([("type", .string("string")), ("format", .string("binary"))])
            members.append(("requestBody", .object([("required", .bool(true)),
                                                     ("content", .object([(body, .object([("schema", schema)]))]))])))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    /// A stable operation id from the method and path: `getCustomersCsv`, `getAudiencesByName`.
    static func operationId(_ op: APIOperation) -> String {
        var words: [String] = [op.method.lowercased()]
        let path = op.path.hasPrefix("/api/v1/") ? String(op.path.dropFirst(8)) : op.path
        for segment in path.split(whereSeparator: { $0 == "/" || $0 == "." }) {
            if segment.hasPrefix("{") {
                words.append("By" + segment.dropFirst().dropLast().capitalizedFirst)
            } else {
                words.append(segment.split(separator: "-").map { $0.capitalizedFirst }.joined())
            }
        }
        return words.joined()
    }
}

extension StringProtocol {
    /// The text with its first letter upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
