import Synchronization

/// A language the dashboard is shown in: chosen per request by `?lang=`, else from the shop's locale.
public enum Language: String, CaseIterable, Sendable {
    /// English (the catalogue's keys).
    case en
    /// Danish.
    case da
    /// Swedish.
    case sv
    /// Norwegian Bokmål.
    case nb

    /// The language of a locale identifier such as `da_DK`: da → da, sv → sv, nb/no/nn → nb, anything else en.
    public static func of(locale identifier: String) -> Language {
        let code = identifier.split(whereSeparator: { $0 == "_" || $0 == "-" }).first.map { $0.lowercased() } ?? ""
        switch code {
        case "da": return .da
        case "sv": return .sv
        case "nb", "no", "nn": return .nb
        default: return .en
        }
    }

    /// The language's own name, for the switcher.
    public var name: String {
        switch self {
        case .en: return "English"
        case .da: return "Dansk"
        case .sv: return "Svenska"
        case .nb: return "Norsk bokmål"
        }
    }

    /// `english` in this language, or `english` itself when the catalogue has no translation (recorded in
    /// `Translations.misses` when a test has set one).
    public func t(_ english: String) -> String {
        if self == .en { return english }
        let translated: String?
        switch (self, Translations.index[english]) {
        case (.da, let entry?): translated = entry.da
        case (.sv, let entry?): translated = entry.sv
        case (.nb, let entry?): translated = entry.nb
        default: translated = nil
        }
        guard let translated, !translated.isEmpty else {
            Translations.misses?.record(english, self)
            return english
        }
        return translated
    }

    /// `template` in this language with each `{name}` replaced by its value (one pass: a value is never
    /// searched for placeholders itself), e.g. `t("{count} orders", ["count": "7"])`.
    public func t(_ template: String, _ values: KeyValuePairs<String, String>) -> String {
        Translations.fill(t(template), values)
    }

    /// `template` in this language, HTML-escaped, with each `{name}` replaced by its value, which is HTML
    /// already (`<strong>7</strong>`; escape shop data before passing it).
    public func tHTML(_ template: String, _ values: KeyValuePairs<String, String>) -> String {
        Translations.fill(html(t(template)), values)
    }

    /// How this language writes numbers, money, percentages and dates.
    public var format: LocaleFormat { LocaleFormat(language: self) }

    /// `text`, which stays English (a report's or the importer's error message), as escaped HTML marked
    /// `lang="en"` on a page in another language, so screen readers read it as English.
    func untranslated(_ text: String) -> String {
        self == .en ? html(text) : "<span lang=\"en\">\(html(text))</span>"
    }

    /// `t` as a value (`let t = language.translator; t("Orders")`, `t("{count} orders", ["count": "7"])`).
    var translator: Translator { Translator(language: self) }
}

/// A language's lookups as one value with both forms of `Language.t`, for pages that write `t("…")` often.
struct Translator: Sendable {
    /// The language looked up in.
    let language: Language

    /// `english` in the language.
    func callAsFunction(_ english: String) -> String { language.t(english) }

    /// `template` in the language with its `{name}` placeholders filled in.
    func callAsFunction(_ template: String, _ values: KeyValuePairs<String, String>) -> String { language.t(template, values) }
}

/// The texts looked up in a language the catalogue has no translation for (`Translations.misses`).
final class TranslationMisses: Sendable {
    private let texts = Mutex<Set<String>>([])

    /// An empty record.
    init() {}

    /// Records `english`, looked up in `language` without a translation.
    func record(_ english: String, _ language: Language) {
        texts.withLock { _ = $0.insert("\(language.rawValue): \(english)") }
    }

    /// The texts recorded, as `da: English text`, sorted.
    var recorded: [String] { texts.withLock { $0.sorted() } }
}

/// The dashboard's string catalogue: English text → Danish, Swedish and Norwegian Bokmål, in the words shop
/// owners know from Danish and Swedish shop systems. A missing translation falls back to English.
enum Translations {
    /// One English text and its translations (nil: not translated yet, English is shown).
    struct Entry: Sendable {
        var en: String
        var da: String?
        var sv: String?
        var nb: String?
        init(_ en: String, _ da: String?, _ sv: String?, _ nb: String?) {
            self.en = en; self.da = da; self.sv = sv; self.nb = nb
        }
    }

    /// The navigation labels and page titles (must be complete).
    static let navigationAndTitles: [Entry] = [
        Entry("Customers", "Kunder", "Kunder", "Kunder"),
        Entry("Analytics", "Analyse", "Analys", "Analyse"),
        Entry("Audiences", "Målgrupper", "Målgrupper", "Målgrupper"),
        Entry("Retention & CLV", "Fastholdelse & CLV", "Kundbehållning & CLV", "Kundelojalitet & CLV"),
        Entry("Behaviour", "Købsadfærd", "Köpbeteende", "Kjøpsatferd"),
        Entry("Predictions", "Forudsigelser", "Prognoser", "Prognoser"),
        Entry("Import", "Import", "Import", "Import"),
        Entry("Settings", "Indstillinger", "Inställningar", "Innstillinger"),
        Entry("Customer", "Kunde", "Kund", "Kunde"),
        Entry("Not available", "Ikke tilgængelig", "Inte tillgänglig", "Ikke tilgjengelig"),
        Entry("Cannot show this", "Kan ikke vises", "Kan inte visas", "Kan ikke vises"),
        Entry("Cannot do this", "Kan ikke udføres", "Kan inte utföras", "Kan ikke utføres"),
        Entry("Main", "Hovedmenu", "Huvudmeny", "Hovedmeny"),
        Entry("Language", "Sprog", "Språk", "Språk"),
        Entry("Skip to content", "Gå til indhold", "Hoppa till innehållet", "Gå til innholdet"),
    ]

    /// Section headings and card labels (must be complete).
    static let headings: [Entry] = [
        Entry("Key figures", "Nøgletal", "Nyckeltal", "Nøkkeltall"),
        Entry("Unique customers", "Unikke kunder", "Unika kunder", "Unike kunder"),
        Entry("Repeat rate", "Gentagelsesrate", "Returfrekvens", "Gjenkjøpsrate"),
        Entry("Average CLV", "Gennemsnitlig CLV", "Genomsnittligt CLV", "Gjennomsnittlig CLV"),
        Entry("Days from 1st to 2nd order", "Dage fra 1. til 2. ordre", "Dagar från 1:a till 2:a beställningen", "Dager fra 1. til 2. ordre"),
        Entry("Segments", "Kundesegmenter", "Kundsegment", "Kundesegmenter"),
        Entry("New vs returning customers per month", "Nye og tilbagevendende kunder pr. måned", "Nya och återkommande kunder per månad", "Nye og returnerende kunder per måned"),
        Entry("New and returning customers per month", "Nye og tilbagevendende kunder pr. måned", "Nya och återkommande kunder per månad", "Nye og returnerende kunder per måned"),
        Entry("Top customers", "Topkunder", "Toppkunder", "Toppkunder"),
        Entry("Lifecycle stage", "Livscyklus", "Livscykel", "Livssyklus"),
        Entry("Customer base growth", "Vækst i kundebasen", "Tillväxt i kundbasen", "Vekst i kundebasen"),
        Entry("Groups", "Grupper", "Grupper", "Grupper"),
        Entry("Saved audiences", "Gemte målgrupper", "Sparade målgrupper", "Lagrede målgrupper"),
        Entry("Shop settings", "Butiksindstillinger", "Butiksinställningar", "Butikkinnstillinger"),
        Entry("Cohort retention", "Fastholdelse pr. kohorte", "Kundbehållning per kohort", "Kundelojalitet per kohort"),
        Entry("Customer lifetime value (formula)", "Kundens livstidsværdi (formel)", "Kundens livstidsvärde (formel)", "Kundens livstidsverdi (formel)"),
        Entry("When customers shop", "Hvornår kunderne handler", "När kunderna handlar", "Når kundene handler"),
        Entry("Orders by year", "Ordrer pr. år", "Beställningar per år", "Ordrer per år"),
        Entry("Orders by month of year", "Ordrer pr. måned", "Beställningar per månad", "Ordrer per måned"),
        Entry("Most bought products", "Mest købte produkter", "Mest köpta produkter", "Mest kjøpte produkter"),
        Entry("Bought together", "Købt sammen", "Köpta tillsammans", "Kjøpt sammen"),
        Entry("Purchase cycles", "Købscyklusser", "Köpcykler", "Kjøpssykluser"),
        Entry("Due for a reminder", "Klar til en påmindelse", "Dags för en påminnelse", "Klar for en påminnelse"),
        Entry("Products by return rate", "Produkter efter returrate", "Produkter efter returgrad", "Produkter etter returrate"),
        Entry("Upload an order file", "Upload en ordrefil", "Ladda upp en orderfil", "Last opp en ordrefil"),
        Entry("Import summary", "Importoversigt", "Importsammanfattning", "Importoversikt"),
        Entry("Overview", "Oversigt", "Översikt", "Oversikt"),
        Entry("Fit quality", "Modellens træfsikkerhed", "Modellens träffsäkerhet", "Modellens treffsikkerhet"),
        Entry("The model's parameters", "Modellens parametre", "Modellens parametrar", "Modellens parametere"),
        Entry("LTV curves", "LTV-kurver", "LTV-kurvor", "LTV-kurver"),
        Entry("Spend model (Gamma-Gamma)", "Forbrugsmodel (Gamma-Gamma)", "Köpbeloppsmodell (Gamma-Gamma)", "Forbruksmodell (Gamma-Gamma)"),
        Entry("Period", "Periode", "Period", "Periode"),
        Entry("Active customers", "Aktive kunder", "Aktiva kunder", "Aktive kunder"),
        Entry("Retention", "Fastholdelse", "Kundbehållning", "Kundelojalitet"),
        Entry("Churn rate", "Frafaldsrate", "Kundbortfall", "Frafallsrate"),
        Entry("Customer retention rate", "Fastholdelsesrate", "Kundbehållningsgrad", "Kundelojalitetsrate"),
        Entry("Repeat purchase ratio", "Genkøbsandel", "Andel återköp", "Gjenkjøpsandel"),
        Entry("Orders per customer per year", "Ordrer pr. kunde pr. år", "Beställningar per kund och år", "Ordrer per kunde per år"),
        Entry("Lifespan (years)", "Kundelevetid (år)", "Kundlivslängd (år)", "Kundelevetid (år)"),
        Entry("Product return rate", "Returrate for produkter", "Returgrad för produkter", "Returrate for produkter"),
        Entry("Time between purchases (days)", "Tid mellem køb (dage)", "Tid mellan köp (dagar)", "Tid mellom kjøp (dager)"),
    ]

    /// Table headers (must be complete).
    static let tableHeaders: [Entry] = [
        Entry("Segment", "Segment", "Segment", "Segment"),
        Entry("Orders", "Ordrer", "Beställningar", "Ordrer"),
        Entry("Share", "Andel", "Andel", "Andel"),
        Entry("Revenue", "Omsætning", "Intäkter", "Omsetning"),
        Entry("Revenue share", "Andel af omsætning", "Andel av intäkterna", "Andel av omsetningen"),
        Entry("Month", "Måned", "Månad", "Måned"),
        Entry("New", "Nye", "Nya", "Nye"),
        Entry("Returning", "Tilbagevendende", "Återkommande", "Returnerende"),
        Entry("Returning share", "Andel tilbagevendende", "Andel återkommande", "Andel returnerende"),
        Entry("Average order", "Gns. ordre", "Genomsnittlig order", "Gj.snitt. ordre"),
        Entry("Average order value", "Gennemsnitlig ordreværdi", "Genomsnittligt ordervärde", "Gjennomsnittlig ordreverdi"),
        Entry("First order", "Første ordre", "Första beställning", "Første ordre"),
        Entry("Last order", "Seneste ordre", "Senaste beställning", "Siste ordre"),
        Entry("Active", "Aktive", "Aktiva", "Aktive"),
        Entry("Slipping away", "Glider væk", "Glider iväg", "Glir unna"),
        Entry("Lost", "Tabt", "Förlorade", "Tapt"),
        Entry("All customers", "Alle kunder", "Alla kunder", "Alle kunder"),
        Entry("Now", "Nu", "Nu", "Nå"),
        Entry("Group", "Gruppe", "Grupp", "Gruppe"),
        Entry("Name", "Navn", "Namn", "Navn"),
        Entry("Filter", "Filter", "Filter", "Filter"),
        Entry("Audience", "Målgruppe", "Målgrupp", "Målgruppe"),
        Entry("Product", "Produkt", "Produkt", "Produkt"),
        Entry("Products", "Produkter", "Produkter", "Produkter"),
        Entry("Year", "År", "År", "År"),
        Entry("Week", "Uge", "Vecka", "Uke"),
        Entry("Quarter", "Kvartal", "Kvartal", "Kvartal"),
        Entry("Weekday", "Ugedag", "Veckodag", "Ukedag"),
        Entry("Date", "Dato", "Datum", "Dato"),
        Entry("Order", "Ordre", "Beställning", "Ordre"),
        Entry("Total", "I alt", "Totalt", "Totalt"),
        Entry("Value", "Værdi", "Värde", "Verdi"),
        Entry("Field", "Felt", "Fält", "Felt"),
        Entry("Cohort", "Kohorte", "Kohort", "Kohort"),
        Entry("Retained", "Fastholdt", "Kvar", "Beholdt"),
        Entry("Churned", "Faldet fra", "Förlorade", "Falt fra"),
        Entry("Sold", "Solgt", "Sålda", "Solgt"),
        Entry("Returned", "Returneret", "Returnerade", "Returnert"),
        Entry("Return rate", "Returrate", "Returgrad", "Returrate"),
        Entry("Refunded", "Refunderet", "Återbetalt", "Refundert"),
        Entry("Placed", "Afgivet", "Lagd", "Lagt inn"),
        Entry("Last purchase", "Seneste køb", "Senaste köp", "Siste kjøp"),
        Entry("Next order", "Næste ordre", "Nästa beställning", "Neste ordre"),
        Entry("Predicted CLV", "Forventet CLV", "Förväntat CLV", "Forventet CLV"),
        Entry("Lifetime value", "Livstidsværdi", "Livstidsvärde", "Livstidsverdi"),
        Entry("Orders / year", "Ordrer / år", "Beställningar / år", "Ordrer / år"),
        Entry("Revenue / year", "Omsætning / år", "Intäkter / år", "Omsetning / år"),
        Entry("Basket size", "Kurvens størrelse", "Varukorgens storlek", "Handlekurvens størrelse"),
        Entry("Order value", "Ordreværdi", "Ordervärde", "Ordreverdi"),
        Entry("Median days", "Median (dage)", "Median (dagar)", "Median (dager)"),
        Entry("Cycle days", "Cyklus (dage)", "Cykel (dagar)", "Syklus (dager)"),
        Entry("Due", "Forfalden", "Förfallen", "Forfalt"),
        Entry("Product A", "Produkt A", "Produkt A", "Produkt A"),
        Entry("Product B", "Produkt B", "Produkt B", "Produkt B"),
        Entry("Orders with both", "Ordrer med begge", "Beställningar med båda", "Ordrer med begge"),
        Entry("Lift", "Lift", "Lift", "Lift"),
        Entry("Figure", "Nøgletal", "Nyckeltal", "Nøkkeltall"),
        Entry("Meaning", "Betydning", "Betydelse", "Betydning"),
        Entry("Kind", "Type", "Typ", "Type"),
        Entry("Problem", "Problem", "Problem", "Problem"),
        Entry("Line", "Linje", "Rad", "Linje"),
        Entry("Parameter", "Parameter", "Parameter", "Parameter"),
        Entry("Std. error", "Std.-fejl", "Standardfel", "Std.-feil"),
        Entry("Actual", "Faktisk", "Faktiskt", "Faktisk"),
        Entry("When", "Hvornår", "När", "Når"),
        Entry("Change since then", "Ændring siden da", "Förändring sedan dess", "Endring siden da"),
        Entry("End of", "Ultimo", "Vid slutet av", "Ved slutten av"),
        Entry("All", "Alle", "Alla", "Alle"),
        Entry("Export", "Eksport", "Export", "Eksport"),
        Entry("Predicted", "Forventet", "Förväntat", "Forventet"),
    ]

    /// Form labels, buttons, captions and the short sentences on the pages (English shown where missing).
    static let other: [Entry] = [
        Entry("Last 12 months (default)", "Seneste 12 måneder (standard)", "Senaste 12 månaderna (standard)", "Siste 12 måneder (standard)"),
        Entry("From", "Fra", "Från", "Fra"),
        Entry("To (inclusive)", "Til (inklusive)", "Till (inklusive)", "Til (inklusive)"),
        Entry("As of", "Pr. dato", "Per datum", "Per dato"),
        Entry("Compare with", "Sammenlign med", "Jämför med", "Sammenlign med"),
        Entry("No comparison", "Ingen sammenligning", "Ingen jämförelse", "Ingen sammenligning"),
        Entry("Previous period", "Forrige periode", "Föregående period", "Forrige periode"),
        Entry("Same period last year", "Samme periode sidste år", "Samma period förra året", "Samme periode i fjor"),
        Entry("Show", "Vis", "Visa", "Vis"),
        Entry("Save", "Gem", "Spara", "Lagre"),
        Entry("Calculate", "Beregn", "Beräkna", "Beregn"),
        Entry("Download as CSV", "Download som CSV", "Ladda ner som CSV", "Last ned som CSV"),
        Entry("Start again", "Start forfra", "Börja om", "Start på nytt"),
        Entry("vs comparison", "i forhold til sammenligningen", "jämfört med jämförelseperioden", "sammenlignet med sammenligningsperioden"),
        Entry("to", "til", "till", "til"),
        Entry("as of", "pr.", "per", "per"),
        Entry("compared with", "sammenlignet med", "jämfört med", "sammenlignet med"),
        Entry("green", "grøn", "grön", "grønn"),
        Entry("yellow", "gul", "gul", "gul"),
        Entry("red", "rød", "röd", "rød"),
        Entry("one-time", "Engangskunder", "Engångskunder", "Engangskunder"),
        Entry("returning", "Tilbagevendende kunder", "Återkommande kunder", "Returnerende kunder"),
        Entry("loyal", "Loyale kunder", "Lojala kunder", "Lojale kunder"),
        Entry("figures as defined in docs/metrics.md", "tal som defineret i docs/metrics.md", "siffror enligt docs/metrics.md", "tall som definert i docs/metrics.md"),
        Entry("JSON API", "JSON-API", "JSON-API", "JSON-API"),
        Entry("Range", "Interval", "Intervall", "Intervall"),
        Entry("Growth from", "Vækst fra", "Tillväxt från", "Vekst fra"),
        Entry("to (inclusive)", "til (inklusive)", "till (inklusive)", "til (inklusive)"),
        Entry("By", "Pr.", "Per", "Per"),
        Entry("week", "uge", "vecka", "uke"),
        Entry("month", "måned", "månad", "måned"),
        Entry("One-time buyers", "Engangskøbere", "Engångsköpare", "Engangskjøpere"),
        Entry("Loyal", "Loyale kunder", "Lojala kunder", "Lojale kunder"),
        Entry("Frequent", "Hyppige købere", "Frekventa köpare", "Hyppige kjøpere"),
        Entry("VIP", "VIP", "VIP", "VIP"),
        Entry("Customer counts as of", "Antal kunder pr.", "Antal kunder per", "Antall kunder per"),
        Entry("New audience", "Ny målgruppe", "Ny målgrupp", "Ny målgruppe"),
        Entry("each name leads to the audience's page (overview, insights, products, edit)", "hvert navn fører til målgruppens side (oversigt, indsigt, produkter, redigér)", "varje namn leder till målgruppens sida (översikt, insikter, produkter, redigera)", "hvert navn fører til målgruppens side (oversikt, innsikt, produkter, rediger)"),
        Entry("built-in", "indbygget", "inbyggd", "innebygd"),
        Entry("Change these with", "Ændr dem med", "Ändra dem med", "Endre dem med"),
    ]

    /// Every entry.
    static var all: [Entry] { navigationAndTitles + headings + tableHeaders + other + pages }

    /// The entries by English text.
    static let index: [String: Entry] = {
        var out: [String: Entry] = [:]
        for e in all where out[e.en] == nil { out[e.en] = e }
        return out
    }()

    /// Collects the texts looked up without a translation while it is set (for a task and its child tasks):
    /// a test renders every page in every language with one set and expects it to stay empty.
    @TaskLocal static var misses: TranslationMisses?

    /// `template` with each `{name}` replaced by its value in one pass; an unknown `{name}` is kept.
    static func fill(_ template: String, _ values: KeyValuePairs<String, String>) -> String {
        var out = "", rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = rest[rest.index(after: open)..<close]
            if let value = values.first(where: { $0.key == name })?.value {
                out += value
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The English texts of `entries` without a translation into `language`.
    static func missing(_ entries: [Entry], in language: Language) -> [String] {
        entries.filter { e in
            let text: String?
            switch language {
            case .en: text = e.en
            case .da: text = e.da
            case .sv: text = e.sv
            case .nb: text = e.nb
            }
            return (text ?? "").isEmpty
        }.map(\.en)
    }
}
