extension CustomerStatistics {
    /// The top-customers list as CSV for a spreadsheet (METRICS.md, "Top customers … Exportable as CSV"):
    /// a header row, RFC 4180 quoting, CRLF line ends, money as plain decimals (`1451.24`), timestamps in
    /// ISO 8601 with the shop's offset.
    public func csv() -> String {
        var out = "rank,customer,email,orders,revenue,average_order_value,first_order,last_order\r\n"
        for t in topCustomers {
            let fields = [String(t.rank), t.customer, t.email ?? "", String(t.orders), t.revenue.decimalString,
                          t.averageOrderValue.decimalString, t.firstOrderText, t.lastOrderText]
            out += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// A field quoted per RFC 4180 when it holds a comma, a quote, CR or LF (quotes doubled).
    static func csvField(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return s }
        var quoted = "\""
        for u in s.unicodeScalars {
            if u == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(u) }
        }
        return quoted + "\""
    }
}
