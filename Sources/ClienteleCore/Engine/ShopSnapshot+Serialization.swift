/// The snapshot's binary file format (all integers little-endian):
///
/// ```
/// 0   6  magic "CLSNAP"
/// 6   2  format version (UInt16)
/// 8   4  byte length L of the source version text (UInt32)
/// 12  4  reserved, 0
/// 16  8  payload length (UInt64)
/// 24  8  XXH64 of the payload
/// 32  8  XXH64 of bytes 0..<32 followed by the source version text
/// 40  L  source version text (UTF-8), zero-padded to a multiple of 8
/// …      payload: each column as a UInt64 element count, its elements, zero padding to a multiple of 8
/// ```
extension ShopSnapshot {
    /// The format version this build writes and reads.
    public static let formatVersion: UInt16 = 1
    static let magic: [UInt8] = Array("CLSNAP".utf8)
    static let headerSize = 40

    /// The snapshot as bytes, versioned and checksummed, for writing beside the database.
    public func serialized() -> [UInt8] {
        let version = Array(sourceVersion.utf8)
        let paddedVersion = version + [UInt8](repeating: 0, count: Writer.padding(version.count))
        let payloadStart = Self.headerSize + paddedVersion.count
        var w = Writer()
        w.reserve(payloadStart + byteCount + 64 * 32)
        // The header is patched in once the payload and its checksum are known.
        w.bytes += [UInt8](repeating: 0, count: Self.headerSize)
        w.bytes += paddedVersion
        w.string(timeZone)
        w.string(currencyCode)
        w.u64(UInt64(identifiedOrderCount))
        w.array(orderInstant); w.array(orderTotal); w.array(orderRefunded); w.array(orderCustomer)
        w.array(orderDay); w.array(orderMonth); w.array(orderUTCOffset); w.array(orderEmail)
        w.array(orderCountry); w.array(orderCurrency); w.array(orderLineStart); w.table(orderIds)
        w.array(lineProduct); w.array(lineQuantity); w.array(lineUnitPrice); w.array(lineReturnedQuantity)
        w.array(customerOrderStart); w.table(customerKeys)
        w.table(emails); w.table(productIds); w.table(productNames); w.table(countries); w.table(currencies)
        w.array(cancelledOrderDay)
        var bytes = w.bytes
        let payloadChecksum = bytes.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[payloadStart...])) }

        var header = [UInt8]()
        header.reserveCapacity(Self.headerSize)
        header += Self.magic
        Writer.put(Self.formatVersion, into: &header)
        Writer.put(UInt32(truncatingIfNeeded: version.count), into: &header)
        Writer.put(UInt32(0), into: &header)
        Writer.put(UInt64(bytes.count - payloadStart), into: &header)
        Writer.put(payloadChecksum, into: &header)
        Writer.put(XXHash64.hash(header + paddedVersion), into: &header)
        bytes.replaceSubrange(0..<Self.headerSize, with: header)
        return bytes
    }

    /// The source version recorded in a serialized snapshot, reading only its header (to decide cheaply
    /// whether the snapshot is stale). Throws `SnapshotError` when the header is damaged.
    public static func sourceVersion(ofSerialized data: UnsafeRawBufferPointer) throws -> String {
        try readHeader(data).sourceVersion
    }

    /// Reads a snapshot written by `serialized()`. A truncated, corrupted or inconsistent buffer throws a
    /// `SnapshotError`; it never traps.
    public init(serialized data: UnsafeRawBufferPointer) throws {
        let header = try Self.readHeader(data)
        let payload = UnsafeRawBufferPointer(rebasing: data[header.payloadStart...])
        guard XXHash64.hash(payload) == header.payloadChecksum else {
            throw SnapshotError(.checksumMismatch, "The snapshot's checksum does not match its content; it will be rebuilt.")
        }
        var r = Reader(data: payload)
        self.init(timeZone: try r.string(), currencyCode: try r.string(), sourceVersion: header.sourceVersion)
        let identified = try r.u64()
        orderInstant = try r.array(); orderTotal = try r.array(); orderRefunded = try r.array(); orderCustomer = try r.array()
        orderDay = try r.array(); orderMonth = try r.array(); orderUTCOffset = try r.array(); orderEmail = try r.array()
        orderCountry = try r.array(); orderCurrency = try r.array(); orderLineStart = try r.array(); orderIds = try r.table()
        lineProduct = try r.array(); lineQuantity = try r.array(); lineUnitPrice = try r.array(); lineReturnedQuantity = try r.array()
        customerOrderStart = try r.array(); customerKeys = try r.table()
        emails = try r.table(); productIds = try r.table(); productNames = try r.table(); countries = try r.table(); currencies = try r.table()
        cancelledOrderDay = try r.array()
        guard r.offset == payload.count else { throw Self.malformed("unexpected bytes after the last column") }
        guard identified <= UInt64(orderInstant.count) else { throw Self.malformed("identified order count") }
        identifiedOrderCount = Int(identified)
        try validate()
    }

    /// Convenience: reads a snapshot from a byte array.
    public init(serialized bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try ShopSnapshot(serialized: $0) }
    }

    struct Header {
        var sourceVersion: String
        var payloadStart: Int
        var payloadChecksum: UInt64
    }

    static func readHeader(_ data: UnsafeRawBufferPointer) throws -> Header {
        guard data.count >= magic.count, Array(data[0..<magic.count]) == magic else {
            throw SnapshotError(.notASnapshot, "The file is not a Clientele snapshot.")
        }
        guard data.count >= headerSize else { throw truncated() }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: data.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let version = UInt16(littleEndian: data.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        guard version == formatVersion else {
            throw SnapshotError(.unsupportedVersion, "The snapshot has format version \(version); this build reads version \(formatVersion).")
        }
        let versionLength = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        let payloadLength = u64(16)
        let versionEnd = headerSize + versionLength
        let payloadStart = versionEnd + Writer.padding(versionLength)
        guard payloadStart <= data.count else { throw truncated() }
        var checked = Array(data[0..<32])
        checked += data[headerSize..<payloadStart]
        guard XXHash64.hash(checked) == u64(32) else {
            throw SnapshotError(.checksumMismatch, "The snapshot's header checksum does not match; it will be rebuilt.")
        }
        guard payloadLength == UInt64(data.count - payloadStart) else { throw truncated() }
        let text = String(decoding: data[headerSize..<versionEnd], as: UTF8.self)
        return Header(sourceVersion: text, payloadStart: payloadStart, payloadChecksum: u64(24))
    }

    static func truncated() -> SnapshotError {
        SnapshotError(.truncated, "The snapshot is truncated; it will be rebuilt.")
    }

    static func malformed(_ what: String) -> SnapshotError {
        SnapshotError(.malformed, "The snapshot is inconsistent (\(what)); it will be rebuilt.")
    }

    /// Checks every count, offset and id against the columns it indexes, so no report can index out of range.
    func validate() throws {
        let n = orderInstant.count
        for c in [orderTotal.count, orderRefunded.count, orderCustomer.count, orderDay.count, orderMonth.count,
                  orderUTCOffset.count, orderEmail.count, orderCountry.count, orderCurrency.count, orderIds.count] where c != n {
            throw Self.malformed("order column lengths")
        }
        let lines = lineProduct.count
        guard lineQuantity.count == lines, lineUnitPrice.count == lines, lineReturnedQuantity.count == lines else {
            throw Self.malformed("line column lengths")
        }
        for t in [orderIds, customerKeys, emails, productIds, productNames, countries, currencies] where !t.isWellFormed {
            throw Self.malformed("string table offsets")
        }
        guard productNames.count == productIds.count else { throw Self.malformed("product names") }
        guard Self.isCover(orderLineStart, count: n, total: lines) else { throw Self.malformed("order line ranges") }
        let customers = customerKeys.count
        guard Self.isCover(customerOrderStart, count: customers, total: identifiedOrderCount) else {
            throw Self.malformed("customer order ranges")
        }
        let ok: Bool = orderCustomer.withUnsafeBufferPointer { oc in
            orderInstant.withUnsafeBufferPointer { inst in
                customerOrderStart.withUnsafeBufferPointer { start in
                    for c in 0..<customers {
                        let lo = Int(start[c]), hi = Int(start[c + 1])
                        for i in lo..<hi {
                            if oc[i] != Int32(truncatingIfNeeded: c) { return false }
                            if i > lo && inst[i] < inst[i - 1] { return false }
                        }
                    }
                    for i in identifiedOrderCount..<n where oc[i] != -1 { return false }
                    return true
                }
            }
        }
        guard ok else { throw Self.malformed("order customers") }
        guard Self.allIn(orderEmail, -1, emails.count), Self.allIn(orderCountry, -1, countries.count),
              Self.allIn(lineProduct, 0, productIds.count) else { throw Self.malformed("interned ids") }
        guard orderCurrency.allSatisfy({ Int($0) < currencies.count }) else { throw Self.malformed("currency ids") }
    }

    /// Whether `starts` has `count + 1` non-decreasing entries from 0 to `total`.
    static func isCover(_ starts: ContiguousArray<UInt32>, count: Int, total: Int) -> Bool {
        guard starts.count == count + 1, starts[0] == 0, Int(starts[count]) == total else { return false }
        return starts.withUnsafeBufferPointer { s in
            for i in 1..<s.count where s[i] < s[i - 1] { return false }
            return true
        }
    }

    /// Whether every element lies in `lower ..< upper`.
    static func allIn(_ a: ContiguousArray<Int32>, _ lower: Int32, _ upper: Int) -> Bool {
        let hi = Int64(upper)
        return a.withUnsafeBufferPointer { p in
            for v in p where v < lower || Int64(v) >= hi { return false }
            return true
        }
    }

    /// Appends little-endian columns to a byte buffer.
    struct Writer {
        var bytes: [UInt8] = []

        static func padding(_ n: Int) -> Int { (8 - n % 8) % 8 }

        static func put<T: FixedWidthInteger>(_ v: T, into out: inout [UInt8]) {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }

        mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }
        mutating func u64(_ v: UInt64) { Self.put(v, into: &bytes) }

        mutating func array<T: FixedWidthInteger>(_ a: ContiguousArray<T>) {
            u64(UInt64(a.count))
            #if _endian(little)
            a.withUnsafeBytes { bytes.append(contentsOf: $0) }
            #else
            for v in a { Self.put(v, into: &bytes) }
            #endif
            bytes.append(contentsOf: repeatElement(0, count: Self.padding(a.count * MemoryLayout<T>.size)))
        }

        mutating func table(_ t: StringTable) {
            array(t.bytes)
            array(t.offsets)
        }

        mutating func string(_ s: String) { array(ContiguousArray(s.utf8)) }
    }

    /// Reads little-endian columns from a byte buffer, throwing instead of reading past its end.
    struct Reader {
        let data: UnsafeRawBufferPointer
        var offset = 0

        mutating func u64() throws -> UInt64 {
            guard data.count - offset >= 8 else { throw ShopSnapshot.truncated() }
            let v = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            return v
        }

        mutating func array<T: FixedWidthInteger>(_: T.Type = T.self) throws -> ContiguousArray<T> {
            let count = try u64()
            let size = MemoryLayout<T>.size
            guard count <= UInt64(data.count - offset) / UInt64(size) else { throw ShopSnapshot.truncated() }
            let n = Int(count)
            let byteLength = n * size
            let padded = byteLength + Writer.padding(byteLength)
            guard padded <= data.count - offset else { throw ShopSnapshot.truncated() }
            let start = offset
            let result = ContiguousArray<T>(unsafeUninitializedCapacity: n) { buffer, initialized in
                #if _endian(little)
                if n > 0 {
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: data[start..<(start + byteLength)]))
                }
                #else
                for i in 0..<n {
                    buffer[i] = T(littleEndian: data.loadUnaligned(fromByteOffset: start + i * size, as: T.self))
                }
                #endif
                initialized = n
            }
            offset += padded
            return result
        }

        mutating func table() throws -> StringTable {
            let bytes: ContiguousArray<UInt8> = try array()
            let offsets: ContiguousArray<UInt32> = try array()
            guard !offsets.isEmpty else { throw ShopSnapshot.malformed("empty string table offsets") }
            return StringTable(bytes: bytes, offsets: offsets)
        }

        mutating func string() throws -> String {
            let bytes: ContiguousArray<UInt8> = try array()
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
