"""A small Chrome DevTools Protocol driver for headless Chromium (tests and benchmarks).

One websocket to the browser, one page session (flattened), every event kept.  The page
is watched the way a reviewer would: network requests (``Network.requestWillBeSent``, with
the network emulated offline, as on an air-gapped workstation), console errors and
uncaught exceptions (``Runtime``/``Log``), and JavaScript dialogs
(``Page.javascriptDialogOpening``: an ``alert()`` reaching the page is recorded and
dismissed, so a test can fail on it instead of hanging).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import websocket  # websocket-client

__all__ = ["Chromium", "Page", "chromium_binary", "CDPError"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class CDPError(RuntimeError):
    pass


def chromium_binary() -> str | None:
    env = os.environ.get("NETCONSOL_CHROMIUM")
    if env:
        return env
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """A headless Chromium with a remote-debugging websocket; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 800, timeout: float = 30.0):
        binary = chromium_binary()
        if not binary:
            raise CDPError("chromium not found (apt-get install chromium, or set NETCONSOL_CHROMIUM)")
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = tempfile.mkdtemp(prefix="netconsol-chromium-")
        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
                f"--window-size={width},{height}", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while True:
            if port_file.is_file():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    break
            if self.proc.poll() is not None:
                raise CDPError(f"chromium exited with {self.proc.returncode} before listening")
            if time.monotonic() > deadline:
                self.close()
                raise CDPError("chromium did not open its debugging port in time")
            time.sleep(0.05)
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{lines[0]}{lines[1]}", timeout=timeout,
                                              suppress_origin=True, enable_multithread=False)
        self._next = 0
        self.events: list[dict] = []
        self._responses: dict[int, dict] = {}

    # -- protocol ------------------------------------------------------------------------------
    def _recv(self, timeout: float) -> None:
        self.ws.settimeout(timeout)
        msg = json.loads(self.ws.recv())
        if "id" in msg:
            self._responses[msg["id"]] = msg
            return
        self.events.append(msg)
        if msg.get("method") == "Page.javascriptDialogOpening" and msg.get("sessionId"):
            # never let a dialog block the page: record it (above) and dismiss it
            self._send_raw("Page.handleJavaScriptDialog", {"accept": False}, msg["sessionId"])

    def _send_raw(self, method, params, session) -> int:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        return self._next

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        mid = self._send_raw(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while mid not in self._responses:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{method}: no answer in {timeout or self.timeout} s")
            try:
                self._recv(left)
            except websocket.WebSocketTimeoutException:
                continue
        msg = self._responses.pop(mid)
        if "error" in msg:
            raise CDPError(f"{method}: {msg['error']}")
        return msg.get("result", {})

    def pump(self, seconds: float) -> None:
        """Read events for *seconds*."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                self._recv(left)
            except websocket.WebSocketTimeoutException:
                return

    def new_page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session, target)

    def close(self) -> None:
        try:
            if getattr(self, "ws", None):
                try:
                    self.send("Browser.close", timeout=5)
                except Exception:
                    pass
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Page:
    """One tab, watched: requests, console errors, exceptions and dialogs are recorded."""

    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser, self.session, self.target = browser, session, target
        self.mark = len(browser.events)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # as on an air-gapped workstation: any request that would leave the machine fails
        self.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                       "uploadThroughput": -1})
        self.send("Emulation.setDeviceMetricsOverride", {"width": browser.width, "height": browser.height,
                                                         "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None, timeout=None):
        return self.browser.send(method, params, self.session, timeout)

    def _events(self, method=None):
        for e in self.browser.events[self.mark:]:
            if e.get("sessionId") == self.session and (method is None or e.get("method") == method):
                yield e

    # -- what happened since navigate() --------------------------------------------------------
    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    def dialogs(self) -> list[dict]:
        return [e["params"] for e in self._events("Page.javascriptDialogOpening")]

    def errors(self) -> list[str]:
        out = []
        for e in self._events():
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
            elif m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(f"log ({p['entry'].get('source')}): {p['entry'].get('text')} {p['entry'].get('url', '')}")
        return out

    # -- actions -------------------------------------------------------------------------------
    def navigate(self, url: str, timeout: float = 30.0, wait: bool = True) -> None:
        """Open *url*; with *wait*, until its load event (a page whose scripts block its
        thread never gets there: poll it with :meth:`wait_for` instead)."""
        self.mark = len(self.browser.events)
        self.send("Page.navigate", {"url": url})
        if not wait:
            return
        deadline = time.monotonic() + timeout
        while not any(True for _ in self._events("Page.loadEventFired")):
            if time.monotonic() > deadline:
                raise CDPError(f"{url}: no load event in {timeout} s")
            self.browser.pump(0.05)

    def evaluate(self, expression: str, timeout: float | None = None):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                      timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CDPError(f"{expression[:80]!r}: {d.get('exception', {}).get('description') or d.get('text')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30.0, interval: float = 0.05):
        """Poll *expression* until truthy; its value, or None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                v = self.evaluate(expression, timeout=max(1.0, deadline - time.monotonic()))
            except CDPError:
                v = None
            if v:
                return v
            if time.monotonic() > deadline:
                return None
            self.browser.pump(interval)

    def mouse(self, kind: str, x: float, y: float, button: str = "none", clicks: int = 0) -> None:
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": button,
                                               "clickCount": clicks})

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y, "left", 1)
        self.mouse("mouseReleased", x, y, "left", 1)

    def screenshot(self, path=None) -> bytes:
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        if path:
            Path(path).write_bytes(png)
        return png

    def close(self) -> None:
        try:
            self.browser.send("Target.closeTarget", {"targetId": self.target}, timeout=5)
        except CDPError:
            pass
