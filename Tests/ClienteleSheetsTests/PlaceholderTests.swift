import Testing
@testable import ClienteleSheets

@Test func mediaTypeIsTheOfficeOpenXMLSpreadsheetType() {
    #expect(ClienteleSheets.mediaType.hasSuffix("spreadsheetml.sheet"))
}
