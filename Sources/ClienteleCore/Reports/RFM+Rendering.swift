extension RFM {
    /// The RFM page as JSON text: score ranges, the R × FM grid and the segments (the per-customer list is `csv(snapshot:)`).
    public func json(timeZone: String) -> String { jsonValue(timeZone: timeZone).rendered() }

    /// The RFM page as an ordered JSON value (the shape `json(timeZone:)` writes).
    public func jsonValue(timeZone: String) -> JSONValue {
        let s = summary()
        func ranges(_ k: Int, money: Bool) -> JSONValue {
            .array(s.scoreRanges[k].map { r in
                func v(_ x: Int64?) -> JSONValue {
                    guard let x else { return .null }
                    return money ? .money(Money(minorUnits: x, currency: currency)) : .int(Int(x))
                }
                return .object([("score", .int(r.score)), ("customers", .int(r.customers)),
                                ("minimum", v(r.minimum)), ("maximum", v(r.maximum))])
            })
        }
        return .object([
            ("asOf", .string(asOf.description)),
            ("currency", .string(currency.code)),
            ("timeZone", .string(timeZone)),
            ("customers", .int(s.customers)),
            ("revenue", .money(s.revenue)),
            ("scores", .object([
                ("recencyDays", ranges(0, money: false)),
                ("frequency", ranges(1, money: false)),
                ("monetary", ranges(2, money: true)),
            ])),
            ("grid", .array((1...5).reversed().flatMap { r in
                (1...5).map { fm in
                    let cell = s.grid[r - 1][fm - 1]
                    return JSONValue.object([("R", .int(r)), ("FM", .int(fm)),
                                             ("segment", .string(Self.segment(recency: r, frequencyMonetary: fm).rawValue)),
                                             ("customers", .int(cell.customers)), ("revenue", .money(cell.revenue))])
                }
            })),
            ("segments", .array(s.segments.map { g in
                .object([
                    ("segment", .string(g.segment.rawValue)),
                    ("customers", .int(g.customers)),
                    ("share", .double(g.share)),
                    ("revenue", .money(g.revenue)),
                    ("revenueShare", .double(g.revenueShare)),
                    ("averageRecencyDays", .double(g.averageRecencyDays)),
                    ("averageOrders", .double(g.averageOrders)),
                    ("averageRevenue", .money(g.averageRevenue)),
                ])
            })),
        ])
    }

    /// Every scored customer as CSV, in customer-key order: key, e-mail of the last order, recency days,
    /// orders, revenue, R, F, M, FM, segment and the last order's timestamp; header row, CRLF line ends.
    public func csv(snapshot s: ShopSnapshot) -> String {
        var out = "customer,email,recency_days,frequency,monetary,r,f,m,fm,segment,last_order\r\n"
        for c in 0..<recencyScore.count {
            guard let score = score(ofCustomer: c) else { continue }
            let last = Int(lastOrder[c])
            let fields = [s.customerKey(c), s.email(ofOrder: last) ?? "", String(recencyDays[c]), String(frequency[c]),
                          Money(minorUnits: monetary[c], currency: currency).decimalString,
                          String(score.recency), String(score.frequency), String(score.monetary),
                          String(score.frequencyMonetary), score.segment.rawValue, s.timestamp(ofOrder: last)]
            out += fields.map(CustomerStatistics.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The RFM page as an aligned terminal report; numbers in `locale`.
    public func table(shopName: String, locale: String) -> String {
        let s = summary()
        let f = LocaleNumbers(locale: locale)
        let code = currency.code
        let dash = "–"
        var out: [String] = []
        out.append("RFM — " + TextTable.printable(shopName))
        out.append("As of \(asOf) · \(f.integer(s.customers)) customers with an order up to then · revenue \(f.money(s.revenue)) \(code)")
        out.append("")
        out.append("Scores by quintile (ties share a score; R 5 = most recent)")
        var st = TextTable([("Score", .right), ("R customers", .right), ("Days since last order", .right),
                            ("F customers", .right), ("Orders", .right), ("M customers", .right), ("Revenue (\(code))", .right)])
        for i in (0..<5).reversed() {
            let r = s.scoreRanges[0][i], fr = s.scoreRanges[1][i], m = s.scoreRanges[2][i]
            func span(_ x: ScoreRange, _ show: (Int64) -> String) -> String {
                guard let lo = x.minimum, let hi = x.maximum else { return dash }
                return lo == hi ? show(lo) : show(lo) + "–" + show(hi)
            }
            st.add(String(i + 1), f.integer(r.customers), span(r) { f.integer(Int($0)) }, f.integer(fr.customers),
                   span(fr) { f.integer(Int($0)) }, f.integer(m.customers),
                   span(m) { f.money(Money(minorUnits: $0, currency: currency)) })
        }
        out += st.lines(colour: false)
        out.append("")
        out.append("R × FM grid: customers (FM = F and M averaged, rounded up)")
        var gt = TextTable([("R \\ FM", .left)] + (1...5).map { ("\($0)", .right) })
        for r in (1...5).reversed() {
            gt.add([TextTable.Cell(String(r))] + (1...5).map { TextTable.Cell(f.integer(s.grid[r - 1][$0 - 1].customers)) })
        }
        out += gt.lines(colour: false)
        out.append("")
        out.append("Segments")
        var sg = TextTable([("Segment", .left), ("Customers", .right), ("Share", .right), ("Revenue (\(code))", .right),
                            ("Revenue share", .right), ("Days since last", .right), ("Orders", .right), ("Revenue per customer", .right)])
        for g in s.segments {
            sg.add(g.segment.rawValue, f.integer(g.customers), g.share.map { f.percent($0) } ?? dash, f.money(g.revenue),
                   g.revenueShare.map { f.percent($0) } ?? dash, g.averageRecencyDays.map { f.decimal($0, digits: 0) } ?? dash,
                   g.averageOrders.map { f.decimal($0, digits: 1) } ?? dash, g.averageRevenue.map { f.money($0) } ?? dash)
        }
        out += sg.lines(colour: false)
        return out.joined(separator: "\n") + "\n"
    }
}
