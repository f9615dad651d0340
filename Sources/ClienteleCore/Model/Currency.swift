/// An ISO 4217 currency: its three-letter code and the number of minor-unit digits (DKK 2, JPY 0, KWD 3).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The upper-case ISO 4217 code, e.g. `DKK`.
    public let code: String
    /// Digits after the decimal point in the currency's minor unit.
    public let minorDigits: Int

    /// Looks up a currency by its ISO 4217 code (case-insensitive); `nil` when the code is not a current ISO 4217 code.
    public init?(code: String) {
        let upper = code.uppercased()
        guard let digits = Currency.iso4217[upper] else { return nil }
        self.code = upper
        self.minorDigits = digits
    }

    public var description: String { code }

    /// 10 to the power of `minorDigits`: minor units in one major unit.
    public var minorUnitsPerMajor: Int64 {
        var p: Int64 = 1
        for _ in 0..<minorDigits { p *= 10 }
        return p
    }

    /// Active ISO 4217 codes and their minor digits (the standard's list, 2024 edition; funds codes included).
    static let iso4217: [String: Int] = {
        var table: [String: Int] = [:]
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF CLF_SKIP"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        let two = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF \
        CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD \
        HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT \
        MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR \
        SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU \
        UZS VED VES WST XCD XCG YER ZAR ZMW ZWG
        """
        for c in two.split(separator: " ") { table[String(c)] = 2 }
        for c in zero.split(separator: " ") where !c.hasSuffix("_SKIP") { table[String(c)] = 0 }
        for c in three.split(separator: " ") { table[String(c)] = 3 }
        for c in four.split(separator: " ") { table[String(c)] = 4 }
        return table
    }()
}
