import ClienteleCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes orders as the canonical order-lines CSV of IMPORT.md: one row per line, the order's fields
/// repeated on each, `placed_at` with the shop's UTC offset, amounts in the order's own currency with its
/// minor digits, RFC 4180 quoting. Bytes are built by hand into a buffer and written in ~1 MB chunks.
public struct CanonicalCSVWriter: Sendable {
    /// The header row, without the line break.
    public static let header = "order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country"

    /// The calendar whose UTC offset `placed_at` carries.
    public let calendar: ShopCalendar

    /// A writer that stamps times with `calendar`'s offset.
    public init(calendar: ShopCalendar) { self.calendar = calendar }

    /// Appends the rows of one order (no header) to `buffer`.
    public func append(_ order: Order, to buffer: inout [UInt8]) {
        // The order-level fields are written once, then copied byte by byte before each further line.
        let headStart = buffer.count
        CanonicalCSVWriter.appendField(order.id, to: &buffer)
        buffer.append(44)
        appendTimestamp(order.placedAt.seconds, to: &buffer)
        buffer.append(44)
        if let c = order.customerId { CanonicalCSVWriter.appendField(c, to: &buffer) }
        buffer.append(44)
        if let e = order.email { CanonicalCSVWriter.appendField(e, to: &buffer) }
        buffer.append(44)
        buffer.append(contentsOf: order.status == .cancelled ? CanonicalCSVWriter.cancelled : CanonicalCSVWriter.placed)
        buffer.append(44)
        CanonicalCSVWriter.appendField(order.currency.code, to: &buffer)
        buffer.append(44)
        let digits = order.currency.minorDigits
        CanonicalCSVWriter.appendDecimal(order.total, digits: digits, to: &buffer)
        buffer.append(44)
        CanonicalCSVWriter.appendDecimal(order.refunded, digits: digits, to: &buffer)
        buffer.append(44)
        let headEnd = buffer.count
        for (k, line) in order.lines.enumerated() {
            if k > 0 {
                for i in headStart..<headEnd { buffer.append(buffer[i]) }
            }
            CanonicalCSVWriter.appendField(line.productId, to: &buffer)
            buffer.append(44)
            CanonicalCSVWriter.appendField(line.productName, to: &buffer)
            buffer.append(44)
            CanonicalCSVWriter.appendInteger(line.quantity, to: &buffer)
            buffer.append(44)
            CanonicalCSVWriter.appendDecimal(line.unitPrice, digits: digits, to: &buffer)
            buffer.append(44)
            CanonicalCSVWriter.appendInteger(line.returnedQuantity, to: &buffer)
            buffer.append(44)
            if let country = order.country { CanonicalCSVWriter.appendField(country, to: &buffer) }
            buffer.append(10)
        }
        // An order without lines has no row.
        if order.lines.isEmpty { buffer.removeSubrange(headStart...) }
    }

    /// The whole CSV text (header included) of a few orders; for tests and small exports.
    public func text(of orders: some Sequence<Order>) -> String {
        var buffer = Array((CanonicalCSVWriter.header + "\n").utf8)
        for order in orders { append(order, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Creates (or truncates) the file at `path`, writes the header, and hands `produce` a function that
    /// appends an order; the buffer is flushed every ~1 MB and at the end. Returns what `produce` returns.
    ///
    ///     let summary = try writer.write(toPath: "orders.csv") { emit in try shop.generate(emit) }
    @discardableResult
    public func write<Result>(toPath path: String, _ produce: (_ emit: (Order) throws -> Void) throws -> Result) throws -> Result {
        let file = try CSVFile(path: path)
        defer { file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(CanonicalCSVWriter.chunk + 64 * 1024)
        buffer.append(contentsOf: (CanonicalCSVWriter.header + "\n").utf8)
        let result = try produce { order in
            append(order, to: &buffer)
            if buffer.count >= CanonicalCSVWriter.chunk {
                try file.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(buffer)
        try file.flush()
        return result
    }

    /// The rate table text `currency,rate` (header included), one row per rate, e.g. `EUR,7.46`.
    public static func rateTable(_ rates: [ExchangeRate]) -> String {
        var text = "currency,rate\n"
        for rate in rates { text += "\(rate.currency.code),\(rate.description)\n" }
        return text
    }

    /// Writes the rate table of `rates` to `path` (see `rateTable`).
    public static func writeRateTable(_ rates: [ExchangeRate], toPath path: String) throws {
        let file = try CSVFile(path: path)
        defer { file.close() }
        try file.write(Array(rateTable(rates).utf8))
        try file.flush()
    }

    // MARK: - Encoding

    static let chunk = 1 << 20
    private static let placed = Array("placed".utf8)
    private static let cancelled = Array("cancelled".utf8)

    /// Appends a text field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
    static func appendField(_ field: String, to buffer: inout [UInt8]) {
        let done: Bool? = field.utf8.withContiguousStorageIfAvailable { bytes in
            appendField(bytes, to: &buffer)
            return true
        }
        if done == nil { appendField(Array(field.utf8), to: &buffer) }
    }

    private static func appendField(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendField($0, to: &buffer) }
    }

    @inline(__always)
    private static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var plain = true
        for byte in bytes where byte == 44 || byte == 34 || byte == 10 || byte == 13 {
            plain = false
            break
        }
        if plain {
            buffer.append(contentsOf: bytes)
            return
        }
        buffer.append(34)
        for byte in bytes {
            if byte == 34 { buffer.append(34) }
            buffer.append(byte)
        }
        buffer.append(34)
    }

    /// Appends an integer in decimal.
    @inline(__always)
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(45) }
        appendUnsigned(value.magnitude, minimumDigits: 1, to: &buffer)
    }

    /// Appends the digits of `value`, left-padded with zeros to `minimumDigits`.
    @inline(__always)
    static func appendUnsigned(_ value: UInt64, minimumDigits: Int, to buffer: inout [UInt8]) {
        let start = buffer.count
        var v = value
        var written = 0
        repeat {
            buffer.append(UInt8(48 + v % 10))
            v /= 10
            written += 1
        } while v > 0 || written < minimumDigits
        buffer[start...].reverse()
    }

    /// Appends minor units as a plain decimal with `digits` fraction digits (as `Money.decimalString`).
    static func appendDecimal(_ minor: Int64, digits: Int, to buffer: inout [UInt8]) {
        if digits == 0 { appendInteger(minor, to: &buffer); return }
        if minor < 0 { buffer.append(45) }
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = minor.magnitude
        appendUnsigned(magnitude / scale, minimumDigits: 1, to: &buffer)
        buffer.append(46)
        appendUnsigned(magnitude % scale, minimumDigits: digits, to: &buffer)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS±HH:MM` in the shop's offset (as `ShopCalendar.iso8601`).
    func appendTimestamp(_ seconds: Int64, to buffer: inout [UInt8]) {
        let offset = calendar.offset(at: seconds)
        let local = seconds + Int64(offset)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let c = ShopDate.civil(fromDays: days)
        guard (0...9999).contains(c.year) else {
            buffer.append(contentsOf: calendar.iso8601(Instant(seconds: seconds)).utf8)
            return
        }
        let secondOfDay = UInt64(local - Int64(days) * 86_400)
        CanonicalCSVWriter.appendUnsigned(UInt64(c.year), minimumDigits: 4, to: &buffer)
        buffer.append(45)
        CanonicalCSVWriter.appendUnsigned(UInt64(c.month), minimumDigits: 2, to: &buffer)
        buffer.append(45)
        CanonicalCSVWriter.appendUnsigned(UInt64(c.day), minimumDigits: 2, to: &buffer)
        buffer.append(84)
        CanonicalCSVWriter.appendUnsigned(secondOfDay / 3600, minimumDigits: 2, to: &buffer)
        buffer.append(58)
        CanonicalCSVWriter.appendUnsigned(secondOfDay / 60 % 60, minimumDigits: 2, to: &buffer)
        buffer.append(58)
        CanonicalCSVWriter.appendUnsigned(secondOfDay % 60, minimumDigits: 2, to: &buffer)
        buffer.append(offset < 0 ? 45 : 43)
        let a = UInt64(abs(offset))
        CanonicalCSVWriter.appendUnsigned(a / 3600, minimumDigits: 2, to: &buffer)
        buffer.append(58)
        CanonicalCSVWriter.appendUnsigned(a / 60 % 60, minimumDigits: 2, to: &buffer)
    }
}

/// A file opened for writing with the C library; closed by its owner.
private struct CSVFile {
    let path: String
    let handle: UnsafeMutablePointer<FILE>

    init(path: String) throws {
        guard let handle = fopen(path, "wb") else {
            throw DemoError(code: .cannotOpen, description: "cannot open \(path) for writing: \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if written != bytes.count {
            throw DemoError(code: .writeFailed, description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    func flush() throws {
        if fflush(handle) != 0 {
            throw DemoError(code: .writeFailed, description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    func close() { fclose(handle) }
}
