import ClienteleCore

/// The period picker: a plain GET form (works without JavaScript) with the presets, custom dates, the as-of
/// date and the comparison, filled in from the request.
enum PeriodPicker {
    /// The form for `query`, submitting to `action`; `comparison` offers the comparison select.
    static func form(action: String, query: QueryParameters, comparison: Bool = true) -> String {
        func option(_ value: String, _ label: String, selected: String?) -> String {
            "<option value=\"\(html(value))\"\(value == (selected ?? "") ? " selected" : "")>\(html(label))</option>"
        }
        let presets = option("", "Last 12 months (default)", selected: query["period"])
            + Period.Preset.allCases.filter { $0 != .last12Months }.map { p -> String in option(p.rawValue, p.rawValue, selected: query["period"]) }.joined()
        var out = "<form class=\"picker\" method=\"get\" action=\"\(html(action))\" aria-label=\"Period\">"
        out += "<label for=\"period\">Period<select id=\"period\" name=\"period\">\(presets)</select></label>"
        out += "<label for=\"from\">From<input id=\"from\" name=\"from\" type=\"date\" value=\"\(html(query["from"] ?? ""))\"></label>"
        out += "<label for=\"to\">To (inclusive)<input id=\"to\" name=\"to\" type=\"date\" value=\"\(html(query["to"] ?? ""))\"></label>"
        out += "<label for=\"asOf\">As of<input id=\"asOf\" name=\"asOf\" type=\"date\" value=\"\(html(query["asOf"] ?? ""))\"></label>"
        if comparison {
            let compare = option("", "No comparison", selected: query["compare"])
                + option("previous", "Previous period", selected: query["compare"])
                + option("last-year", "Same period last year", selected: query["compare"])
            out += "<label for=\"compare\">Compare with<select id=\"compare\" name=\"compare\">\(compare)</select></label>"
        }
        out += "<button type=\"submit\">Show</button></form>"
        return out
    }
}
