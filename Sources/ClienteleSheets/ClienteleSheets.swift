import ZIPFoundation

/// Spreadsheet downloads: report tables as .xlsx workbooks.
public enum ClienteleSheets {
    /// The media type of an .xlsx workbook.
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}
