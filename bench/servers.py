"""Starting, watching and stopping the servers under test, on loopback only.

Each server runs in its own session (process group) so that stopping it ends exactly the
processes the bench started. Peak memory is the kernel's high-water mark (``VmHWM``) of
every process of the server, reset before each measured row (``clear_refs``), so a row's
peak is its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Server:
    name: str
    argv: list[str]
    port: int
    ready_path: str
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            self.argv,
            env={**os.environ, **self.env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=5) as answer:
                    if answer.status < 500:
                        return
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return
                time.sleep(0.2)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer in {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def wait_idle(self, timeout: float = 60.0, busy: float = 0.05) -> None:
        """Waits until the server's processes use under ``busy`` of a core: a load
        generator that stops leaves requests in flight, which must not spill into the
        next case's figures."""
        deadline = time.monotonic() + timeout
        before = _cpu_seconds(self.pids())
        while time.monotonic() < deadline:
            time.sleep(0.5)
            after = _cpu_seconds(self.pids())
            if after - before < busy * 0.5:
                return
            before = after

    def pids(self) -> list[int]:
        """The server's processes: the one started and all its descendants."""
        if self.process is None:
            return []
        return [self.process.pid, *descendants(self.process.pid)]

    def cpu_of_children(self) -> dict[int, float]:
        """CPU seconds of each direct child with its own descendants: with ``--workers N``,
        one figure per worker (its assessment child included)."""
        if self.process is None:
            return {}
        children = [p for p in descendants(self.process.pid) if _parent(p) == self.process.pid]
        return {pid: _cpu_seconds([pid, *descendants(pid)]) for pid in children}

    def reset_peaks(self) -> None:
        for pid in self.pids():
            # Gone, or a kernel without peak reset: then the peak is since start.
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss_mib(self) -> float:
        """The largest high-water mark among the server's web processes (one worker's
        peak), leaving out our assessment processes (``python -m commentdesk.assessing``),
        which hold the models and serve no request."""
        web = [pid for pid in self.pids() if not _is_assessor(pid)]
        return max((_hwm_kib(pid) for pid in web), default=0) / 1024


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _is_assessor(pid: int) -> bool:
    try:
        return b"commentdesk.assessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
