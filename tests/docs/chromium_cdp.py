"""A small Chrome DevTools Protocol client for headless Chromium, over `--remote-debugging-pipe`.

The pipe transport needs nothing beyond the standard library (no websocket package, no node):
Chromium reads commands from its fd 3 and writes replies and events to its fd 4, each one a JSON
message ended by a NUL byte. One page (a target attached in flat mode) is all the docs test needs.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Debian's package installs `chromium`; other systems name it differently.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI containers: the sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


class CDPError(RuntimeError):
    """A command the browser refused, or a browser that went away."""


def find_browser() -> str | None:
    """The path of a Chromium-family browser on PATH (CHROMIUM_PATH wins), or None."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


# Runs in the child before Chromium: the two pipe ends to fds 3 and 4, then exec (a POSIX shell
# would do, but dash refuses descriptors above 9).
_PLACE_PIPES = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)


def _above(fd: int, lowest: int) -> int:
    """The same pipe end as a descriptor numbered `lowest` or more (the old one closed)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium process with one page, driven through CDP commands."""

    def __init__(self, executable: str, window: tuple[int, int] = (1400, 1000)) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="ecom-synth-chromium-")
        # fds 3 and 4 of the child are our pipes (commands in, replies out); the ends passed down
        # sit at 10 and above first, so that placing them at 3 and 4 cannot overwrite each other
        cmd_read, self._cmd_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        cmd_read = _above(cmd_read, 10)
        reply_write = _above(reply_write, 10)
        args = [
            executable,
            *HEADLESS_FLAGS,
            f"--user-data-dir={self._profile.name}",
            f"--window-size={window[0]},{window[1]}",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            [sys.executable, "-c", _PLACE_PIPES, str(cmd_read), str(reply_write), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(cmd_read, reply_write),
        )
        os.close(cmd_read)
        os.close(reply_write)
        self._stderr_tail: list[str] = []
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read_replies, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.window = window
        self.resize(*window)

    # -- transport ---------------------------------------------------------------------------

    def _read_replies(self) -> None:
        buffer = b""
        with os.fdopen(self._reply_read, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                with self._changed:
                    for raw in messages:
                        message = json.loads(raw)
                        if "id" in message:
                            self._replies[message["id"]] = message
                        else:
                            self.events.append(message)
                    self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._stderr_tail = [*self._stderr_tail[-20:], line.decode(errors="replace")]

    def _stderr(self) -> str:
        return "its stderr ends with:\n" + "".join(self._stderr_tail)

    def call(self, method: str, session: bool = False, timeout: float = 30, **params: Any) -> Any:
        """Send one command (to the page when `session`, else to the browser); its result."""
        with self._changed:
            self._next_id += 1
            ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._cmd_write, data) :]
        except BrokenPipeError:
            raise CDPError(f"{method}: the browser exited; {self._stderr()}") from None
        with self._changed:
            self._changed.wait_for(lambda: ident in self._replies or self._closed, timeout)
            if ident not in self._replies:
                why = "exited" if self._closed else f"gave no answer within {timeout:.0f} s"
                raise CDPError(f"{method}: the browser {why}; {self._stderr()}") from None
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise CDPError(f"{method} {params}: {reply['error']}")
        return reply.get("result", {})

    # -- the page ----------------------------------------------------------------------------

    def evaluate(self, expression: str, timeout: float = 30) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call(
            "Runtime.evaluate",
            session=True,
            timeout=timeout,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JavaScript failed: {text}\n{expression}")
        return result["result"].get("value")

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)

    def wait_until(self, expression: str, what: str, timeout: float = 30) -> None:
        """Poll a JavaScript expression until it is truthy. Fails naming `what`."""
        deadline = time.monotonic() + timeout
        while True:
            # JavaScript's truth: a DOM node would come back as {} (it is not serialisable)
            if self.evaluate(f"Boolean({expression})"):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {what}")
            time.sleep(0.1)

    def resize(self, width: int, height: int) -> None:
        """The page's viewport, in CSS pixels (the window stays as started)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def screenshot(self, path: Path) -> None:
        """A PNG of the page's whole layout (beyond the window where it is taller), to `path`."""
        metrics = self.call("Page.getLayoutMetrics", session=True)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        data = self.call(
            "Page.captureScreenshot",
            session=True,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def events_where(self, keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        with self._changed:
            return [event for event in self.events if keep(event)]

    def close(self) -> None:
        with contextlib.suppress(CDPError):
            self.call("Browser.close", timeout=5)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._cmd_write)
        self._profile.cleanup()
