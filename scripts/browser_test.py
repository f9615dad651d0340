#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium opens every page of a running `clientele serve`,
records every console message, uncaught exception and failed load (through the DevTools protocol), saves a
screenshot of each page, and fails when any page logs an error, answers with a status other than 200, or
renders without its navigation.

Usage: scripts/browser_test.py BASE_URL OUT_DIR [--chromium PATH]
Needs only Python's standard library and Chromium (Debian's `chromium` package).
"""
import base64
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class DevTools:
    """A minimal WebSocket client (RFC 6455: text frames, client masking) speaking the DevTools protocol."""

    def __init__(self, ws_url):
        u = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.next_id = 0
        self.events = []

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            data += chunk
        return data

    def _send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _recv(self):
        message = b""
        while True:
            b1, b2 = self._recv_exact(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            if b2 & 0x80:
                self._recv_exact(4)
            data = self._recv_exact(n)
            opcode = b1 & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):
                continue
            message += data
            if b1 & 0x80:
                return json.loads(message.decode())

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self._send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = self._recv()
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, event, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == event:
                    return self.events.pop(i)
            self.events.append(self._recv())
        raise RuntimeError(f"no {event} within {timeout} s")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode())


def holdout_start(base):
    """A calibration end half a year before the demo's last order, so the Predictions page shows a holdout."""
    import datetime
    try:
        last = (get_json(base + "/api/v1/fit").get("data") or {}).get("calibrationEnd") or "2025-06-30"
    except Exception:
        last = "2025-06-30"
    day = datetime.date.fromisoformat(str(last)[:10]) - datetime.timedelta(days=182)
    return day.isoformat()


def pages(base):
    """Every page of the dashboard, with the ones that need a real customer or audience filled in."""
    urls = ["/", "/?period=this-year&compare=last-year", "/analytics", "/analytics?by=week", "/audiences",
            "/retention", "/behaviour", "/settings",
            # The pages in the other languages (docs/dashboard.md, "Languages").
            "/?lang=da", "/retention?lang=sv&by=quarter", "/behaviour?lang=nb", "/analytics?lang=sv"]
    top = get_json(base + "/api/v1/customers?top=1").get("topCustomers") or []
    if top:
        key = top[0].get("customer") or top[0].get("email")
        if key:
            urls.append("/customers/" + urllib.parse.quote(str(key), safe=""))
            urls.append("/customers/" + urllib.parse.quote(str(key), safe="") + "?lang=nb")
    audiences = get_json(base + "/api/v1/audiences")
    extras = ["/predictions", "/import", "/audiences/new", "/predictions?lang=da&calibrationEnd=" + holdout_start(base),
              "/import?lang=nb", "/audiences/new?lang=sv&filter=orders+%3E%3D+2"]
    if audiences:
        extras.append("/audiences/" + urllib.parse.quote(audiences[0]["name"], safe=""))
        extras.append("/audiences/" + urllib.parse.quote(audiences[0]["name"], safe="") + "?lang=da")
    # Pages the server has (a 404 here would be a missing page, which the page list in docs/dashboard.md names).
    for extra in extras:
        try:
            with urllib.request.urlopen(base + extra, timeout=60) as r:
                if r.status == 200:
                    urls.append(extra)
        except Exception:
            pass
    return urls


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    base, out = args[0].rstrip("/"), args[1]
    chromium = args[args.index("--chromium") + 1] if "--chromium" in args else (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"))
    if not chromium:
        print("browser test: Chromium is not installed (Debian: apt-get install chromium)")
        return 1
    os.makedirs(out, exist_ok=True)
    urls = pages(base)
    port = free_port()
    profile = tempfile.mkdtemp(prefix="clientele-chromium-")
    browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
                                f"--remote-debugging-port={port}", "--remote-allow-origins=*", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        target = None
        for _ in range(200):
            try:
                targets = get_json(f"http://127.0.0.1:{port}/json/list")
                target = next(t for t in targets if t.get("type") == "page")
                break
            except Exception:
                time.sleep(0.1)
        if target is None:
            print("browser test: Chromium did not start its DevTools endpoint")
            return 1
        dt = DevTools(target["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            dt.call(f"{domain}.enable")
        dt.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        for i, path in enumerate(urls):
            dt.events.clear()
            dt.call("Page.navigate", url=base + path)
            dt.wait_for("Page.loadEventFired", timeout=60)
            time.sleep(0.2)
            # Drain what arrived with the load, then read the page.
            status = None
            problems = []
            result = dt.call("Runtime.evaluate", expression="JSON.stringify({nav: document.querySelectorAll('nav a').length, h1: (document.querySelector('h1')||{}).textContent||'', title: document.title})", returnByValue=True)
            info = json.loads(result["result"]["value"])
            for e in dt.events:
                m, p = e.get("method"), e.get("params", {})
                if m == "Network.responseReceived" and p.get("type") == "Document":
                    status = p["response"]["status"]
                elif m == "Network.responseReceived" and p["response"]["status"] >= 400:
                    problems.append(f"{p['response']['url']} answered {p['response']['status']}")
                elif m == "Network.loadingFailed":
                    problems.append(f"loading failed: {p.get('errorText')}")
                elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                    problems.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
                elif m == "Runtime.exceptionThrown":
                    problems.append("exception: " + p["exceptionDetails"].get("text", "") + " " + str(p["exceptionDetails"].get("exception", {}).get("description", "")))
                elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                    problems.append("log: " + p["entry"].get("text", ""))
            if status != 200:
                problems.append(f"status {status}")
            if info["nav"] < 5:
                problems.append(f"navigation has {info['nav']} links")
            shot = dt.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            name = f"{i:02d}-" + ("".join(c if c.isalnum() else "-" for c in path.strip("/")) or "customers")[:60] + ".png"
            with open(os.path.join(out, name), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            verdict = "ok" if not problems else "FAILED"
            print(f"  {verdict:6} {path}  ({info['title']!s:.60}; screenshot {name})")
            for p in problems:
                print(f"         {p}")
                failures.append(f"{path}: {p}")
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"browser test: {len(urls)} pages, {len(failures)} problems; screenshots in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
