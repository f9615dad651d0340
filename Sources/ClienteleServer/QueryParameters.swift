import ClienteleCore
import Foundation
import Hummingbird

/// A request's query parameters, decoded as an HTML form sends them (`+` is a space, `%XX` a byte), with
/// readers that fail with the CLI's sentences (400).
public struct QueryParameters: Sendable {
    /// Each parameter's last value; an empty value counts as not given (a form's empty field).
    public private(set) var values: [String: String] = [:]

    /// Parses a query string (the part after `?`).
    public init(query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if !value.isEmpty { values[key] = value } else { values.removeValue(forKey: key) }
        }
    }

    /// `+` → space, then percent-decoding (a malformed escape is kept as written).
    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The value of `name`, or nil when absent or empty.
    public subscript(_ name: String) -> String? { values[name] }

    /// An integer in `range`, or nil when absent; otherwise a 400 naming the parameter.
    public func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw APIError.badRequest("\(name) \"\(text)\" must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return v
    }

    /// A finite number of at least `minimum`, or nil when absent.
    public func double(_ name: String, minimum: Double = 0, maximum: Double = .greatestFiniteMagnitude) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, v >= minimum, v <= maximum else {
            throw APIError.badRequest("\(name) \"\(text)\" must be a number from \(minimum) to \(maximum).")
        }
        return v
    }

    /// One of an enumeration's raw values, or nil when absent.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = values[name] else { return nil }
        guard let v = T(rawValue: text) else {
            throw APIError.badRequest("\(name) \"\(text)\" is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return v
    }

    /// A true/false flag (`true`, `1`, `yes`, `on` are true).
    public func flag(_ name: String) -> Bool {
        guard let text = values[name]?.lowercased() else { return false }
        return ["true", "1", "yes", "on"].contains(text)
    }

    /// A shop date, or nil when absent.
    public func date(_ name: String) throws -> ShopDate? {
        guard let text = values[name] else { return nil }
        guard let d = ShopDate(iso: text) else {
            throw APIError.badRequest("\(name) \"\(text)\" is not a date: write it as YYYY-MM-DD, e.g. 2025-09-14.")
        }
        return d
    }

    /// The period parameters (`period`, `from`, `to`, `asOf`, `compare`), checked by the CLI's rules.
    public func periodRequest() throws -> PeriodRequest {
        let request = PeriodRequest(preset: try choice("period", Period.Preset.self), from: values["from"], to: values["to"],
                                    asOf: values["asOf"], comparison: try choice("compare", Period.Comparison.self))
        if let problem = request.problem(names: .query) { throw APIError.badRequest(problem) }
        return request
    }

    /// The query string of these values with `changes` applied (nil removes), for links.
    public func with(_ changes: [String: String?]) -> String {
        var v = values
        for (k, value) in changes { v[k] = value ?? nil }
        return v.sorted { $0.key < $1.key }.map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// Percent-encodes a query component.
    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension Request {
    /// The request's query parameters.
    var query: QueryParameters { QueryParameters(query: uri.query) }
}
