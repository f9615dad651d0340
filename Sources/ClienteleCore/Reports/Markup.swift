/// Escaping for HTML and XML output (the dashboard's pages, the e-mail sheet, .xlsx parts).
public enum Markup {
    /// `text` for HTML or XML element content and quoted attribute values: `& < > " '` become entities.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
