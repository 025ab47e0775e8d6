"""A progress bar on stderr for long runs: files parsed of the total, rate and time left.

Drawn only for a person watching a terminal: never when stderr is not a TTY (piped, redirected,
captured) and never in CI (the ``CI`` environment variable that CI services set), where
carriage-return redraws turn into thousands of log lines.
"""

from __future__ import annotations

import os
import time

WIDTH = 24
REDRAW_EVERY = 0.1  # seconds: fast enough to look live, cheap next to parsing


def wanted(stream, environ=os.environ) -> bool:
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def bar_line(done: int, total: int, elapsed: float) -> str:
    """``lambdalint [#######.................] 1,234/5,000 files  410/s  ETA 0:09``"""
    fraction = done / total if total else 1.0
    filled = int(WIDTH * fraction)
    line = f"lambdalint [{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,} files"
    if elapsed > 0 and done:
        rate = done / elapsed
        line += f"  {rate:,.0f}/s  ETA {_clock((total - done) / rate)}"
    return line


class ProgressBar:
    """Called with a stage message (``bar("checking ...")``) and advanced per parsed file."""

    def __init__(self, stream, clock=time.monotonic):
        self.stream = stream
        self.clock = clock
        self.started: float | None = None
        self.last_draw = 0.0

    def _draw(self, text: str) -> None:
        self.stream.write(f"\r\033[K{text}")
        self.stream.flush()

    def __call__(self, message: str) -> None:
        self._draw(message)

    def advance(self, done: int, total: int) -> None:
        now = self.clock()
        if self.started is None:
            self.started = now
        if done < total and now - self.last_draw < REDRAW_EVERY:
            return
        self.last_draw = now
        self._draw(bar_line(done, total, now - self.started))

    def close(self) -> None:
        self._draw("")
