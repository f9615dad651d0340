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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerSize + 64 + byteCount + 64 * 32)
        write { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Hands the bytes of `serialized()` to `sink` piece by piece (the header, then each column straight from
    /// its array), so that a large snapshot is written to a file without a second copy of it in memory. The
    /// columns are walked twice: once for the payload's length and checksum, which the header holds, then to
    /// hand them over.
    public func write(to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let version = Array(sourceVersion.utf8)
        let paddedVersion = version + [UInt8](repeating: 0, count: Writer.padding(version.count))
        var hash = XXHash64.Streaming()
        var payloadLength = 0
        try payloadChunks { hash.update($0); payloadLength += $0.count }
        var header = [UInt8]()
        header.reserveCapacity(Self.headerSize)
        header += Self.magic
        Writer.put(Self.formatVersion, into: &header)
        Writer.put(UInt32(truncatingIfNeeded: version.count), into: &header)
        Writer.put(UInt32(0), into: &header)
        Writer.put(UInt64(payloadLength), into: &header)
        Writer.put(hash.finish(), into: &header)
        Writer.put(XXHash64.hash(header + paddedVersion), into: &header)
        try (header + paddedVersion).withUnsafeBytes { try sink($0) }
        try payloadChunks(sink)
    }

    /// Convenience for `write(to:)` with a sink that cannot fail.
    func write(_ sink: (UnsafeRawBufferPointer) -> Void) {
        // The sink cannot fail, and nothing else in `write(to:)` throws.
        try! write(to: { sink($0) })
    }

    /// The payload, in file order: each column as its element count, its elements and zero padding to a
    /// multiple of 8 bytes.
    private func payloadChunks(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let zeros = [UInt8](repeating: 0, count: 8)
        func u64(_ v: UInt64) throws {
            let le = v.littleEndian
            try withUnsafeBytes(of: le) { try body($0) }
        }
        func array<T: FixedWidthInteger>(_ a: ContiguousArray<T>) throws {
            try u64(UInt64(a.count))
            #if !_endian(little)
            #error("the snapshot format is little-endian; big-endian hosts are not supported")
            #endif
            try a.withUnsafeBytes { try body($0) }
            let pad = Writer.padding(a.count * MemoryLayout<T>.size)
            if pad > 0 {
                try zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<pad])) }
            }
        }
        func table(_ t: StringTable) throws {
            try array(t.bytes)
            try array(t.offsets)
        }
        try array(ContiguousArray(timeZone.utf8))
        try array(ContiguousArray(currencyCode.utf8))
        try u64(UInt64(identifiedOrderCount))
        try array(orderInstant); try array(orderTotal); try array(orderRefunded); try array(orderCustomer)
        try array(orderDay); try array(orderMonth); try array(orderUTCOffset); try array(orderEmail)
        try array(orderCountry); try array(orderCurrency); try array(orderLineStart); try table(orderIds)
        try array(lineProduct); try array(lineQuantity); try array(lineUnitPrice); try array(lineReturnedQuantity)
        try array(customerOrderStart); try table(customerKeys)
        try table(emails); try table(productIds); try table(productNames); try table(countries); try table(currencies)
        try array(cancelledOrderDay)
    }

    /// The source version recorded in a serialized snapshot, reading only its header (to decide cheaply
    /// whether the snapshot is stale). Throws `SnapshotError` when the header is damaged.
    public static func sourceVersion(ofSerialized data: UnsafeRawBufferPointer) throws -> String {
        var source = BufferSource(data: data)
        return try readHeader(&source).sourceVersion
    }

    /// Reads a snapshot written by `serialized()`. A truncated, corrupted or inconsistent buffer throws a
    /// `SnapshotError`; it never traps.
    public init(serialized data: UnsafeRawBufferPointer) throws {
        var source = BufferSource(data: data)
        try self.init(header: try Self.readHeader(&source), source: &source)
    }

    /// Reads a snapshot written by `serialized()` from `source`, each column straight into its array, so that
    /// reading a file needs no more memory than the snapshot itself. When `expecting` is given and the
    /// header records another source version, returns `nil` after reading only the header. A truncated,
    /// corrupted or inconsistent source throws a `SnapshotError` (the checksum is checked as the columns are
    /// read, and no element count is trusted beyond the payload length the header records); it never traps.
    public init?(reading source: inout some SnapshotByteSource, expecting version: String? = nil) throws {
        let header = try Self.readHeader(&source)
        if let version, header.sourceVersion != version { return nil }
        try self.init(header: header, source: &source)
    }

    private init(header: Header, source: inout some SnapshotByteSource) throws {
        var r = Reader(source: source, remaining: header.payloadLength)
        defer { source = r.source }
        self.init(timeZone: try r.string(), currencyCode: try r.string(), sourceVersion: header.sourceVersion)
        let identified = try r.u64()
        orderInstant = try r.array(); orderTotal = try r.array(); orderRefunded = try r.array(); orderCustomer = try r.array()
        orderDay = try r.array(); orderMonth = try r.array(); orderUTCOffset = try r.array(); orderEmail = try r.array()
        orderCountry = try r.array(); orderCurrency = try r.array(); orderLineStart = try r.array(); orderIds = try r.table()
        lineProduct = try r.array(); lineQuantity = try r.array(); lineUnitPrice = try r.array(); lineReturnedQuantity = try r.array()
        customerOrderStart = try r.array(); customerKeys = try r.table()
        emails = try r.table(); productIds = try r.table(); productNames = try r.table(); countries = try r.table(); currencies = try r.table()
        cancelledOrderDay = try r.array()
        guard r.remaining == 0 else { throw Self.malformed("unexpected bytes after the last column") }
        guard r.hash.finish() == header.payloadChecksum else {
            throw SnapshotError(.checksumMismatch, "The snapshot's checksum does not match its content; it will be rebuilt.")
        }
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
        var payloadLength: Int
        var payloadChecksum: UInt64
    }

    /// The longest source version text a header may announce (real ones are under 200 bytes).
    static let maxVersionLength = 1 << 16

    static func readHeader(_ source: inout some SnapshotByteSource) throws -> Header {
        var fixed = [UInt8](repeating: 0, count: headerSize)
        let got = try fixed.withUnsafeMutableBytes { try source.readUpTo($0) }
        guard got >= magic.count, Array(fixed[0..<magic.count]) == magic else {
            throw SnapshotError(.notASnapshot, "The file is not a Clientele snapshot.")
        }
        guard got == headerSize else { throw truncated() }
        func u64(_ at: Int) -> UInt64 {
            fixed.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        }
        let version = fixed.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: 6, as: UInt16.self)) }
        guard version == formatVersion else {
            throw SnapshotError(.unsupportedVersion, "The snapshot has format version \(version); this build reads version \(formatVersion).")
        }
        let versionLength = Int(fixed.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) })
        let paddedLength = versionLength + Writer.padding(versionLength)
        guard versionLength <= maxVersionLength, paddedLength <= source.remaining else { throw truncated() }
        var paddedVersion = [UInt8](repeating: 0, count: paddedLength)
        try paddedVersion.withUnsafeMutableBytes { try source.read(into: $0) }
        guard XXHash64.hash(Array(fixed[0..<32]) + paddedVersion) == u64(32) else {
            throw SnapshotError(.checksumMismatch, "The snapshot's header checksum does not match; it will be rebuilt.")
        }
        let payloadLength = u64(16)
        guard payloadLength == UInt64(source.remaining) else { throw truncated() }
        let text = String(decoding: paddedVersion[0..<versionLength], as: UTF8.self)
        return Header(sourceVersion: text, payloadLength: Int(payloadLength), payloadChecksum: u64(24))
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

    /// Little-endian helpers of the format.
    enum Writer {
        static func padding(_ n: Int) -> Int { (8 - n % 8) % 8 }

        static func put<T: FixedWidthInteger>(_ v: T, into out: inout [UInt8]) {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
    }

    /// Reads little-endian columns from a source, hashing every byte, never reading past the payload length.
    struct Reader<Source: SnapshotByteSource> {
        var source: Source
        var remaining: Int
        var hash = XXHash64.Streaming()

        init(source: Source, remaining: Int) {
            self.source = source
            self.remaining = remaining
        }

        mutating func take(_ buffer: UnsafeMutableRawBufferPointer) throws {
            guard buffer.count <= remaining else { throw ShopSnapshot.truncated() }
            try source.read(into: buffer)
            hash.update(UnsafeRawBufferPointer(buffer))
            remaining -= buffer.count
        }

        mutating func u64() throws -> UInt64 {
            var v: UInt64 = 0
            try withUnsafeMutableBytes(of: &v) { try take($0) }
            return UInt64(littleEndian: v)
        }

        mutating func array<T: FixedWidthInteger>(_: T.Type = T.self) throws -> ContiguousArray<T> {
            let count = try u64()
            let size = MemoryLayout<T>.size
            // The count is not yet covered by a verified checksum: it is trusted only as far as the bytes left.
            guard count <= UInt64(remaining) / UInt64(size) else { throw ShopSnapshot.truncated() }
            let n = Int(count)
            let byteLength = n * size
            let pad = Writer.padding(byteLength)
            guard byteLength + pad <= remaining else { throw ShopSnapshot.truncated() }
            let result = try ContiguousArray<T>(unsafeUninitializedCapacity: n) { buffer, initialized in
                // Read straight into the array; on a failed read nothing counts as initialised.
                try take(UnsafeMutableRawBufferPointer(buffer))
                initialized = n
            }
            if pad > 0 {
                var skipped: UInt64 = 0
                try withUnsafeMutableBytes(of: &skipped) { try take(UnsafeMutableRawBufferPointer(rebasing: $0[0..<pad])) }
            }
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

/// Where the bytes of a serialized snapshot come from when it is read column by column: a file (opened by the
/// store layer, since the core does no I/O) or a buffer in memory.
public protocol SnapshotByteSource {
    /// Bytes not yet read.
    var remaining: Int { get }
    /// Reads up to `buffer.count` bytes into `buffer`, returning how many (fewer only at the end).
    mutating func readUpTo(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension SnapshotByteSource {
    /// Fills `buffer` entirely, or throws `SnapshotError.truncated` when fewer bytes remain.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws {
        guard try readUpTo(buffer) == buffer.count else { throw ShopSnapshot.truncated() }
    }
}

/// A serialized snapshot held in memory.
public struct BufferSource: SnapshotByteSource {
    let data: UnsafeRawBufferPointer
    var offset = 0

    /// Reads `data` from its start.
    public init(data: UnsafeRawBufferPointer) { self.data = data }

    public var remaining: Int { data.count - offset }

    public mutating func readUpTo(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, remaining)
        if n > 0 { buffer.baseAddress!.copyMemory(from: data.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}
