import ClienteleCore

/// What one file yielded.
struct FileOrders {
    var format: ImportFormat
    var orders: [Order]
    var lines: Int
    var unknownColumns: [String]
    /// The customer key id of each order (see `OrderFileParser.customerKey`), -1 for anonymous orders.
    var keys: [Int32]
    /// Whether the orders were already given to the parser's emitter while the file was read.
    var sent = false
    /// A canonical file read without keeping its orders (`OrderFileParser.keepsOrders` false): each order's
    /// fields, in place of `orders` and `keys`.
    var records: [OrderRecord] = []
    /// The buffer `records` point into (valid until the parser reads its next file).
    var base: UnsafeMutablePointer<UInt8>? = nil

    /// Orders in the file.
    var count: Int { orders.count + records.count }
}

/// Reads order files of every supported format, sharing interned strings and the error log across a run.
struct OrderFileParser {
    var errors = ErrorLog()
    var products: ByteInterner
    var productNames: ByteInterner
    var emails: ByteInterner
    var customerIds: ByteInterner
    /// Customer keys (METRICS.md identity), interned across the run.
    var customerKeys: ByteInterner
    /// Whether a canonical file's orders are made into `Order`s (`FileOrders.orders`); otherwise only
    /// `FileOrders.records` are kept (a streaming import sends each order as it is read).
    var keepsOrders = true
    /// Every currency met, densely numbered (`OrderRecord.currency`).
    private(set) var currencyTable: [Currency] = []
    /// The product name id seen last with each product id (-1: none).
    var nameOfProduct: [Int32] = []
    /// A file's transcoded bytes (windows-1252), kept until the next file as `FileOrders.records` point into them.
    private var transcoded: UnsafeMutableBufferPointer<UInt8>? = nil
    private var keyOfCustomerId: [Int32] = []
    private var keyOfEmail: [Int32] = []
    private var keyScratch: [UInt8] = []
    private var countryCodes = [String?](repeating: nil, count: 26 * 26)
    private var currencyKeys: [UInt32] = []
    private var currencyValues: [(currency: Currency, index: Int)?] = []
    let options: ImportOptions
    /// Bytes of all files, for progress.
    var totalBytes = 0
    /// Bytes of the files already finished, for progress.
    var doneBytes = 0
    /// Where complete orders go while files are read (a streaming import); `nil` for a plain parse.
    var emitter: OrderEmitter?

    /// The import's order totals so far, in minor units (see `Limits.maxSum`).
    var totalsSum: Int64 = 0
    /// The import's line amounts (quantity × unit price) so far, in minor units.
    var lineAmountsSum: Int64 = 0
    /// A sum passed its limit (reported once).
    var sumExceeded = false

    // Per file.
    var file = ""
    var decimalComma = false
    var line = 0

    /// A parser for a run of about `expectedBytes` of input: its tables start at a size that fits (one
    /// distinct customer per 256 bytes, between 1,024 and 65,536 entries; they grow when needed), so a small
    /// upload does not pay for the tables of a file of millions of lines.
    init(options: ImportOptions, expectedBytes: Int = .max) {
        self.options = options
        let customers = min(1 << 16, max(1024, expectedBytes / 256))
        products = ByteInterner(capacity: min(4096, customers))
        productNames = ByteInterner(capacity: min(4096, customers))
        emails = ByteInterner(capacity: customers)
        customerIds = ByteInterner(capacity: customers)
        customerKeys = ByteInterner(capacity: customers, keepsStrings: false)
    }

    /// The index of `currency` in `currencyTable`, added when new.
    mutating func currencyIndex(_ currency: Currency) -> Int {
        if let i = currencyTable.firstIndex(of: currency) { return i }
        currencyTable.append(currency)
        return currencyTable.count - 1
    }

    /// Frees what the last file left (its transcoded bytes).
    mutating func releaseFile() {
        transcoded?.deallocate()
        transcoded = nil
    }

    // MARK: Errors

    /// Adds an error at the current line.
    mutating func fail(_ code: ImportError.Code, column: String? = nil, value: String? = nil, _ message: String) {
        errors.add(ImportError(code, file: file, line: line, column: column, value: value, message: message))
    }

    /// Adds an error without a line.
    mutating func failFile(_ code: ImportError.Code, line: Int? = nil, _ message: String) {
        errors.add(ImportError(code, file: file, line: line, message: message))
    }

    // MARK: Files

    /// Reads one file (already in UTF-8 or the chosen encoding); `nil` when it cannot be read at all.
    mutating func parse(name: String, bytes: inout [UInt8]) -> FileOrders? {
        bytes.withUnsafeMutableBufferPointer { parse(name: name, buffer: $0) }
    }

    /// Reads one file from `buffer`, which the scanner rewrites in place (quoted fields are un-doubled) unless
    /// `spare` is given (see `CSVScanner.spare`), and which must stay valid until this returns; `nil` when it
    /// cannot be read at all.
    mutating func parse(name: String, buffer: UnsafeMutableBufferPointer<UInt8>, spare: UnsafeMutablePointer<UInt8>? = nil) -> FileOrders? {
        file = name
        line = 1
        let inputCount = buffer.count
        let result: FileOrders?
        if options.encoding == .windows1252 {
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
                failFile(.invalidUTF8, line: 1, "the file starts with a UTF-8 byte order mark, so it is UTF-8, not windows-1252: import it without --encoding windows-1252")
                return nil
            }
            let utf8 = Windows1252.transcode(buffer)
            releaseFile()
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, utf8.count))
            _ = copy.initialize(from: utf8)
            transcoded = copy
            result = parseBuffer(copy.baseAddress!, count: utf8.count)
        } else if let base = buffer.baseAddress {
            result = parseBuffer(base, count: buffer.count, spare: spare)
        } else {
            var none: UInt8 = 0
            result = withUnsafeMutablePointer(to: &none) { parseBuffer($0, count: 0) }
        }
        doneBytes += inputCount
        options.progress?(doneBytes, totalBytes)
        return result
    }

    private mutating func parseBuffer(_ base: UnsafeMutablePointer<UInt8>, count: Int, spare: UnsafeMutablePointer<UInt8>? = nil) -> FileOrders? {
        var start = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        var blank = true
        for i in start..<max(start, count) where !(base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x20 || base[i] == 0x09) {
            blank = false
            break
        }
        if blank {
            failFile(.emptyFile, "the file is empty")
            return nil
        }
        let separator = CSVScanner.detectSeparator(base, count: count, start: start)
        decimalComma = separator != 0x2C
        var scanner = CSVScanner(base: base, count: count, start: start, separator: separator, spare: spare)
        _ = scanner.nextRecord()
        if let problem = scanner.problem {
            errors.add(problem.error(file: file))
            return nil
        }
        if scanner.fieldCount > Limits.maxColumns {
            failFile(.tooManyColumns, line: 1, "the header has \(scanner.fieldCount) columns; an order file may have at most \(Limits.maxColumns)")
            return nil
        }
        var header: [String] = []
        var seen: [String: Int] = [:]
        var duplicate = false
        for i in 0..<scanner.fieldCount {
            let name = scanner.field(i).trimmed().string
            let key = name.lowercased()
            if let first = seen[key] {
                failFile(.duplicateColumn, line: 1, "column \(quoted(name)) appears twice in the header (columns \(first + 1) and \(i + 1))")
                duplicate = true
            } else {
                seen[key] = i
            }
            header.append(name)
        }
        if duplicate { return nil }
        let format: ImportFormat
        switch options.format {
        case .canonical, .shopify:
            format = options.format
        case .auto:
            if seen["order_id"] != nil && seen["placed_at"] != nil {
                format = .canonical
            } else if seen["name"] != nil && seen["created at"] != nil && seen["lineitem quantity"] != nil {
                format = .shopify
            } else {
                failFile(.unknownFormat, line: 1, "the header matches no known format: expected the canonical order-lines columns (\(CanonicalColumns.required.joined(separator: ", "))) or a Shopify orders export (Name, Created at, Lineitem quantity, …)")
                return nil
            }
        }
        let columns = ColumnMap(lowercasedIndex: seen)
        switch format {
        case .shopify:
            return parseShopify(&scanner, header: header, columns: columns, totalBytes: count)
        default:
            return parseCanonical(&scanner, header: header, columns: columns, totalBytes: count)
        }
    }

    /// Reports a missing-columns error when any of `required` (lower-case) is absent; returns whether all are there.
    mutating func requireColumns(_ required: [String], display: [String], in columns: ColumnMap) -> Bool {
        var missing: [String] = []
        for (key, shown) in zip(required, display) where columns[key] < 0 { missing.append(shown) }
        if missing.isEmpty { return true }
        failFile(.missingColumns, line: 1, "missing required column\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))")
        return false
    }

    /// Called per record: reports progress about every 8 MiB.
    @inline(__always)
    mutating func reportProgress(_ scanner: inout CSVScanner, lastReported: inout Int) {
        guard let progress = options.progress, scanner.pos - lastReported >= 8 << 20 else { return }
        lastReported = scanner.pos
        progress(doneBytes + scanner.pos, totalBytes)
    }

    /// Checks the shape of a record; `false` (after reporting) when it must be skipped.
    @inline(__always)
    mutating func acceptRecord(_ scanner: inout CSVScanner, headerCount: Int) -> Bool {
        line = scanner.recordLine
        if let problem = scanner.problem {
            errors.add(problem.error(file: file))
            return false
        }
        if scanner.fieldCount != headerCount {
            if scanner.fieldCount == 1 && scanner.field(0).trimmed().isEmpty { return false }  // blank line
            let sep = scanner.separator == 0x09 ? "tab" : "\"" + String(UnicodeScalar(scanner.separator)) + "\""
            fail(.fieldCount, value: String(scanner.fieldCount),
                 "found \(scanner.fieldCount) field\(scanner.fieldCount == 1 ? "" : "s") but the header has \(headerCount) (separated by \(sep)); are separators mixed, or is a quote missing?")
            return false
        }
        return true
    }

    /// Whether every field of the current record is blank (Excel writes such rows at the end of a sheet).
    func isBlankRecord(_ scanner: CSVScanner) -> Bool {
        for i in 0..<scanner.fieldCount where !scanner.field(i).trimmed().isEmpty { return false }
        return true
    }

    // MARK: Field readers (report and return nil on error)

    /// The ISO 4217 currency written in `b` (case-insensitive) and its index in `currencyTable`, cached per
    /// distinct code.
    mutating func currency(_ b: UnsafeBufferPointer<UInt8>) -> (currency: Currency, index: Int)? {
        guard b.count == 3 else { return nil }
        let key = UInt32(b[0] & 0xDF) << 16 | UInt32(b[1] & 0xDF) << 8 | UInt32(b[2] & 0xDF)
        for i in 0..<currencyKeys.count where currencyKeys[i] == key { return currencyValues[i] }
        let c = Currency(code: b.string).map { ($0, currencyIndex($0)) }
        if currencyKeys.count < 64 {
            currencyKeys.append(key)
            currencyValues.append(c)
        }
        return c
    }

    /// Reads a required currency field.
    mutating func readCurrency(_ b: UnsafeBufferPointer<UInt8>, column: String) -> Currency? {
        readIndexedCurrency(b, column: column)?.currency
    }

    /// Reads a required currency field; also gives its index in `currencyTable`.
    mutating func readIndexedCurrency(_ b: UnsafeBufferPointer<UInt8>, column: String) -> (currency: Currency, index: Int)? {
        if b.isEmpty { fail(.emptyField, column: column, "\(column) is empty"); return nil }
        if let c = currency(b) { return c }
        let v = b.string
        fail(.invalidCurrency, column: column, value: v, "\(column) \(quoted(v)) is not an ISO 4217 currency code")
        return nil
    }

    /// Reads a required timestamp with an offset; returns seconds and the written offset.
    mutating func readTimestamp(_ b: UnsafeBufferPointer<UInt8>, column: String) -> (Int64, Int32)? {
        if b.isEmpty { fail(.emptyField, column: column, "\(column) is empty"); return nil }
        switch FieldParsers.timestamp(b) {
        case .ok(let seconds, let offset):
            return (seconds, offset)
        case .noOffset:
            let v = b.string
            fail(.invalidTimestamp, column: column, value: v, "\(column) \(quoted(v)) has no UTC offset; the offset is required, e.g. 2024-03-05T18:22:10+01:00 or 2024-03-05T17:22:10Z")
        case .malformed:
            let v = b.string
            fail(.invalidTimestamp, column: column, value: v, "\(column) \(quoted(v)) is not an ISO 8601 timestamp like 2024-03-05T18:22:10+01:00")
        case .invalid:
            let v = b.string
            fail(.invalidTimestamp, column: column, value: v, "\(column) \(quoted(v)) is not a valid date and time")
        case .yearOutOfRange:
            let v = b.string
            fail(.invalidTimestamp, column: column, value: v,
                 "\(column) \(quoted(v)) is outside the years \(FieldParsers.years.lowerBound)–\(FieldParsers.years.upperBound) that Clientele's calendars cover")
        case .offsetOutOfRange:
            let v = b.string
            fail(.invalidTimestamp, column: column, value: v, "\(column) \(quoted(v)) has a UTC offset beyond ±14:00, the largest in use")
        }
        return nil
    }

    /// Reads an amount of `currency` (≥ 0 unless `allowNegative`); `nil` after reporting.
    mutating func readAmount(_ b: UnsafeBufferPointer<UInt8>, column: String, currency: Currency, required: Bool) -> Int64? {
        if b.isEmpty {
            if required { fail(.emptyField, column: column, "\(column) is empty"); return nil }
            return 0
        }
        switch FieldParsers.decimal(b, digits: currency.minorDigits, decimalComma: decimalComma) {
        case .ok(let v):
            if v < 0 {
                let s = b.string
                fail(.invalidAmount, column: column, value: s, "\(column) \(quoted(s)) is negative")
                return nil
            }
            return v
        case .malformed:
            let s = b.string
            let hint = decimalComma ? "" : " (use . as the decimal separator in a comma-separated file)"
            fail(.invalidAmount, column: column, value: s, "\(column) \(quoted(s)) is not a decimal number\(b.contains(0x2C) ? hint : "")")
        case .tooManyDecimals:
            let s = b.string
            fail(.invalidAmount, column: column, value: s, "\(column) \(quoted(s)) has more decimals than \(currency.code) allows (\(currency.minorDigits))")
        case .tooLarge:
            let s = b.string
            fail(.invalidAmount, column: column, value: s, "\(column) \(quoted(s)) is too large")
        }
        return nil
    }

    /// Reads a quantity: a whole number ≥ `minimum` (1 for quantities, 0 for returns).
    mutating func readQuantity(_ b: UnsafeBufferPointer<UInt8>, column: String, minimum: Int64, required: Bool) -> Int64? {
        if b.isEmpty {
            if required { fail(.emptyField, column: column, "\(column) is empty"); return nil }
            return 0
        }
        let s: String
        switch FieldParsers.integer(b, decimalComma: decimalComma) {
        case .ok(let v):
            if v >= minimum && v <= Limits.maxQuantity { return v }
            s = b.string
            if v > Limits.maxQuantity {
                fail(.invalidQuantity, column: column, value: s,
                     "\(column) \(quoted(s)) is more than \(Limits.maxQuantity), the most one line can hold")
                return nil
            }
            if v < 0 {
                fail(.invalidQuantity, column: column, value: s, "\(column) \(quoted(s)) is negative")
            } else {
                fail(.invalidQuantity, column: column, value: s, "\(column) \(quoted(s)) must be at least \(minimum)")
            }
        case .malformed:
            s = b.string
            fail(.invalidQuantity, column: column, value: s, "\(column) \(quoted(s)) is not a whole number")
        case .fractional:
            s = b.string
            fail(.invalidQuantity, column: column, value: s, "\(column) \(quoted(s)) has a fraction; it must be a whole number")
        case .tooLarge:
            s = b.string
            fail(.invalidQuantity, column: column, value: s, "\(column) \(quoted(s)) is too large")
        }
        return nil
    }

    /// Adds an order's total to the import's sum; reports (once) when the sum passes `Limits.maxSum`.
    mutating func addOrderTotal(_ total: Int64, currency: Currency, column: String, text: UnsafeBufferPointer<UInt8>) {
        guard !sumExceeded else { return }
        let (sum, overflow) = totalsSum.addingReportingOverflow(total)
        if overflow || sum > Limits.maxSum {
            sumExceeded = true
            let v = text.string
            fail(.sumTooLarge, column: column, value: v,
                 "\(column) \(quoted(v)) brings the import's order totals above \(Limits.maxSumText(currency)), the most one import may hold")
        } else {
            totalsSum = sum
        }
    }

    /// Adds a line's amount (quantity × unit price) to the import's sum; reports (once) when the product
    /// overflows or the sum passes `Limits.maxSum`.
    mutating func addLineAmount(quantity: Int64, price: Int64, currency: Currency, quantityColumn: String, priceColumn: String,
                                quantityText: UnsafeBufferPointer<UInt8>, priceText: UnsafeBufferPointer<UInt8>) {
        guard !sumExceeded else { return }
        let (amount, o1) = quantity.multipliedReportingOverflow(by: price)
        let (sum, o2) = lineAmountsSum.addingReportingOverflow(amount)
        if o1 || o2 || sum > Limits.maxSum {
            sumExceeded = true
            let q = quantityText.string, p = priceText.string
            fail(.sumTooLarge, column: priceColumn, value: p,
                 "\(quantityColumn) × \(priceColumn) (\(q) × \(p)) brings the import's line amounts above \(Limits.maxSumText(currency)), the most one import may hold")
        } else {
            lineAmountsSum = sum
        }
    }

    /// Reads an optional two-letter country code, upper-cased; `.some(nil)` when empty, `nil` after an error.
    mutating func readCountry(_ b: UnsafeBufferPointer<UInt8>, column: String) -> String?? {
        guard let slot = readCountrySlot(b, column: column) else { return nil }
        return .some(countryCode(slot))
    }

    /// Reads an optional two-letter country code as its slot (see `countryCode`); -1 when empty, `nil` after
    /// an error.
    mutating func readCountrySlot(_ b: UnsafeBufferPointer<UInt8>, column: String) -> Int16? {
        if b.isEmpty { return -1 }
        if b.count == 2 {
            let a = b[0] & 0xDF, c = b[1] & 0xDF
            if a >= 0x41 && a <= 0x5A && c >= 0x41 && c <= 0x5A {
                return Int16(a - 0x41) * 26 + Int16(c - 0x41)
            }
        }
        let s = b.string
        fail(.invalidCountry, column: column, value: s, "\(column) \(quoted(s)) is not a two-letter ISO 3166-1 country code")
        return nil
    }

    /// The upper-case country code in `slot` (`nil` for -1), made once per code.
    mutating func countryCode(_ slot: Int16) -> String? {
        guard slot >= 0 else { return nil }
        if let code = countryCodes[Int(slot)] { return code }
        let letters = Self.countryLetters
        let code = String(decoding: letters[Int(slot) * 2..<Int(slot) * 2 + 2], as: UTF8.self)
        countryCodes[Int(slot)] = code
        return code
    }

    /// The two upper-case letters of every country slot, back to back.
    static let countryLetters: [UInt8] = {
        var letters: [UInt8] = []
        for first in UInt8(0x41)...0x5A {
            for second in UInt8(0x41)...0x5A { letters += [first, second] }
        }
        return letters
    }()

    /// The customer key id of an order with interned `customerId` and `email` (-1 when absent): the trimmed
    /// customer id, else the trimmed lower-cased e-mail (`CustomerIdentity.key`), else -1 (anonymous).
    /// Computed once per distinct id or e-mail.
    mutating func customerKey(customerId: Int32, email: Int32) -> Int32 {
        if customerId >= 0 {
            let i = Int(customerId)
            if i >= keyOfCustomerId.count {
                keyOfCustomerId.append(contentsOf: repeatElement(-1, count: i + 1 - keyOfCustomerId.count))
            }
            if keyOfCustomerId[i] < 0 {
                var key = CustomerIdentity.key(customerId: customerIds[customerId], email: nil) ?? ""
                keyOfCustomerId[i] = key.withUTF8 { customerKeys.intern($0) }
            }
            return keyOfCustomerId[i]
        }
        guard email >= 0 else { return -1 }
        let i = Int(email)
        if i >= keyOfEmail.count {
            keyOfEmail.append(contentsOf: repeatElement(-1, count: i + 1 - keyOfEmail.count))
        }
        if keyOfEmail[i] < 0 {
            var key = CustomerIdentity.key(customerId: nil, email: emails[email]) ?? ""
            keyOfEmail[i] = key.withUTF8 { customerKeys.intern($0) }
        }
        return keyOfEmail[i]
    }

    /// The customer key id (interned in `customerKeys`) of an order whose trimmed customer id and e-mail are
    /// `customer` and `email` (either may be empty): the customer id, else the lower-cased e-mail
    /// (`CustomerIdentity.key`), else -1 (anonymous). One hash lookup; no string is made for a key seen before.
    /// `hash` is what `prefetchCustomerKey` returned for the same fields, if it was called (a non-nil hash for
    /// an e-mail means that call left its lower-cased key in `keyScratch`: it is not lower-cased again).
    mutating func customerKey(customer: UnsafeBufferPointer<UInt8>, email: UnsafeBufferPointer<UInt8>, hash: UInt64? = nil) -> Int32 {
        if !customer.isEmpty { return customerKeys.intern(customer, hash: hash) }
        guard !email.isEmpty else { return -1 }
        guard hash != nil || lowercaseASCII(email) else {
            var key = CustomerIdentity.key(customerId: nil, email: email.string) ?? ""
            return key.withUTF8 { customerKeys.intern($0) }
        }
        return keyScratch.withUnsafeBufferPointer { customerKeys.intern($0, hash: hash) }
    }

    /// Starts `customerKey(customer:email:)` for the same fields early: the hash of their key, whose slot in
    /// the table is asked into the cache meanwhile (nil when there is nothing to look up this way).
    @inline(__always)
    mutating func prefetchCustomerKey(customer: UnsafeBufferPointer<UInt8>, email: UnsafeBufferPointer<UInt8>) -> UInt64? {
        if !customer.isEmpty { return customerKeys.prefetch(customer) }
        guard !email.isEmpty, lowercaseASCII(email) else { return nil }
        return keyScratch.withUnsafeBufferPointer { customerKeys.prefetch($0) }
    }

    /// Puts `email` lower-cased into `keyScratch` and returns true when it is ASCII (its key is then just that);
    /// false (and `keyScratch` undefined) when it is not.
    @inline(__always)
    private mutating func lowercaseASCII(_ email: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in email where b >= 0x80 { return false }
        keyScratch.removeAll(keepingCapacity: true)
        for b in email { keyScratch.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        return true
    }

    /// Interns an optional identifier-like field (-1 when empty).
    @inline(__always)
    static func internOptional(_ b: UnsafeBufferPointer<UInt8>, _ interner: inout ByteInterner) -> Int32 {
        b.isEmpty ? -1 : interner.intern(b)
    }
}

/// Column indices by lower-cased header name.
struct ColumnMap {
    let lowercasedIndex: [String: Int]
    /// The index of the column named `key` (lower-case), or -1.
    subscript(_ key: String) -> Int { lowercasedIndex[key] ?? -1 }
}

/// What one import may hold, so that every sum a report takes over the orders stays far inside 64 bits.
enum Limits {
    /// The most a line's quantity (or returned quantity) may be: the engine keeps quantities in 32 bits.
    static let maxQuantity: Int64 = 1_000_000_000
    /// The most the order totals of one import, and its line amounts (quantity × unit price), may each add up
    /// to, in minor units: 10^17, about 1/92 of `Int64.max`, so many imports of this size still add up safely.
    static let maxSum: Int64 = 100_000_000_000_000_000
    /// The most columns an order file's header may have (a Shopify export has about 80).
    static let maxColumns = 1000

    /// `maxSum` in `currency`'s major units, e.g. `1000000000000000.00 DKK`.
    static func maxSumText(_ currency: Currency) -> String {
        Money.decimalString(maxSum, digits: currency.minorDigits) + " " + currency.code
    }
}
