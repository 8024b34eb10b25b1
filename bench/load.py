"""One load generator for every server: wrk (Debian's package), bounded in time and count.

A Lua script per case sets the method, headers and body; for posts it writes a fresh
sentence into every request (a counter and random words), so triage sees distinct texts
rather than one text clustered a thousand times. Each wrk thread stops after its share
of ``max_requests``; ``duration`` bounds the run in time. Latency percentiles come from
wrk's ``--latency`` distribution (wrk corrects for coordinated omission only in wrk2;
these are plain response times).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dataset import WORDS

WRK = shutil.which("wrk") or "wrk"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Case:
    """One kind of request: ``body`` is sent as is, unless ``post_template`` is given: a
    Lua format string with two ``%s`` (author, text) filled afresh for every request."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    post_template: str | None = None
    #: Runs this much longer than the others (Isso takes seconds per 1,000-comment read).
    duration_factor: float = 1.0


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors and timeouts
    bad_status: int  # answers other than 2xx/3xx


LUA = r"""
local max_per_thread = %(max)d
local headers = %(headers)s
local method = "%(method)s"
local path = "%(path)s"
local body = %(body)s
local post_template = %(post_template)s
local words = %(words)s
local done = 0
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919 + os.time())
end

local function sentence()
  counter = counter + 1
  local parts = {"Reader note", tostring(tid), tostring(counter) .. ":"}
  for i = 1, 18 do parts[#parts + 1] = words[math.random(#words)] end
  return table.concat(parts, " ") .. "."
end

function request()
  if post_template then
    local author = "Reader " .. tid .. "-" .. counter
    local text = sentence()
    local payload = string.format(post_template, author, text)
    return wrk.format(method, path, headers, payload)
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  done = done + 1
  if done >= max_per_thread then wrk.thread:stop() end
end
"""


def _lua_string(value: str | None) -> str:
    return "nil" if value is None else json.dumps(value)


def script(case: Case, max_per_thread: int) -> str:
    headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in case.headers)
    return LUA % {
        "max": max_per_thread,
        "headers": "{" + headers + "}",
        "method": case.method,
        "path": case.path,
        "body": _lua_string(case.body),
        "post_template": _lua_string(case.post_template),
        "words": "{" + ", ".join(json.dumps(word) for word in WORDS) + "}",
    }


def command(url: str, concurrency: int, duration: float, lua: Path) -> list[str]:
    threads = min(concurrency, 2)
    return [
        WRK,
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{duration:g}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(lua),
        url,
    ]


def run(
    base: str, case: Case, *, concurrency: int, duration: float, max_requests: int
) -> tuple[Result, list[str]]:
    """Runs wrk once; returns the figures and the command line it ran."""
    threads = min(concurrency, 2)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script(case, max(1, max_requests // threads)))
        lua = Path(handle.name)
    argv = command(base, concurrency, duration, lua)
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    finally:
        lua.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    return parse(done.stdout), argv


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(output: str) -> Result:
    """Reads wrk's summary (with ``--latency``)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not (rps and total and p50 and p99):
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    return Result(
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        requests=int(total.group(1)),
        errors=sum(int(g) for g in errors.groups()) if errors else 0,
        bad_status=int(bad.group(1)) if bad else 0,
    )
