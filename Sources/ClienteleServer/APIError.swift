import ClienteleCore
import Hummingbird
import HTTPTypes

/// An error a request ends in: its HTTP status and the exact sentence the user reads. The API sends it as
/// `{"error": "…"}`; pages show it in the layout.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The sentence the user reads (no customer data beyond what the request itself named).
    public var description: String

    /// An error with a status and a message.
    public init(_ status: HTTPResponse.Status, _ description: String) {
        self.status = status
        self.description = description
    }

    /// 400 Bad Request: a parameter cannot be read.
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    /// 404 Not Found: a named thing (customer, audience) does not exist.
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    /// 422 Unprocessable: the request is well-formed but cannot be answered (e.g. a filter that needs a fit).
    public static func unprocessable(_ message: String) -> APIError { APIError(.unprocessableContent, message) }

    /// The JSON body: `{"error": "…"}`.
    public var json: String { JSONValue.object([("error", .string(description))]).rendered() }

    /// The error as a JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.text(json, status: status, contentType: "application/json; charset=utf-8")
    }
}

extension Response {
    /// A response with `text` as its body.
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String,
                     extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-store",
                                   HTTPField.Name("X-Content-Type-Options")!: "nosniff"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON response (`application/json`).
    static func json(_ text: String) -> Response { .text(text, contentType: "application/json; charset=utf-8") }

    /// A CSV download named `filename`.
    static func csv(_ text: String, filename: String) -> Response {
        .text(text, contentType: "text/csv; charset=utf-8",
              extraHeaders: [.contentDisposition: "attachment; filename=\"\(filename)\""])
    }

    /// An HTML page.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        .text(text, status: status, contentType: "text/html; charset=utf-8")
    }
}
