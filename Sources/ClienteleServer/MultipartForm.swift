import Foundation

/// A `multipart/form-data` body (RFC 7578), read just far enough for the dashboard's upload form: each part's
/// field name, file name, content type and bytes. Parts are found by scanning for the boundary; nothing is
/// decoded (no transfer encodings: browsers and curl send the bytes as they are).
struct MultipartForm: Sendable {
    /// One part of the form.
    struct Part: Sendable {
        /// The form field's name (`name="…"`).
        var name: String
        /// The uploaded file's name (`filename="…"`), nil for a plain field.
        var filename: String?
        /// The part's `Content-Type`, nil when not given.
        var contentType: String?
        /// The part's content.
        var bytes: ArraySlice<UInt8>

        /// The content as text (UTF-8, invalid bytes replaced).
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The parts in the order sent.
    var parts: [Part]

    /// At most this many parts are read.
    static let maximumParts = 32
    /// A part's header block may be at most this long.
    static let maximumHeaderBytes = 8 * 1024

    /// The boundary named in a `multipart/form-data` content type, nil for another content type.
    static func boundary(contentType: String) -> String? {
        let type = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        guard type.lowercased() == "multipart/form-data", let value = parameters(contentType)["boundary"] else { return nil }
        return value.isEmpty || value.utf8.count > 200 ? nil : value
    }

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The text of the plain field `name`, nil when absent or empty.
    func field(_ name: String) -> String? {
        guard let p = part(name), p.filename == nil else { return nil }
        let t = p.text
        return t.isEmpty ? nil : t
    }

    /// Reads `body` with `boundary`; an `APIError` (400) says what is wrong with a malformed body.
    init(body: [UInt8], boundary: String) throws(APIError) {
        let delimiter = Array(("--" + boundary).utf8)
        let separator = Array(("\r\n--" + boundary).utf8)
        func bad(_ why: String) -> APIError {
            APIError.badRequest("The upload is not a well-formed multipart/form-data body: \(why). Send it from the form, or with curl -F file=@orders.csv.")
        }
        // The first delimiter starts the body or follows a preamble line.
        guard let first = Self.find(delimiter, in: body, from: 0) else { throw bad("the boundary does not occur") }
        var position = first + delimiter.count
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, otherwise a line break starts a part.
            if body.count >= position + 2 && body[position] == 0x2D && body[position + 1] == 0x2D { break }
            while position < body.count && (body[position] == 0x20 || body[position] == 0x09) { position += 1 }
            if body.count >= position + 2 && body[position] == 0x0D && body[position + 1] == 0x0A {
                position += 2
            } else if position < body.count && body[position] == 0x0A {
                position += 1
            } else {
                throw bad("the body ends without the closing boundary")
            }
            guard parts.count < Self.maximumParts else { throw bad("more than \(Self.maximumParts) parts") }
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position, limit: position + Self.maximumHeaderBytes) else {
                throw bad("a part's headers do not end (or are longer than \(Self.maximumHeaderBytes) bytes)")
            }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let end = Self.find(separator, in: body, from: contentStart) else { throw bad("a part does not end with the boundary") }
            var name: String?, filename: String?, contentType: String?
            for line in headers.split(separator: "\r\n") {
                let kv = line.split(separator: ":", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let key = kv[0].trimmingCharacters(in: .whitespaces).lowercased()
                let value = kv[1].trimmingCharacters(in: .whitespaces)
                if key == "content-disposition" {
                    let parameters = Self.parameters(value)
                    name = parameters["name"]
                    filename = parameters["filename"]
                } else if key == "content-type" {
                    contentType = value
                }
            }
            guard let name else { throw bad("a part has no Content-Disposition name") }
            parts.append(Part(name: name, filename: filename, contentType: contentType, bytes: body[contentStart..<end]))
            position = end + separator.count
        }
        self.parts = parts
    }

    /// The `key=value` parameters after the first `;` of a header value such as `Content-Disposition` or
    /// `Content-Type` (quoted values may hold `;` and `\"`).
    static func parameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = Substring(value)
        // Skip the type ("form-data", "multipart/form-data").
        guard let semicolon = chars.firstIndex(of: ";") else { return out }
        chars = chars[chars.index(after: semicolon)...]
        while !chars.isEmpty {
            chars = chars.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let eq = chars.firstIndex(of: "=") else { break }
            let key = chars[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            chars = chars[chars.index(after: eq)...]
            var v = ""
            if chars.first == "\"" {
                chars = chars.dropFirst()
                var escaped = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if escaped { v.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break } else { v.append(c) }
                }
            } else {
                let stop = chars.firstIndex(of: ";") ?? chars.endIndex
                v = chars[..<stop].trimmingCharacters(in: .whitespaces)
                chars = chars[stop...]
            }
            if out[key] == nil { out[key] = v }
        }
        return out
    }

    /// The first index of `needle` in `haystack` at or after `from` (and starting before `limit`), nil when none.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, limit: Int = .max) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = min(haystack.count - needle.count, limit)
        guard from <= last else { return nil }
        return haystack.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                var i = from
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
