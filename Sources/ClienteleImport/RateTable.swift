import ClienteleCore

/// Reads a rate table: lines of `currency,rate`, where `rate` is shop-currency units per one unit of
/// `currency` (e.g. `EUR,7.46` in a DKK shop). A `currency,rate` header is optional. Files separated by `;`
/// (or tab) may write rates with a decimal comma (`EUR;7,46`). Throws `ImportFailure` listing every bad line.
public func parseRateTable(name: String, bytes: [UInt8]) throws(ImportFailure) -> [String: ExchangeRate] {
    var log = ErrorLog()
    var rates: [String: ExchangeRate] = [:]
    var firstLine: [String: Int] = [:]
    var buffer = bytes
    buffer.withUnsafeMutableBufferPointer { buf in
        guard let base = buf.baseAddress else { return }
        let count = buf.count
        var start = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        let separator = CSVScanner.detectSeparator(base, count: count, start: start)
        var scanner = CSVScanner(base: base, count: count, start: start, separator: separator)
        var first = true
        while scanner.nextRecord() {
            let line = scanner.recordLine
            if let problem = scanner.problem {
                log.add(problem.error(file: name))
                if case .unterminatedQuote = problem { break }
                continue
            }
            let isFirst = first
            first = false
            if scanner.fieldCount == 1 && scanner.field(0).trimmed().isEmpty { continue }
            if isFirst && scanner.field(0).trimmed().equalsLowercase("currency") { continue }
            guard scanner.fieldCount == 2 else {
                log.add(ImportError(.invalidRate, file: name, line: line, value: String(scanner.fieldCount),
                                    message: "expected 2 fields (currency,rate), found \(scanner.fieldCount)"))
                continue
            }
            let codeText = scanner.field(0).trimmed().string
            let rateBytes = scanner.field(1).trimmed()
            let rateText = rateBytes.string
            guard let currency = Currency(code: codeText) else {
                log.add(ImportError(.invalidCurrency, file: name, line: line, column: "currency", value: codeText,
                                    message: "currency \(quoted(codeText)) is not an ISO 4217 currency code"))
                continue
            }
            let comma = separator != 0x2C && rateBytes.contains(0x2C)
            guard let rate = ExchangeRate(currency: currency, text: Substring(rateText), decimalComma: comma) else {
                log.add(ImportError(.invalidRate, file: name, line: line, column: "rate", value: rateText,
                                    message: "rate \(quoted(rateText)) for \(currency.code) is not a positive decimal number (at most 12 decimals)"))
                continue
            }
            if let earlier = firstLine[currency.code] {
                log.add(ImportError(.invalidRate, file: name, line: line, column: "currency", value: codeText,
                                    message: "\(currency.code) appears twice (lines \(earlier) and \(line))"))
                continue
            }
            firstLine[currency.code] = line
            rates[currency.code] = rate
        }
    }
    if !log.isEmpty { throw log.failure }
    return rates
}

/// Reads the rate table file at `path` (see `parseRateTable(name:bytes:)`); an unreadable file is an `ImportFailure`.
public func loadRateTable(path: String) throws(ImportFailure) -> [String: ExchangeRate] {
    let bytes: [UInt8]
    do {
        bytes = try FileReader.read(path)
    } catch {
        throw ImportFailure(errors: [error])
    }
    return try parseRateTable(name: path, bytes: bytes)
}
