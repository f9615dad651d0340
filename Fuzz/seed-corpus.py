#!/usr/bin/env python3
"""Writes Fuzz/Corpus/<target>/ from the repository's test fixtures and docs (run from anywhere).

Sources: the acceptance file's head (Tests/Acceptance/small.csv), the rate table beside it, the malformed-file
catalogue of Tests/ClienteleImportTests/MalformedFileTests.swift (rebuilt here from its row helpers), the
Shopify export of ShopifyFormatTests.swift, the Excel flavour of CanonicalFormatTests.swift, and the filters of
Tests/ClienteleCoreTests/AudienceFilterTests.swift and docs/audiences.md. Re-running it rewrites the same files.
"""
import hashlib, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "Corpus")

def read(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()

def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def swift_unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")

# --- The canonical file and the malformed catalogue (MalformedFileTests.swift's helpers, rewritten) ---
HEADER = "order_id,placed_at,customer_id,email,status,currency,order_total,refunded,product_id,product_name,quantity,unit_price,returned_quantity,country"
VALID = {"order_id": "1001", "placed_at": "2024-03-05T18:22:10+01:00", "customer_id": "C1", "email": "a@example.com",
         "status": "placed", "currency": "DKK", "order_total": "100.00", "refunded": "0.00", "product_id": "P1",
         "product_name": "Mug", "quantity": "2", "unit_price": "50.00", "returned_quantity": "0", "country": "DK"}

def row(changes=None):
    changes = changes or {}
    return ",".join(changes.get(c, VALID[c]) for c in HEADER.split(","))

def canonical(*lines):
    return "\n".join([HEADER] + list(lines)) + "\n"

malformed = {
    "bad-timestamp": canonical(row({"placed_at": "2024-03-05 18:22"})),
    "no-offset": canonical(row({"placed_at": "2024-03-05T18:22:10"})),
    "february-30": canonical(row({"placed_at": "2024-02-30T10:00:00Z"})),
    "hour-24": canonical(row({"placed_at": "2024-03-05T24:00:00+01:00"})),
    "second-60": canonical(row({"placed_at": "2024-03-05T18:22:60Z"})),
    "missing-columns": "order_id,placed_at,status,currency,order_total,product_id\n1001,2024-03-05T18:22:10Z,placed,DKK,10.00,P1\n",
    "duplicate-header": HEADER + ",Email\n" + row() + ",b@example.com\n",
    "negative-quantity": canonical(row({"quantity": "-2"})),
    "fractional-quantity": canonical(row({"quantity": "1.5"})),
    "zero-quantity": canonical(row({"quantity": "0"})),
    "quantity-words": canonical(row({"quantity": "two"})),
    "quantity-64bit": canonical(row({"quantity": "9223372036854775808"})),
    "returned-more": canonical(row({"returned_quantity": "3"})),
    "returned-negative": canonical(row({"returned_quantity": "-1"})),
    "disagree-total": canonical(row(), row({"order_total": "120.00", "product_id": "P2"})),
    "disagree-status": canonical(row(), row({"status": "Cancelled", "product_id": "P2"})),
    "disagree-currency": canonical(row(), row({"currency": "EUR", "product_id": "P2"})),
    "disagree-email": canonical(row(), row({"order_id": "1002"}), row({"email": "b@example.com", "product_id": "P2"})),
    "disagree-timestamp": canonical(row(), row({"placed_at": "2024-03-05T18:22:11+01:00", "product_id": "P2"})),
    "unknown-currency": canonical(row({"currency": "XYZ"})),
    "unterminated-quote": canonical(row(), row({"order_id": "1002", "product_name": '"Mug, blue'})),
    "text-after-quote": canonical(row({"product_name": '"Mug" blue'})),
    "header-only": HEADER + "\r\n",
    "amount-64bit": canonical(row({"order_total": "99999999999999999999.00"})),
    "bom-mid-file": canonical(row(), "\ufeff" + row({"order_id": "1002"})),
    "mixed-separators": canonical(row(), row({"order_id": "1002"}).replace(",", ";")),
    "too-many-decimals": canonical(row({"order_total": "100.001"})),
    "amount-words": canonical(row({"unit_price": "abc"})),
    "negative-total": canonical(row({"order_total": "-5.00"})),
    "bad-status": canonical(row({"status": "shipped"})),
    "empty-product": canonical(row({"product_id": " "})),
    "empty-order-id": canonical(row(), row({"order_id": ""})),
    "refund-more": canonical(row({"refunded": "150.00"})),
    "no-rate": canonical(row(), row({"order_id": "1002", "currency": "EUR"}), row({"order_id": "1003", "currency": "XAF"})),
    "bad-country": canonical(row({"country": "DNK"})),
    "unknown-format": "id,date,amount\n1,2024-01-01,10\n",
    "year-edges": canonical(row({"placed_at": "0001-01-01T00:00:00Z"}), row({"order_id": "1002", "placed_at": "9999-12-31T23:59:59+14:00"})),
    "int64-amounts": canonical(row({"order_total": "92233720368547758.07", "unit_price": "46116860184273879.03"}),
                               row({"order_id": "1002", "order_total": "92233720368547758.07", "unit_price": "92233720368547758.07", "quantity": "1"})),
}
malformed_bytes = {k: v.encode("utf-8") for k, v in malformed.items()}
malformed_bytes["invalid-utf8"] = canonical(row(), row({"order_id": "1002", "product_name": "K~ffe"})).encode().replace(b"~", b"\xe6")
malformed_bytes["empty"] = b""

small = read("Tests/Acceptance/small.csv").decode("utf-8").split("\n")
small_head = "\n".join(small[:40]) + "\n"
docs_example = (HEADER + "\n"
    "1001,2025-03-05T18:22:10+01:00,C1,anna@example.dk,placed,DKK,249.00,0.00,P1,Kaffebønner 500 g,2,105.00,0,DK\n"
    "1001,2025-03-05T18:22:10+01:00,C1,anna@example.dk,placed,DKK,249.00,0.00,P2,Kaffefiltre,1,39.00,0,DK\n"
    "1002,2025-03-06T09:01:00Z,,bo@example.se,placed,EUR,40.00,0.00,P1,Kaffebønner 500 g,2,20.00,0,SE\n")

put("canonical", "small-head.csv", small_head)
put("canonical", "docs-example.csv", docs_example)
put("canonical", "valid-row.csv", canonical(row()))
for name, data in malformed_bytes.items():
    put("canonical", "malformed-" + name + ".csv", data)

# --- Shopify (ShopifyFormatTests.swift) ---
src = read("Tests/ClienteleImportTests/ShopifyFormatTests.swift").decode("utf-8")
m = re.search(r'let shopifyExport = """\n(.*?)\n"""', src, re.S)
shopify = m.group(1) + "\n"
put("shopify", "export-2022.csv", shopify)
put("shopify", "older-layout.csv", "Name,Created at,Currency,Total,Lineitem quantity,Lineitem price,Lineitem name,Cancelled at\n"
    "#1,2021-05-01 12:00:00 +0200,EUR,10.00,1,10.00,Socks,\n")
put("shopify", "bad-quantity.csv", "Name,Created at,Currency,Total,Lineitem quantity,Lineitem price,Lineitem name\n"
    "#1,2021-05-01 12:00:00,EUR,10.00,one,10.00,Socks\n")
put("shopify", "missing-columns.csv", "Name,Created at,Lineitem quantity\n#1,2021-05-01 12:00:00 +0200,1\n")
put("shopify", "crlf-excel-guard.csv", shopify.replace("\n", "\r\n"))

# --- Excel in Denmark, Sweden and Norway (CanonicalFormatTests.swift's Excel flavour, and the same files saved by Excel) ---
excel = ("\ufeff" + HEADER.replace(",", ";") + "\r\n"
    "1001;2024-03-05T18:22:10+01:00;C1;a@example.com;placed;DKK;1249,50;0,00;P1;Stol, eg;1;1249,50;0;DK\r\n"
    "1002;2024-03-05T18:22:10+01:00;C1;a@example.com;placed;DKK;0,50;0.25;P1;Mug;1;\"0,5\";0;DK\r\n")
put("excel", "semicolon-bom-crlf.csv", excel)
def excelify(text):
    out = []
    for line in text.rstrip("\n").split("\n"):
        fields = re.findall(r'(?:"(?:[^"]|"")*"|[^,]*)(?:,|$)', line)
        fields = [f[:-1] if f.endswith(",") else f for f in fields][: line.count(",") + 1]
        fields = [re.sub(r"^(\d+)\.(\d+)$", r"\1,\2", f) for f in fields]
        out.append(";".join(fields))
    return "\ufeff" + "\r\n".join(out) + "\r\n"
put("excel", "small-head-excel.csv", excelify("\n".join(small[:15])))
put("excel", "small-head-windows-1252.csv", ("\n".join(small[:15]) + "\n").encode("cp1252", errors="replace"))
put("excel", "shopify-tab.csv", shopify.replace(",", "\t"))
put("excel", "docs-example-windows-1252.csv", docs_example.encode("cp1252"))

# --- Rate tables ---
put("rates", "rates.csv", read("Tests/Acceptance/rates.csv"))
put("rates", "semicolon-comma.csv", "currency;rate\r\nEUR;7,46\r\nSEK;0,65\r\n")
put("rates", "no-header.csv", "EUR,7.46\nNOK,0.64\n")
put("rates", "bad-lines.csv", "currency,rate\nEUR,seven\nXYZ,1\nEUR,7.46\nEUR,7.47\nSEK\n")

# --- The scanner: every kind of record ---
put("scanner", "small-head.csv", "\n".join(small[:20]) + "\n")
put("scanner", "shopify.csv", shopify)
put("scanner", "excel.csv", excel)
put("scanner", "quotes.csv", 'a,b,c\r\n"x, y","he said ""hi""","multi\nline"\r\n"",,""""\n"open')
put("scanner", "after-quote.csv", 'a,b\n"x"y,z\n1,2')
put("scanner", "line-ends.csv", "a;b\rc;d\r\ne;f\n\n;\n")
put("scanner", "utf8.csv", "navn,by\nBjørn,Århus\n\ufeffx,y\n".encode() + b"\xc3\x28,\xe2\x82\n\xf0\x9f\x98\x80,\xed\xa0\x80\n")

# --- Audience filters (AudienceFilterTests.swift and docs/audiences.md) ---
filters = []
src = read("Tests/ClienteleCoreTests/AudienceFilterTests.swift").decode("utf-8")
for m in re.finditer(r'^\s*\("((?:[^"\\]|\\.)*)", [\["]', src, re.M):
    filters.append(swift_unescape(m.group(1)))
docs = read("docs/audiences.md").decode("utf-8")
for m in re.finditer(r"--filter '([^']*)'", docs):
    filters.append(m.group(1))
block = re.search(r"## The filter language.*?```\n(.*?)```", docs, re.S)
filters.extend(l for l in block.group(1).split("\n") if l)
for m in re.finditer(r"^\| `[a-z-]+` \| `([^`]*)` \|", docs, re.M):
    filters.append(m.group(1))
filters += ["revenue > 0.0000000000000000000001", "last_order within 999999y", "first_order > 999999m from now",
            "not not not orders > 1", "((((orders > 1))))", "email in (\"a\", 'b', \u201cc\u201d)"]
seen = set()
for f in filters:
    if f in seen:
        continue
    seen.add(f)
    put("filter", hashlib.sha1(f.encode()).hexdigest()[:16] + ".txt", f)

total = sum(os.path.getsize(os.path.join(dp, n)) for dp, _, ns in os.walk(OUT) for n in ns)
count = sum(len(ns) for _, _, ns in os.walk(OUT))
print(f"{count} files, {total} bytes in {OUT}")
