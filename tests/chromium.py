"""Drive a real headless Chromium over the DevTools protocol: load a page, collect every
console error, uncaught exception and browser log error (CSP violations, failed loads),
evaluate expressions in the rendered page, and take a full-page screenshot.

The browser is Debian's `chromium` (.ci/run installs it); `find_chromium()` returns None
when it is absent so that the tests using it are reported as skipped."""

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import websocket

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-port=0")
LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
DEADLINE = 60  # seconds: a guard against a hung browser, not a measured quantity


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class PageRun:
    errors: list[str] = field(default_factory=list)
    values: list = field(default_factory=list)
    screenshot: bytes = b""


class DevTools:
    """A minimal DevTools client: one websocket to the browser, one flattened page session."""

    def __init__(self, url: str):
        self.ws = websocket.create_connection(url, timeout=DEADLINE, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        end = time.monotonic() + DEADLINE
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > end:
                raise TimeoutError(f"no {method} from chromium")
            self.events.append(json.loads(self.ws.recv()))

    def close(self):
        self.ws.close()


def _errors(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        p = e.get("params", {})
        if e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif e.get("method") == "Runtime.exceptionThrown":
            out.append("exception: " + p.get("exceptionDetails", {}).get("exception", {}).get("description", str(p)))
        elif e.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            out.append(f"log ({p['entry'].get('source')}): {p['entry'].get('text')}")
    return out


def load_page(chromium: str, url: str, expressions: tuple[str, ...] = (), width: int = 1400) -> PageRun:
    """Open `url`, wait for its load event, evaluate `expressions`, screenshot the full page."""
    profile = tempfile.mkdtemp(prefix="genmei-chromium-")
    proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ws_url = None
        for line in proc.stderr:
            m = LISTENING.search(line)
            if m:
                ws_url = m.group(1)
                break
        if not ws_url:
            raise RuntimeError(f"chromium exited without a DevTools endpoint (code {proc.wait()})")
        dt = DevTools(ws_url)
        try:
            target = dt.call("Target.createTarget", url="about:blank")["targetId"]
            session = dt.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
                dt.call(domain, session)
            dt.call("Emulation.setDeviceMetricsOverride", session, width=width, height=1000, deviceScaleFactor=1, mobile=False)
            dt.events.clear()
            dt.call("Page.navigate", session, url=url)
            dt.wait_for("Page.loadEventFired")
            run = PageRun()
            for expr in expressions:
                res = dt.call("Runtime.evaluate", session, expression=expr, returnByValue=True)
                if "exceptionDetails" in res:
                    raise RuntimeError(f"evaluating {expr[:60]}: {res['exceptionDetails']}")
                run.values.append(res["result"].get("value"))
            size = dt.call("Page.getLayoutMetrics", session)["cssContentSize"]
            shot = dt.call("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                           clip={"x": 0, "y": 0, "width": width, "height": min(size["height"], 12000), "scale": 1})
            run.screenshot = base64.b64decode(shot["data"])
            run.errors = _errors(dt.events)
            return run
        finally:
            dt.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
