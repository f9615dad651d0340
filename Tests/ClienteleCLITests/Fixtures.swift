import Foundation
import Testing

/// A small hand-made shop in the canonical format (IMPORT.md), Europe/Copenhagen, reporting in DKK.
///
/// - C1 (customer id) orders three times in the period: 1002 (2 lines), 1004 at 23:30 UTC on 31 January
///   (00:30 on 1 February in Copenhagen) with 50.00 refunded, and 1007 in EUR (99.99 × 7.46 = 745.9254 →
///   745.93 DKK) under a new e-mail.
/// - C2 (customer id) has a first order in December 2024 (before the period), 1003 in January and a
///   cancelled order 1006 in March.
/// - 1005 is a guest order (no customer id) with C1's first e-mail, written with stray spaces and case: the
///   customer `anna@example.com`, not C1.
/// - 1008 is anonymous (no id, no e-mail).
enum SmallShop {
    static let header = "order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country"

    /// The data rows (no quoting anywhere, so they can be rewritten field by field).
    static let rows = [
        "1001,2024-12-15T10:00:00+01:00,C2,bo@example.com,placed,DKK,200.00,0.00,P2,Tea,2,100.00,0,DK",
        "1002,2025-01-05T10:00:00+01:00,C1,anna@example.com,placed,DKK,500.00,0.00,P1,Mug,2,200.00,0,DK",
        "1002,2025-01-05T10:00:00+01:00,C1,anna@example.com,placed,DKK,500.00,0.00,P2,Tea,1,100.00,1,DK",
        "1003,2025-01-20T09:00:00+01:00,C2,bo@example.com,placed,DKK,1000.00,0.00,P2,Tea,5,100.00,0,DK",
        "1003,2025-01-20T09:00:00+01:00,C2,bo@example.com,placed,DKK,1000.00,0.00,P3,Kettle,1,500.00,0,DK",
        "1004,2025-01-31T23:30:00Z,C1,anna@example.com,placed,DKK,300.00,50.00,P1,Mug,1,300.00,0,DK",
        "1005,2025-02-15T15:00:00+01:00,, Anna@Example.COM ,placed,DKK,250.02,0.00,P2,Tea,2,125.01,0,DK",
        "1006,2025-03-03T14:00:00+01:00,C2,bo@example.com,cancelled,DKK,2000.00,0.00,P1,Mug,10,200.00,0,DK",
        "1007,2025-03-05T12:00:00+01:00,C1,Anna.New@Example.com,placed,EUR,99.99,0.00,P3,Kettle,1,99.99,0,DE",
        "1008,2025-03-10T11:00:00+01:00,,,placed,DKK,400.00,0.00,P3,Kettle,1,400.00,0,DK",
    ]

    /// The plain file: UTF-8, commas, LF.
    static var csv: String { ([header] + rows).joined(separator: "\n") + "\n" }

    /// The rate table for the EUR order.
    static let rates = "currency,rate\nEUR,7.46\n"

    /// The same orders as Excel writes them in Denmark: a UTF-8 byte order mark, CRLF line ends, `;` between
    /// fields and a decimal comma in the money columns (order_total, refunded, unit_price).
    static var excelBytes: [UInt8] {
        let moneyColumns: Set<Int> = [6, 7, 11]
        let lines = [header.replacingOccurrences(of: ",", with: ";")] + rows.map { row in
            row.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { i, field in
                moneyColumns.contains(i) ? field.replacingOccurrences(of: ".", with: ",") : String(field)
            }.joined(separator: ";")
        }
        return [0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The report period used with this shop: the first quarter of 2025.
    static let periodOptions = ["--from", "2025-01-01", "--to", "2025-03-31", "--as-of", "2025-03-31"]

    /// Creates `db` as a Copenhagen DKK shop and imports `file` (with the rate table `rates.csv`).
    static func setUp(_ ws: Workspace, db: String = "shop.sqlite", file: String = "orders.csv") async throws -> CLIResult {
        try ws.write(file, csv)
        try ws.write("rates.csv", rates)
        try await ws.succeed("shop", "--db", db, "--timezone", "Europe/Copenhagen", "--currency", "DKK")
        return try await ws.succeed("import", file, "--db", db, "--rates", "rates.csv")
    }
}
