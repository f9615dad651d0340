import ClienteleCore
import ClienteleImport
import ClienteleStore
import Foundation
import Testing

/// The canonical header in IMPORT.md's column order.
let canonicalHeader = "order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country"

/// The fields of a valid canonical line, by column.
let validFields: [String: String] = [
    "order_id": "1001", "placed_at": "2024-03-05T18:22:10+01:00", "customer_id": "C1", "email": "a@example.com",
    "status": "placed", "currency": "DKK", "order_total": "100.00", "refunded": "0.00", "product_id": "P1",
    "product_name": "Mug", "quantity": "2", "unit_price": "50.00", "returned_quantity": "0", "country": "DK",
]

/// A canonical line: the valid fields with `changes` applied, in header order (fields are written as given).
func row(_ changes: [String: String] = [:]) -> String {
    canonicalHeader.split(separator: ",").map { changes[String($0)] ?? validFields[String($0)]! }.joined(separator: ",")
}

/// A canonical file: the header and the given lines, LF line ends.
func canonicalFile(_ lines: String...) -> String {
    ([canonicalHeader] + lines).joined(separator: "\n") + "\n"
}

/// Settings of a DKK shop.
let dkkShop = ShopSettings(currency: "DKK")

/// Parses in-memory files.
func parse(_ text: String, name: String = "orders.csv", settings: ShopSettings = dkkShop,
           options: ImportOptions = ImportOptions()) throws(ImportFailure) -> ParsedImport {
    try parseFiles([(name: name, bytes: Array(text.utf8))], settings: settings, options: options)
}

/// The failure of parsing `bytes`, or `nil` when it parses.
func failure(_ bytes: [UInt8], name: String = "orders.csv", settings: ShopSettings = dkkShop,
             options: ImportOptions = ImportOptions()) -> ImportFailure? {
    do {
        _ = try parseFiles([(name: name, bytes: bytes)], settings: settings, options: options)
        return nil
    } catch {
        return error
    }
}

/// The failure of parsing `text`, or `nil` when it parses.
func failure(_ text: String, name: String = "orders.csv", settings: ShopSettings = dkkShop,
             options: ImportOptions = ImportOptions()) -> ImportFailure? {
    failure(Array(text.utf8), name: name, settings: settings, options: options)
}

/// A temporary directory owned by one test, removed when it ends.
final class TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "clientele-import-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the directory and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` to `name` in the directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// An in-memory DKK store holding one valid order (9001).
func prefilledStore() async throws -> any OrderStore {
    let store = InMemoryOrderStore(settings: dkkShop)
    let dkk = Currency(code: "DKK")!
    let order = Order(id: "9001", placedAt: Instant(seconds: 1_700_000_000), customerId: "C9", email: "nine@example.com",
                      currency: dkk, total: 12_500, country: "DK",
                      lines: [OrderLine(productId: "P9", productName: "Plate", quantity: 1, unitPrice: 12_500)])
    _ = try await store.replaceOrders([order])
    return store
}
