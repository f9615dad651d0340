import ClienteleCore
import ClienteleSQLite
import ClienteleStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ClienteleServer

/// The upload tests run against a SQLite shop in a temporary folder holding `ServerFixture.orders` (8 orders,
/// DKK, UTC), served with a revision check only once a minute (so a page seeing an upload proves the upload
/// expired the check itself).
enum ImportFixture {
    static let header = "order_id,placed_at,customer_id,email,status,currency,order_total,product_id,product_name,quantity,unit_price"
    /// Two new orders: n1 by a new customer c9, n2 by c1.
    static let good = """
        \(header)
        n1,2025-08-01T10:00:00Z,c9,new@example.dk,placed,DKK,100.00,P9,New thing,1,100.00
        n2,2025-08-02T10:00:00Z,c1,ann@example.dk,placed,DKK,50.00,P1,Product P1,1,50.00

        """
    /// Line 3's quantity is not a number (and is markup); line 4's currency is not a code.
    static let broken = """
        \(header)
        n1,2025-08-01T10:00:00Z,c9,new@example.dk,placed,DKK,100.00,P9,New thing,1,100.00
        n3,2025-08-03T10:00:00Z,c9,new@example.dk,placed,DKK,100.00,P9,New thing,<b>two</b>,100.00
        n4,2025-08-04T10:00:00Z,c9,new@example.dk,placed,XX1,100.00,P9,New thing,1,100.00

        """

    /// Runs `body` with a client, the store and the service over a fresh SQLite shop (`empty`: no orders).
    static func withShop(empty: Bool = false,
                         _ body: @escaping @Sendable (any TestClientProtocol, SQLiteOrderStore, ShopService) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-import-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteOrderStore(path: folder.appendingPathComponent("shop.sqlite").path)
        try await store.saveSettings(ShopSettings(name: "Upload & Co", timeZone: "UTC", currency: empty ? nil : "DKK"))
        if !empty { _ = try await store.replaceOrders(ServerFixture.orders) }
        let service = ShopService(store: store, cachePath: nil, revisionCheckSeconds: 60, now: { ServerFixture.now })
        let app = Application(router: ClienteleServer.router(service: service))
        try await app.test(.router) { client in try await body(client, store, service) }
    }

    static let boundary = "----clienteleTestBoundary7MA4YWxk"

    /// A multipart/form-data body of `parts` (a file part when it has a file name).
    static func multipart(_ parts: [(name: String, filename: String?, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for p in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(p.name)\""
            if let f = p.filename { head += "; filename=\"\(f)\"\r\nContent-Type: text/csv" }
            head += "\r\n\r\n"
            out += Array(head.utf8) + p.bytes + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    /// POSTs `body` to `uri` with `contentType`: status, content type, body.
    static func post(_ client: any TestClientProtocol, _ uri: String, contentType: String, _ body: [UInt8],
                     headers extra: HTTPFields = [:]) async throws -> (HTTPResponse.Status, String, String) {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
            (response.status, response.headers[.contentType] ?? "", String(buffer: response.body))
        }
    }

    /// POSTs `csv` as the form's file to `/import`.
    static func upload(_ client: any TestClientProtocol, _ csv: String, name: String = "orders.csv",
                       extra: [(name: String, filename: String?, bytes: [UInt8])] = []) async throws -> (HTTPResponse.Status, String, String) {
        try await post(client, "/import", contentType: "multipart/form-data; boundary=\(boundary)",
                       multipart([("file", name, Array(csv.utf8))] + extra))
    }

    /// A gzip stream (RFC 1952) whose one fixed-Huffman deflate block (RFC 1951) expands to `size` zero bytes: a
    /// literal 0, then back-references of length 258 at distance 1 (13 bits each): 1 GiB from 6.8 MB. The CRC in
    /// the trailer is left 0: nothing here is ever meant to be unpacked.
    static func gzipOfZeros(size: Int) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]
        var bits: UInt64 = 0, count = 0
        func put(_ value: UInt64, _ n: Int) {   // LSB first
            bits |= value << UInt64(count)
            count += n
            while count >= 8 { out.append(UInt8(bits & 0xFF)); bits >>= 8; count -= 8 }
        }
        func code(_ c: UInt64, _ n: Int) {      // Huffman codes go MSB first
            var r: UInt64 = 0
            for i in 0..<n where c & (1 << UInt64(i)) != 0 { r |= 1 << UInt64(n - 1 - i) }
            put(r, n)
        }
        put(1, 1); put(1, 2)                    // final block, fixed Huffman
        code(0b0011_0000, 8)                    // literal 0
        var left = size - 1
        while left >= 258 { code(0b1100_0101, 8); code(0, 5); left -= 258 }   // length 258 (code 285), distance 1
        for _ in 0..<left { code(0b0011_0000, 8) }
        code(0, 7)                              // end of block
        if count > 0 { put(0, 8 - count) }
        out += [0, 0, 0, 0]
        let isize = UInt32(truncatingIfNeeded: size)
        out += [UInt8(isize & 0xFF), UInt8(isize >> 8 & 0xFF), UInt8(isize >> 16 & 0xFF), UInt8(isize >> 24)]
        return out
    }
}

@Test func theImportPageShowsTheUploadForm() async throws {
    try await ImportFixture.withShop { client, _, _ in
        let (status, type, page) = try await ServerFixture.get(client, "/import")
        #expect(status == .ok)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains(#"<a href="/import" aria-current="page">Import</a>"#))
        #expect(page.contains("enctype=\"multipart/form-data\""))
        #expect(page.contains("<label for=\"file\">") && page.contains("id=\"file\" name=\"file\" type=\"file\""))
        #expect(page.contains("<select id=\"format\" name=\"format\">"))
        #expect(page.contains("The shop holds 8 orders"))
        #expect(page.contains("Upload &amp; Co"))
    }
}

@Test func aGoodUploadImportsItAndTheOtherPagesSeeTheNewOrders() async throws {
    try await ImportFixture.withShop { client, store, service in
        let before = try await service.current()
        let (status, type, page) = try await ImportFixture.upload(client, ImportFixture.good)
        #expect(status == .ok, "\(page)")
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("2 inserted, 0 replaced, 0 unchanged."))
        #expect(page.contains("orders.csv: canonical order lines, 2 orders, 2 lines"))
        #expect(try await store.counts().orders == 10)
        // The next request loads the new orders at once (the revision check is otherwise once a minute).
        let after = try await service.current()
        #expect(after.revision != before.revision)
        #expect(after.snapshot.orderCount == before.snapshot.orderCount + 2)
        let (_, _, customers) = try await ServerFixture.get(client, "/api/v1/customers?from=2025-01-01&to=2025-12-31&asOf=2025-12-31")
        let period = Period(from: ShopDate(iso: "2025-01-01")!, through: ShopDate(iso: "2025-12-31")!)
        let expected = CustomerStatistics.compute(snapshot: after.snapshot, period: period, asOf: ShopDate(iso: "2025-12-31")!, top: 20,
                                                  comparison: nil, thresholds: after.settings.thresholds, currency: after.currency, timeZone: "UTC")
        #expect(customers == expected.json())
        #expect(expected.summary.uniqueCustomers == 5)   // c1…c4 and the new c9

        // The same file again changes nothing.
        let checksum = try await store.contentChecksum()
        let (again, _, againPage) = try await ImportFixture.upload(client, ImportFixture.good)
        #expect(again == .ok)
        #expect(againPage.contains("0 inserted, 0 replaced, 2 unchanged."))
        #expect(try await store.contentChecksum() == checksum)
    }
}

@Test func aBrokenUploadListsEveryErrorWithItsLineAndChangesNothing() async throws {
    try await ImportFixture.withShop { client, store, _ in
        let checksum = try await store.contentChecksum()
        let (status, type, page) = try await ImportFixture.upload(client, ImportFixture.broken, name: "may<script>.csv")
        #expect(status == .unprocessableContent)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("The file has 2 errors; nothing was imported: the shop is unchanged."))
        #expect(BehaviourFixture.count("<tr class=\"import-error\">", in: page) == 2)
        #expect(page.contains("<td>may&lt;script&gt;.csv</td><td class=\"num\">3</td><td>quantity</td><td><code>&lt;b&gt;two&lt;/b&gt;</code></td>"))
        #expect(page.contains("<td class=\"num\">4</td><td>currency</td>"))
        #expect(!page.contains("<b>two</b>") && !page.contains("may<script>"))
        #expect(!page.contains("clientele-upload-"))   // the temporary file's path never shows
        #expect(try await store.contentChecksum() == checksum)
        #expect(try await store.counts().orders == 8)
    }
}

@Test func theAPIImportTakesTheRawFileAndAnswersInJSON() async throws {
    try await ImportFixture.withShop { client, store, _ in
        let checksum = try await store.contentChecksum()
        let (bad, badType, badBody) = try await ImportFixture.post(client, "/api/v1/import?filename=orders.csv", contentType: "text/csv",
                                                                   Array(ImportFixture.broken.utf8))
        #expect(bad == .unprocessableContent)
        #expect(badType.hasPrefix("application/json"))
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(badBody.utf8)) as? [String: Any])
        let errors = try #require(failure["errors"] as? [[String: Any]])
        #expect(errors.count == 2)
        #expect(errors[0]["line"] as? Int == 3 && errors[0]["column"] as? String == "quantity" && errors[0]["file"] as? String == "orders.csv")
        #expect((failure["error"] as? String)?.contains("nothing was imported") == true)
        #expect(try await store.contentChecksum() == checksum)

        let (status, type, body) = try await ImportFixture.post(client, "/api/v1/import?filename=orders.csv", contentType: "text/csv",
                                                                Array(ImportFixture.good.utf8))
        #expect(status == .ok && type.hasPrefix("application/json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(summary["orders"] as? Int == 2)
        #expect((summary["stored"] as? [String: Any])?["inserted"] as? Int == 2)
        #expect(try await store.counts().orders == 10)

        // curl -F file=@orders.csv works on the API route too (multipart), and the second time nothing changes.
        let (multi, _, multiBody) = try await ImportFixture.post(client, "/api/v1/import", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                                 ImportFixture.multipart([("file", "orders.csv", Array(ImportFixture.good.utf8))]))
        #expect(multi == .ok)
        #expect(multiBody.contains("\"unchanged\":2") || multiBody.contains("\"unchanged\": 2"))
    }
}

@Test func aCompressedOrBinaryUploadIsRefusedWithoutUnpackingIt() async throws {
    let bomb = ImportFixture.gzipOfZeros(size: 1 << 30)
    #expect(bomb.count < 8_000_000)
    try await ImportFixture.withShop { client, store, _ in
        let checksum = try await store.contentChecksum()
        let (status, type, page) = try await ImportFixture.post(client, "/import", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                                ImportFixture.multipart([("file", "orders.csv.gz", bomb)]))
        #expect(status == .unprocessableContent)
        #expect(type.hasPrefix("text/html"))
        #expect(page.contains("orders.csv.gz is a gzip-compressed file, not a CSV text file"))
        let (apiStatus, _, body) = try await ImportFixture.post(client, "/api/v1/import?filename=orders.csv.gz", contentType: "application/gzip", bomb)
        #expect(apiStatus == .unprocessableContent)
        #expect(body.contains("gzip-compressed"))
        let xlsx: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 100)
        let (zipStatus, _, zipBody) = try await ImportFixture.post(client, "/api/v1/import?filename=orders.xlsx", contentType: "application/zip", xlsx)
        #expect(zipStatus == .unprocessableContent && zipBody.contains("Excel workbook"))
        let binary = Array(ImportFixture.header.utf8) + [0x0A, 0x00, 0x01, 0x02]
        let (nulStatus, _, nulBody) = try await ImportFixture.post(client, "/api/v1/import", contentType: "application/octet-stream", binary)
        #expect(nulStatus == .unprocessableContent && nulBody.contains("NUL bytes"))
        #expect(try await store.contentChecksum() == checksum)
    }
}

@Test func anUploadOverTheLimitGets413() async throws {
    try await ImportFixture.withShop { client, store, _ in
        let big = [UInt8](repeating: 0x41, count: ClienteleServer.maxBodyBytes + 1)
        let (status, type, body) = try await ImportFixture.post(client, "/api/v1/import", contentType: "text/csv", big)
        #expect(status == .contentTooLarge)
        #expect(type.hasPrefix("application/json"))
        #expect(body.contains("larger than 64 MiB"))
        let (pageStatus, pageType, page) = try await ImportFixture.post(client, "/import", contentType: "multipart/form-data; boundary=x", big)
        #expect(pageStatus == .contentTooLarge)
        #expect(pageType.hasPrefix("text/html"))
        #expect(page.contains("larger than 64 MiB"))
        #expect(try await store.counts().orders == 8)
    }
}

@Test func malformedUploadsGet400AndCrossSiteFormsGet403() async throws {
    try await ImportFixture.withShop { client, store, _ in
        let checksum = try await store.contentChecksum()
        // No closing boundary.
        let (s1, _, b1) = try await ImportFixture.post(client, "/import", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                       Array("--\(ImportFixture.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc".utf8))
        #expect(s1 == .badRequest && b1.contains("not a well-formed multipart/form-data body"))
        // A form without the file.
        let (s2, _, b2) = try await ImportFixture.post(client, "/import", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                       ImportFixture.multipart([("format", nil, Array("auto".utf8))]))
        #expect(s2 == .badRequest && b2.contains("The upload has no file"))
        // Not multipart at all.
        let (s3, _, _) = try await ImportFixture.post(client, "/import", contentType: "application/x-www-form-urlencoded", Array("file=x".utf8))
        #expect(s3 == .badRequest)
        // An unknown format or encoding.
        let (s4, _, b4) = try await ImportFixture.upload(client, ImportFixture.good, extra: [("format", nil, Array("woocommerce".utf8))])
        #expect(s4 == .badRequest && b4.contains("format &quot;woocommerce&quot; is not one of: auto, canonical, shopify."))
        let (s5, _, b5) = try await ImportFixture.post(client, "/api/v1/import?encoding=ebcdic", contentType: "text/csv", Array(ImportFixture.good.utf8))
        #expect(s5 == .badRequest && b5.contains("encoding \\\"ebcdic\\\" is not one of: utf-8, windows-1252."))
        let (s6, _, b6) = try await ImportFixture.post(client, "/api/v1/import", contentType: "text/csv", [])
        #expect(s6 == .badRequest && b6.contains("The request has no body"))
        // Sent by a page of another site: refused before anything is read.
        let (s7, _, b7) = try await ImportFixture.post(client, "/api/v1/import", contentType: "text/csv", Array(ImportFixture.good.utf8),
                                                       headers: [.origin: "https://evil.example"])
        #expect(s7 == .forbidden && b7.contains("sent from another web site"))
        let (s8, _, _) = try await ImportFixture.post(client, "/import", contentType: "multipart/form-data; boundary=\(ImportFixture.boundary)",
                                                      ImportFixture.multipart([("file", "orders.csv", Array(ImportFixture.good.utf8))]),
                                                      headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
        #expect(s8 == .forbidden)
        #expect(try await store.contentChecksum() == checksum)
        // The dashboard's own origin is served.
        let (s9, _, _) = try await ImportFixture.post(client, "/api/v1/import", contentType: "text/csv", Array(ImportFixture.good.utf8),
                                                      headers: [.origin: "http://localhost"])
        #expect(s9 == .ok)
    }
}

@Test func aNewShopWithoutOrdersCanUploadItsFirstFile() async throws {
    try await ImportFixture.withShop(empty: true) { client, store, _ in
        let (before, _, _) = try await ServerFixture.get(client, "/api/v1/customers")
        #expect(before == .serviceUnavailable)
        let (formStatus, _, form) = try await ServerFixture.get(client, "/import")
        #expect(formStatus == .ok && form.contains("The shop holds 0 orders"))
        let (status, _, page) = try await ImportFixture.upload(client, ImportFixture.good)
        #expect(status == .ok)
        #expect(page.contains("DKK (set by this import)"))
        #expect(try await store.loadSettings().currency == "DKK")
        let (after, _, _) = try await ServerFixture.get(client, "/api/v1/customers")
        #expect(after == .ok)
    }
}

@Test func theMultipartReaderFindsFieldsFilesAndQuotedNames() throws {
    #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
    #expect(MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"") == "a b;c")
    #expect(MultipartForm.boundary(contentType: "text/csv") == nil)
    let body = Array("preamble\r\n--B\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nshopify\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"q\\\"; b.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n--B--\r\n".utf8)
    let form = try MultipartForm(body: body, boundary: "B")
    #expect(form.parts.count == 2)
    #expect(form.field("format") == "shopify")
    let file = try #require(form.part("file"))
    #expect(file.filename == "a \"q\"; b.csv")
    #expect(file.contentType == "text/csv")
    #expect(file.text == "x,y\r\n1,2")   // the CRLF before the boundary belongs to the boundary
    #expect(ImportUpload.displayName("C:\\Users\\me\\orders.csv") == "orders.csv")
    #expect(ImportUpload.displayName("") == "upload.csv")
    #expect(ImportUpload.safeFileName("../x y.csv") == ".._x_y.csv")
    #expect(ImportUpload.safeFileName("..") == "upload.csv")
    #expect(throws: APIError.self) { _ = try MultipartForm(body: Array("--B\r\nContent-Type: x\r\n\r\nabc\r\n--B--".utf8), boundary: "B") }
}
