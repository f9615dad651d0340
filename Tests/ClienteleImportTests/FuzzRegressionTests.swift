import ClienteleCore
import ClienteleImport
import Testing

/// Inputs the fuzzer (scripts/fuzz) stopped on, kept as they were found. docs/reliability.md, "Fuzzing",
/// lists each with what was wrong.
@Suite("Fuzz regressions: order files")
struct ImportFuzzRegressionTests {
    /// Stopped the `canonical` target at its first input (a corpus seed): the importer accepted orders in
    /// year 1 and year 9999, outside the years 1900–2199 a shop calendar covers, which the target's rule
    /// "every accepted order lies in a year the calendar covers" refused. Reports over such a shop span
    /// 10,000 years of months. Now both lines are refused, each with its line.
    @Test("Orders in year 1 and year 9999 (+14:00) are refused, each at its line")
    func yearsOutsideTheCalendar() {
        let input = """
            order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country
            1001,0001-01-01T00:00:00Z,C1,a@example.com,placed,DKK,100.00,0.00,P1,Mug,2,50.00,0,DK
            1002,9999-12-31T23:59:59+14:00,C1,a@example.com,placed,DKK,100.00,0.00,P1,Mug,2,50.00,0,DK

            """
        #expect(failure(input)?.description == """
            orders.csv:2: placed_at "0001-01-01T00:00:00Z" is outside the years 1900–2199 that Clientele's calendars cover
            orders.csv:3: placed_at "9999-12-31T23:59:59+14:00" is outside the years 1900–2199 that Clientele's calendars cover
            """)
    }
}
