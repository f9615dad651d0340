/// A JSON value whose object keys keep their order and whose nulls are written, never dropped (reports
/// promise a fixed shape).
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int)
    /// A number written with enough digits to round-trip; non-finite values are written as `null`.
    case double(Double)
    /// A string, escaped on output.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose members keep their order.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// `.string(s)`, or `.null` when `s` is nil.
    public static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// `.double(d)`, or `.null` when `d` is nil.
    public static func double(_ d: Double?) -> JSONValue { d.map { .double($0) } ?? .null }
    /// `.int(i)`, or `.null` when `i` is nil.
    public static func int(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }
    /// A money amount as a decimal string with the currency's digits (`"1451.24"`), or `.null`.
    public static func money(_ m: Money?) -> JSONValue { m.map { .string($0.decimalString) } ?? .null }

    /// The value as JSON text, indented by two spaces per level; arrays of scalars stay on one line.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out.append("\n")
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(String(i))
        case .double(let d): out.append(d.isFinite ? d.description : "null")
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out.append("[]"); return }
            if items.allSatisfy(\.isScalar) {
                out.append("[")
                for (i, v) in items.enumerated() {
                    if i > 0 { out.append(", ") }
                    v.write(to: &out, indent: indent)
                }
                out.append("]")
                return
            }
            out.append("[\n")
            for (i, v) in items.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                v.write(to: &out, indent: indent + 2)
                out.append(i + 1 < items.count ? ",\n" : "\n")
            }
            out.append(String(repeating: " ", count: indent) + "]")
        case .object(let members):
            if members.isEmpty { out.append("{}"); return }
            out.append("{\n")
            for (i, (k, v)) in members.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                JSONValue.writeString(k, to: &out)
                out.append(": ")
                v.write(to: &out, indent: indent + 2)
                out.append(i + 1 < members.count ? ",\n" : "\n")
            }
            out.append(String(repeating: " ", count: indent) + "}")
        }
    }

    /// Writes `s` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func writeString(_ s: String, to out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }
}
