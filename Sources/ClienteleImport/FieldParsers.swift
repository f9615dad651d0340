import ClienteleCore

/// The outcome of reading a timestamp.
enum TimestampResult: Equatable {
    /// Seconds since the epoch and the offset written in the text, in seconds.
    case ok(seconds: Int64, offset: Int32)
    /// A well-formed local date and time with no offset.
    case noOffset
    /// Not the ISO layout.
    case malformed
    /// The layout is right but the date or time does not exist (Feb 30, hour 24, second 60, offset > 18 h).
    case invalid
    /// A real date and time, but its year is outside `FieldParsers.years`.
    case yearOutOfRange
    /// A real date and time, but its offset is beyond ±14:00 (`FieldParsers.maxOffset`).
    case offsetOutOfRange
}

/// The outcome of reading a decimal amount.
enum DecimalResult: Equatable {
    case ok(Int64)
    case malformed
    case tooManyDecimals
    case tooLarge
}

/// The outcome of reading an integer quantity.
enum IntegerResult: Equatable {
    case ok(Int64)
    case malformed
    case fractional
    case tooLarge
}

/// Hand-written parsers for the fixed layouts of order files: no formatters, no allocation.
enum FieldParsers {
    /// The years a timestamp may have: those shop calendars cover (`ShopCalendar` tabulates 1900–2199), so
    /// every report can place every order; year 1 or 9999 is a mistake in the export.
    static let years = 1900...2199
    /// The largest UTC offset in use, in seconds (+14:00, Kiribati; the smallest is −12:00).
    static let maxOffset = 14 * 3600

    @inline(__always)
    private static func digit(_ c: UInt8) -> Int? {
        c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil
    }

    @inline(__always)
    private static func twoDigits(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 1 < p.count, let a = digit(p[i]), let b = digit(p[i + 1]) else { return nil }
        return a * 10 + b
    }

    /// Reads `YYYY-MM-DD[T| ]HH:MM:SS[.fraction][ ](Z|±HH:MM|±HHMM|±HH)`. Fractional seconds are truncated.
    static func timestamp(_ p: UnsafeBufferPointer<UInt8>) -> TimestampResult {
        let n = p.count
        guard n >= 19,
              let y1 = twoDigits(p, 0), let y2 = twoDigits(p, 2), p[4] == 0x2D,
              let month = twoDigits(p, 5), p[7] == 0x2D,
              let day = twoDigits(p, 8),
              p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20,
              let hour = twoDigits(p, 11), p[13] == 0x3A,
              let minute = twoDigits(p, 14), p[16] == 0x3A,
              let second = twoDigits(p, 17)
        else { return .malformed }
        let year = y1 * 100 + y2
        var i = 19
        if i < n && (p[i] == 0x2E || p[i] == 0x2C) {
            i += 1
            let fs = i
            while i < n && digit(p[i]) != nil { i += 1 }
            if i == fs { return .malformed }
        }
        if i < n && p[i] == 0x20 { i += 1 }
        var offset = 0
        if i == n {
            return validate(year, month, day, hour, minute, second) ? .noOffset : .invalid
        } else if p[i] == 0x5A || p[i] == 0x7A {
            guard i + 1 == n else { return .malformed }
        } else if p[i] == 0x2B || p[i] == 0x2D {
            let negative = p[i] == 0x2D
            i += 1
            guard let oh = twoDigits(p, i) else { return .malformed }
            i += 2
            var om = 0
            if i < n {
                if p[i] == 0x3A { i += 1 }
                guard let m = twoDigits(p, i), i + 2 == n else { return .malformed }
                om = m
            }
            guard oh <= 18, om <= 59 else { return .invalid }
            offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
        } else {
            return .malformed
        }
        guard validate(year, month, day, hour, minute, second) else { return .invalid }
        guard abs(offset) <= maxOffset else { return .offsetOutOfRange }
        guard years.contains(year) else { return .yearOutOfRange }
        let days = Int64(ShopDate.daysFromCivil(year: year, month: month, day: day))
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return .ok(seconds: local - Int64(offset), offset: Int32(offset))
    }

    @inline(__always)
    private static func validate(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Bool {
        guard month >= 1 && month <= 12, day >= 1, hour <= 23, minute <= 59, second <= 59 else { return false }
        return day <= ShopDate.daysIn(year: year, month: month)
    }

    /// Reads a plain decimal with an optional sign into minor units with `digits` fraction digits.
    ///
    /// `.` is the decimal separator; with `decimalComma` (files separated by `;` or tab, as Excel writes them
    /// in Denmark, Sweden and Norway) `,` is accepted as well. At most one separator, no thousands separators.
    /// Fraction digits beyond `digits` must be zeros.
    static func decimal(_ p: UnsafeBufferPointer<UInt8>, digits: Int, decimalComma: Bool) -> DecimalResult {
        let n = p.count
        var i = 0
        var negative = false
        if n > 0 && (p[0] == 0x2D || p[0] == 0x2B) { negative = p[0] == 0x2D; i = 1 }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDigit = false
        var inFraction = false
        var excess = false
        var overflow = false
        while i < n {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                seenDigit = true
                let d = Int64(c - 0x30)
                if inFraction {
                    if fractionDigits < digits {
                        fraction = fraction * 10 + d
                        fractionDigits += 1
                    } else if d != 0 {
                        excess = true
                    }
                } else if !overflow {
                    let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { whole = s }
                }
            } else if (c == 0x2E || (decimalComma && c == 0x2C)) && !inFraction {
                inFraction = true
            } else {
                return .malformed
            }
            i += 1
        }
        if !seenDigit { return .malformed }
        if overflow { return .tooLarge }
        if excess { return .tooManyDecimals }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        for _ in fractionDigits..<digits { fraction *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (s, o2) = m.addingReportingOverflow(fraction)
        if o1 || o2 { return .tooLarge }
        return .ok(negative ? -s : s)
    }

    /// Reads a whole number with an optional sign; a fraction of zeros (`2.0`) is accepted, any other is `.fractional`.
    static func integer(_ p: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> IntegerResult {
        let n = p.count
        var i = 0
        var negative = false
        if n > 0 && (p[0] == 0x2D || p[0] == 0x2B) { negative = p[0] == 0x2D; i = 1 }
        var value: Int64 = 0
        var seenDigit = false
        var inFraction = false
        var fractional = false
        var overflow = false
        while i < n {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                seenDigit = true
                if inFraction {
                    if c != 0x30 { fractional = true }
                } else if !overflow {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(Int64(c - 0x30))
                    if o1 || o2 { overflow = true } else { value = s }
                }
            } else if (c == 0x2E || (decimalComma && c == 0x2C)) && !inFraction {
                inFraction = true
            } else {
                return .malformed
            }
            i += 1
        }
        if !seenDigit { return .malformed }
        if fractional { return .fractional }
        if overflow { return .tooLarge }
        return .ok(negative ? -value : value)
    }
}
