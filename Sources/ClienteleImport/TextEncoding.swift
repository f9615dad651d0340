/// The character encoding of an order file.
public enum TextEncoding: String, Hashable, Sendable, CaseIterable {
    /// UTF-8, with or without a byte order mark (the default).
    case utf8 = "utf-8"
    /// Windows-1252 (Excel's "CSV" on Western European Windows); transcoded to UTF-8 before parsing.
    case windows1252 = "windows-1252"

    /// Looks up an encoding by a name a user may type (`utf-8`, `utf8`, `windows-1252`, `cp1252`, `latin1`).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "windows1252", "cp1252", "cp-1252", "latin1", "iso-8859-1": self = .windows1252
        default: return nil
        }
    }
}

/// Windows-1252 to Unicode.
enum Windows1252 {
    /// Code points of bytes 0x80–0x9F; the five bytes the code page leaves undefined map to the C1 control
    /// of the same value (as the WHATWG encoding standard does). Bytes 0xA0–0xFF are U+00A0–U+00FF.
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The UTF-8 encoding of `bytes` read as windows-1252.
    static func transcode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var extra = 0
        for b in bytes where b >= 0x80 { extra += 2 }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + extra)
        for b in bytes {
            if b < 0x80 { out.append(b); continue }
            let scalar: UInt32 = b < 0xA0 ? UInt32(high[Int(b - 0x80)]) : UInt32(b)
            if scalar < 0x800 {
                out.append(UInt8(0xC0 | (scalar >> 6)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (scalar >> 12)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        return out
    }
}
