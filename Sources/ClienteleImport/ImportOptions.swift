import ClienteleCore

/// Which layout an order file has.
public enum ImportFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Decide from the header: canonical if it has `order_id` and `placed_at`, Shopify if it has `Name`,
    /// `Created at` and `Lineitem quantity`.
    case auto
    /// The canonical order-lines CSV of IMPORT.md.
    case canonical
    /// Shopify's orders export (Orders → Export, CSV).
    case shopify

    /// The format's name as shown in the import summary.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .canonical: return "canonical order lines"
        case .shopify: return "Shopify orders export"
        }
    }
}

/// How to read order files.
public struct ImportOptions: Sendable {
    /// The files' layout, or `.auto` to detect it per file from the header.
    public var format: ImportFormat
    /// The files' character encoding.
    public var encoding: TextEncoding
    /// Exchange rates by ISO 4217 code: shop-currency units per one unit of that currency.
    public var rates: [String: ExchangeRate]
    /// Check everything but write nothing.
    public var dryRun: Bool
    /// Called now and then with (bytes read so far, bytes in all files).
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// Options with the defaults: auto-detected format, UTF-8, no rates, writing, no progress.
    public init(format: ImportFormat = .auto, encoding: TextEncoding = .utf8, rates: [String: ExchangeRate] = [:],
                dryRun: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.format = format
        self.encoding = encoding
        self.rates = rates
        self.dryRun = dryRun
        self.progress = progress
    }
}
