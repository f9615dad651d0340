import Foundation
import Testing
@testable import ClienteleCore

@Suite struct ShopCalendarTests {
    let cph = ShopCalendar(identifier: "Europe/Copenhagen")!

    @Test func copenhagenOffsetsFollowDaylightSavingTime() {
        // 2024-03-31 01:00 UTC is the switch to CEST (+02:00); one second before it is CET (+01:00).
        #expect(cph.offset(at: 1_711_846_800) == 7200)
        #expect(cph.offset(at: 1_711_846_799) == 3600)
        // 2024-10-27 01:00 UTC back to CET.
        #expect(cph.offset(at: 1_729_990_800) == 3600)
        #expect(cph.offset(at: 1_729_990_799) == 7200)
    }

    @Test func anOrderAt2330UTCOnTheLastDayOfAMonthFallsInTheNextShopMonth() {
        // 2024-08-31T23:30:00Z is 2024-09-01 01:30 in Copenhagen (CEST, +2).
        let t: Int64 = 1_725_147_000
        #expect(cph.date(of: Instant(seconds: t)).description == "2024-09-01")
        #expect(ShopCalendar.utc.date(of: Instant(seconds: t)).description == "2024-08-31")
        #expect(cph.iso8601(Instant(seconds: t)) == "2024-09-01T01:30:00+02:00")
    }

    @Test func startOfDayIsLocalMidnight() {
        // 2024-09-14 00:00 in Copenhagen = 2024-09-13T22:00:00Z = 1726264800.
        #expect(cph.startOfDay(ShopDate(iso: "2024-09-14")!) == 1_726_264_800)
        // Winter: 2025-01-01 00:00 CET = 2024-12-31T23:00:00Z = 1735686000.
        #expect(cph.startOfDay(ShopDate(iso: "2025-01-01")!) == 1_735_686_000)
    }

    @Test func shopDateArithmeticClampsToMonthEnd() {
        #expect(ShopDate(iso: "2025-03-31")!.adding(months: -1).description == "2025-02-28")
        #expect(ShopDate(iso: "2024-02-29")!.adding(years: -1).description == "2023-02-28")
        #expect(ShopDate(iso: "2025-09-14")!.adding(months: -12).description == "2024-09-14")
        #expect(ShopDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(ShopDate(iso: "2025-09-14")!.isoWeekday == 7) // a Sunday
        #expect(ShopDate(iso: "2023-02-29") == nil)
    }
}

@Suite struct ShopSettingsTests {
    @Test func thresholdsMissingFromTheStoredFormTakeTheirDefaults() throws {
        // A settings document written before `minimumTenureDays` and `topCustomers` existed.
        let json = #"{"repeatRateGreen": 0.4, "repeatRateYellow": 0.2}"#
        let t = try JSONDecoder().decode(ShopSettings.Thresholds.self, from: Data(json.utf8))
        #expect(t.repeatRateGreen == 0.4)
        #expect(t.repeatRateYellow == 0.2)
        #expect(t.topCustomers == 20)
        #expect(t.minimumTenureDays == 30)
    }
}
