"""A headless Chromium driven over the Chrome DevTools Protocol on a pipe.

Imported by the CI's browser checks, not run. Chromium is started with
--remote-debugging-pipe: it reads protocol messages (JSON, each ended by a NUL byte) on
file descriptor 3 and writes its answers and events on file descriptor 4, so no port and no
WebSocket library is needed. One page, one cookie jar: what a person at one browser does.
"""

import base64
import fcntl
import json
import os
import select
import subprocess
import time


class BrowserError(Exception):
    pass


def _map_pipes(read_end, write_end):
    """In the child: the pipe Chromium reads as fd 3, the one it writes as fd 4 (first moved
    above both, so neither is overwritten by the other's move)."""
    high_read = fcntl.fcntl(read_end, fcntl.F_DUPFD, 10)
    high_write = fcntl.fcntl(write_end, fcntl.F_DUPFD, 10)
    os.dup2(high_read, 3)
    os.dup2(high_write, 4)


class Browser:
    def __init__(self, chromium, profile, width=1280, height=900):
        to_chrome_read, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_write = os.pipe()
        # Chromium reads fd 3 and writes fd 4: map the pipe ends there in the child.
        self._process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=lambda: _map_pipes(to_chrome_read, from_chrome_write))
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self._buffer = b""
        self._next_id = 0
        self._events = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def close(self):
        try:
            self._call("Browser.close", timeout=5)
        except BrowserError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()

    def _send(self, message):
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed its pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(self, method, params=None, session=None, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        deadline = time.monotonic() + timeout
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(answer)

    def call(self, method, params=None, timeout=30):
        """A command to the page."""
        return self._call(method, params, session=self._session, timeout=timeout)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, condition, what, timeout=30):
        """Polls `condition` (a JavaScript expression) until it is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.evaluate(condition):
                    return
            except BrowserError:
                pass  # the page is between documents
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {what} (at {self.location()})")

    def open(self, url, settle_on=None, timeout=30):
        """Navigates to `url` and waits until the document, after every redirect, is complete
        and (if given) its path starts with `settle_on`. Answers (final URL, HTML)."""
        self.call("Page.navigate", {"url": url})
        self.wait_until(
            "document.readyState === 'complete' && location.href !== 'about:blank'"
            + (f" && location.pathname.startsWith({json.dumps(settle_on)})" if settle_on else ""),
            f"{url} to load", timeout)
        return self.location(), self.html()

    def location(self):
        try:
            return self.evaluate("location.href")
        except BrowserError:
            return "(unknown)"

    def html(self):
        return self.evaluate("document.documentElement.outerHTML")

    def submit(self, script, settle_on, timeout=30):
        """Runs `script` (which fills in and submits a form) and waits until the page whose
        path starts with `settle_on` has loaded. Answers (final URL, HTML)."""
        self.evaluate(script)
        self.wait_until(
            f"document.readyState === 'complete' && location.pathname.startsWith({json.dumps(settle_on)})",
            f"the page under {settle_on}", timeout)
        return self.location(), self.html()

    def screenshot(self, path, width, height):
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        self.call("Emulation.clearDeviceMetricsOverride")
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
