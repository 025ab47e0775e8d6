"""The progress bar: drawn for a person at a terminal only, throttled, with rate and ETA."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from lambdalint.progress import ProgressBar, bar_line, wanted

from .conftest import write_files


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_only_on_a_terminal_outside_ci():
    assert wanted(_Tty(), {}) is True
    assert wanted(io.StringIO(), {}) is False  # piped or redirected
    assert wanted(_Tty(), {"CI": "true"}) is False
    assert wanted(_Tty(), {"CI": "1"}) is False
    assert wanted(_Tty(), {"CI": "false"}) is True
    assert wanted(_Tty(), {"TERM": "dumb"}) is False


def test_bar_line_counts_rate_and_eta():
    assert bar_line(0, 5000, 0.0) == "lambdalint [........................] 0/5,000 files"
    assert bar_line(1250, 5000, 5.0) == "lambdalint [######..................] 1,250/5,000 files  250/s  ETA 0:15"
    assert bar_line(5000, 5000, 10.0).endswith("5,000/5,000 files  500/s  ETA 0:00")
    assert "ETA 1:00:00" in bar_line(1, 3601, 1.0)


def test_redraws_are_throttled_but_the_last_is_drawn():
    now = [0.0]
    stream = _Tty()
    bar = ProgressBar(stream, clock=lambda: now[0])
    for done in range(1, 101):
        now[0] += 0.001
        bar.advance(done, 100)
    draws = stream.getvalue().count("\r")
    assert draws <= 3 and "100/100 files" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r\033[K")


@pytest.mark.parametrize("env", [{}, {"CI": "true"}])
def test_nothing_on_stderr_when_piped(tmp_path, env):
    write_files(tmp_path, {f"pkg/m{i}.py": "def lambda_handler(event, context):\n    return 1\n" for i in range(20)})
    proc = subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", ".", "--jobs", "2", "--fail-on", "never"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_engine_reports_every_parsed_file(tmp_path):
    from lambdalint.config import Settings
    from lambdalint.engine import run
    from lambdalint.rules.registry import load_rules

    write_files(tmp_path, {f"m{i}.py": "x = 1\n" for i in range(20)})
    seen = []

    class Recorder:
        def __call__(self, message):
            seen.append(message)

        def advance(self, done, total):
            seen.append((done, total))

    rules = load_rules()
    for jobs in (1, 2):
        seen.clear()
        run([str(tmp_path)], Settings(), rules, set(rules), jobs=jobs, progress=Recorder())
        counts = [s for s in seen if isinstance(s, tuple)]
        assert counts == [(i, 20) for i in range(1, 21)]


def test_bar_is_drawn_on_a_terminal(tmp_path):
    import pty

    write_files(tmp_path, {f"pkg/m{i}.py": "def lambda_handler(event, context):\n    return 1\n" for i in range(20)})
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TERM"] = "xterm"
    proc = subprocess.run([sys.executable, "-m", "lambdalint", "check", ".", "--fail-on", "never"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    drawn = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "20/20 files" in drawn and drawn.endswith("\r\033[K")
    assert proc.stdout.decode().startswith("Found 0 findings")  # the report itself is untouched
