"""Benchmark: the dashboard under load on loopback.

A 300-unit city assessment (the bundled framework; indicator values resampled from the bundled
city data with seeded noise) is served by ``suanli serve`` in a child process on a free port.

**20 clients** (asyncio, in this process) then send requests for 30 s: 80% re-scores with random
slider weights (and now and then another normalisation) as the ranking page sends them on a slider
move (``POST /api/assessments/city/scores``), 10% unit profiles, 10% metadata; every answer is read
whole and parsed as JSON, as the page does.
Each client behaves like one browser page of the dashboard: it has one request in flight at a
time (the page sends the newest slider settings when the previous answer is in), and after each
answer it spends ``--think-ms`` (default 100 ms, drawn uniformly from 50–150 ms) rendering the
table and charts and moving the slider on. So 20 clients offer at most about 200 requests a
second. ``p50_ms``/``p95_ms`` are that run's end-to-end latencies (client send to answer read and
parsed). The clients share the two cores with the server (browsers would not), so each is one
keep-alive HTTP/1.1 connection over asyncio streams, which costs about 1 ms of CPU a request
against about 3.7 ms with httpx (``--client httpx`` runs httpx; ``client_cpu_ms_per_request``
reports what the clients used).

A second, shorter phase sends the same mix with **no think time** (each client fires its next
request the moment the answer is in): that saturates the server, and by Little's law its latency
is the number of clients divided by the throughput, so it measures capacity, not responsiveness.
It is reported as ``saturated_p95_ms`` and ``saturated_rps``.

The baseline, measured in the same run, is the engine alone: ``Rescorer.rescore`` for 300 units
in-process, without HTTP.

Then Debian's chromium (Playwright, no browser download) opens the ranking page of the same
server while it is idle and moves a weight slider 40 times: ``slider_p95_ms`` is the time from
the slider change (the ``input`` event a drag fires) to the updated table painted (the page's
settings key and ``busy = 0``, then the next frame), measured by the page's own clock: the
request, the answer and the rendering are all in it.

Reported: latency p50/p95 of every request, the server-side re-score time p95 (the endpoint's
own ``rescore_ms``: engine, ranks, effective weights and correlations), the engine-only p95, the number of errors
(non-2xx or transport failures) in both phases, and the machine's load average at the start
(other processes share the cores). The last stdout line is one JSON object with ``p50_ms``,
``p95_ms``, ``rescore_p95_ms``, ``errors`` and ``slider_p95_ms``.

    .venv/bin/python benchmarks/dashboard.py [--clients 20] [--seconds 30] [--units 300] [--think-ms 100]
        [--client streams|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import yaml

from suanli.edition import default_edition_dir


def make_edition(folder: Path, units: int, seed: int = 7) -> Path:
    """An edition with only the city assessment, ``units`` units, one year (synthetic)."""
    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    (folder / "data").mkdir(parents=True)
    fw_in = ed["inputs"]["index_city_framework"]
    shutil.copyfile(src / fw_in["path"], folder / fw_in["path"])
    df = pd.read_csv(src / ed["inputs"]["index_city_indicators"]["path"])
    df = df[df["year"] == df["year"].max()]
    wide = df.pivot_table(index="unit_id", columns="indicator_id", values="value", aggfunc="first")
    rng = np.random.default_rng(seed)
    base = wide.to_numpy()
    rows = []
    for u in range(units):
        x = base[rng.integers(len(base))] * rng.lognormal(0.0, 0.25, base.shape[1])
        for j, ind in enumerate(wide.columns):
            if np.isfinite(x[j]):
                rows.append((2025, f"u{u:04d}", f"城市{u:04d}", ind, round(float(x[j]), 4), "synthetic",
                             "benchmarks/dashboard.py seed 7", ["华北", "华东", "华南", "西部"][u % 4]))
    out = pd.DataFrame(rows, columns=["year", "unit_id", "unit_name", "indicator_id", "value", "data_status",
                                      "source", "region"])
    out.to_csv(folder / "data" / "index_city_indicators.csv", index=False)
    edition = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher")}
    edition.update(synthetic=True, inputs={
        "index_city_framework": fw_in,
        "index_city_indicators": {"path": "data/index_city_indicators.csv", "kind": "indicators", "synthetic": True,
                                  "source": "benchmarks/dashboard.py (seeded resample)"}},
        assessments={"city": ed["assessments"]["city"]})
    (folder / "edition.yaml").write_text(yaml.safe_dump(edition, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    return folder


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 where unknown. CPU time per
    request hardly depends on how many other processes share the cores, unlike wall time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def engine_baseline(edition: Path, ids: list[str], n: int = 300) -> tuple[float, int]:
    """p95 ms of Rescorer.rescore alone (in-process) for random weights, and the unit count."""
    from suanli.web.source import Source

    src = Source.open(edition)
    v = src.view("city")
    rng = random.Random(1)
    times = []
    for _ in range(n):
        w = {k: round(rng.uniform(0.05, 1.0), 2) for k in ids}
        t0 = time.perf_counter()
        v.rescorer.rescore(w)
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.percentile(times, 95)), len(v.unit_ids)


class Connection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: a request, then its answer read
    whole (``Content-Length``). The clients share the machine's two cores with the server, so
    their own CPU per request is kept small (about a third of httpx's; ``--client httpx`` runs
    httpx instead); what they measure is the same: from sending the request to the answer read."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        hdr = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
        if "content-length" not in hdr:
            raise ValueError("answer without Content-Length")
        data = await self.reader.readexactly(int(hdr["content-length"]))
        if hdr.get("connection", "").lower() == "close":
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(url: str, clients: int, seconds: float, ids: list[str], norms: list[str],
               think_ms: float = 0.0, kind: str = "streams") -> dict:
    lat: list[float] = []
    rescore_ms: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    end = time.perf_counter() + seconds
    host, port = url.rsplit("//", 1)[1].rsplit(":", 1)

    async def client(k: int, http: httpx.AsyncClient | None) -> None:
        nonlocal errors
        rng = random.Random(k)
        conn = Connection(host, int(port))
        while time.perf_counter() < end:
            r = rng.random()
            w = {i: round(rng.uniform(0, 1), 2) for i in rng.sample(ids, k=min(len(ids), 4))}
            body = {"weights": w, "normalisation": rng.choice(norms) if rng.random() < 0.1 else None}
            if r < 0.8:          # what the ranking page sends on a slider move
                method, path = "POST", "/api/assessments/city/scores"
            elif r < 0.9:        # the unit page
                method, path = "POST", f"/api/assessments/city/units/u{rng.randrange(300):04d}"
            else:
                method, path = "GET", "/api/meta"
            t0 = time.perf_counter()
            try:
                if http is not None:
                    resp = await http.request(method, path, json=body if method == "POST" else None)
                    status, data = resp.status_code, resp.content
                else:
                    payload = json.dumps(body).encode() if method == "POST" else None
                    status, data = await asyncio.wait_for(conn.request(method, path, payload), 30)
                ok = status == 200
                answer = json.loads(data)          # the page parses every answer
                if ok and r < 0.8:
                    rescore_ms.append(answer["rescore_ms"])
                why = "" if ok else f"HTTP {status}"
            except (TimeoutError, httpx.HTTPError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                ok, why = False, type(exc).__name__
                conn.close()
            if not ok:
                kinds[why] = kinds.get(why, 0) + 1
            lat.append((time.perf_counter() - t0) * 1000)
            errors += 0 if ok else 1
            if think_ms > 0:     # the page renders the answer; the person moves the slider on
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)
        conn.close()

    if kind == "httpx":
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
            await asyncio.gather(*(client(k, http) for k in range(clients)))
    else:
        await asyncio.gather(*(client(k, None) for k in range(clients)))
    return {"lat": lat, "rescore": rescore_ms, "errors": errors, "kinds": kinds}


#: In the page: move the slider (set its value and fire ``input`` as a drag does), wait until the
#: page has the answer for exactly these settings in its table (``busy = 0`` and the settings key),
#: then until that frame is painted (a requestAnimationFrame and the task after it); the time is
#: measured by the page's own clock, so Playwright's round trips are not in it.
SLIDER_JS = """([node, value, want]) => new Promise((done, fail) => {
  const inp = document.getElementById('w-' + node);
  const t0 = performance.now();
  inp.value = value;
  inp.dispatchEvent(new Event('input', { bubbles: true }));
  const ready = () => document.body.dataset.busy === '0' && (document.body.dataset.settings || '').includes(want);
  const painted = () => requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
  const timer = setTimeout(() => fail(new Error('no updated table after 30 s')), 30000);
  const mo = new MutationObserver(() => { if (ready()) { mo.disconnect(); clearTimeout(timer); painted(); } });
  mo.observe(document.body, { attributes: true });
})"""


def slider_latency(url: str, ids: list[str], n: int = 40) -> float | None:
    """p95 ms from a slider change to the re-rendered ranking table, painted, in chromium (None
    without chromium)."""
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright

    base = {n["id"]: float(n["weight"]) for n in httpx.get(url + "/api/assessments/city").json()["nodes"]}
    times = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True,
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/cities")
        page.wait_for_function("() => document.body.dataset.busy === '0'", timeout=60000)
        rng = random.Random(3)
        for i in range(n):
            node = ids[i % len(ids)]
            v = round(rng.choice([0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]), 2)
            cur = float(page.locator(f"#w-{node}").input_value())
            while abs(cur - v) < 1e-9 or abs(base.get(node, -1) - v) < 1e-9:   # the framework's weight is not in the URL
                v = round(rng.choice([0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]), 2)
            want = f"{node}%3A{v:g}"
            times.append(page.evaluate(SLIDER_JS, [node, str(v), want]))
        b.close()
    return float(np.percentile(times, 95))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--think-ms", type=float, default=100.0,
                    help="mean time a client spends between an answer and its next request")
    ap.add_argument("--saturated-seconds", type=float, default=10.0,
                    help="length of the phase without think time (0 = skip it)")
    ap.add_argument("--slider-moves", type=int, default=40,
                    help="slider moves in chromium for slider_p95_ms (0 = skip the browser)")
    ap.add_argument("--client", choices=["streams", "httpx"], default="streams",
                    help="HTTP client of the load phases: plain asyncio streams (little CPU) or httpx")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="suanli-dash-bench-"))
    load_at_start = round(os.getloadavg()[0], 2)
    load_start = [round(x, 2) for x in os.getloadavg()]
    proc = None
    try:
        edition = make_edition(tmp / "edition", a.units)
        fw = yaml.safe_load((edition / "data" / "index_city_framework.yaml").read_text(encoding="utf-8"))
        ids = []

        def walk(n: dict, depth: int) -> None:
            for c in n.get("children", []):
                if c.get("children") and any(g.get("children") for g in c["children"]) or depth < 2:
                    if c.get("children"):
                        ids.append(c["id"])
                walk(c, depth + 1)

        walk(fw["tree"], 0)
        base_p95, n_units = engine_baseline(edition, ids)
        port = free_port()
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        proc = subprocess.Popen([sys.executable, "-m", "suanli", "serve", str(edition), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        url = f"http://127.0.0.1:{port}"
        t0 = time.time()
        while True:
            try:
                if httpx.get(url + "/api/meta", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() - t0 > 60:
                raise SystemExit("server did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))
            time.sleep(0.1)
        norms = httpx.get(url + "/api/assessments/city").json()["normalisations"]
        cpu0, own0 = cpu_seconds(proc.pid), cpu_seconds(os.getpid())
        res = asyncio.run(load(url, a.clients, a.seconds, ids, norms, a.think_ms, a.client))
        cpu_ms = (cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, len(res["lat"]))
        client_cpu_ms = (cpu_seconds(os.getpid()) - own0) * 1000 / max(1, len(res["lat"]))
        sat = (asyncio.run(load(url, a.clients, a.saturated_seconds, ids, norms, 0.0, a.client))
               if a.saturated_seconds > 0 else None)
        load_after = [round(x, 2) for x in os.getloadavg()]
        slider_p95 = slider_latency(url, ids, a.slider_moves) if a.slider_moves > 0 else None
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    lat = np.array(res["lat"])
    out = {
        "p50_ms": round(float(np.percentile(lat, 50)), 2), "p95_ms": round(float(np.percentile(lat, 95)), 2),
        "rescore_p95_ms": round(float(np.percentile(res["rescore"], 95)), 2), "errors": int(res["errors"]),
        "requests": len(lat), "rps": round(len(lat) / a.seconds, 1), "clients": a.clients, "seconds": a.seconds,
        "units": n_units, "engine_rescore_p95_ms": round(base_p95, 2),
        "slider_p95_ms": round(slider_p95, 2) if slider_p95 is not None else None,
        "think_ms": a.think_ms, "client": a.client,
        "saturated_p95_ms": round(float(np.percentile(sat["lat"], 95)), 2) if sat and sat["lat"] else None,
        "saturated_rps": round(len(sat["lat"]) / a.saturated_seconds, 1) if sat else None,
        "saturated_errors": int(sat["errors"]) if sat else None,
        "error_kinds": {k: v for d in (res, sat or {}) for k, v in d.get("kinds", {}).items()},
        "server_cpu_ms_per_request": round(cpu_ms, 2),
        # the 20 clients run in this process on the same cores as the server: their CPU per request
        "client_cpu_ms_per_request": round(client_cpu_ms, 2),
        "load_avg_1min": load_at_start,
        # 1, 5 and 15 min load averages when the run started, after the load phases and at the end:
        # other processes share the two cores, and every latency above depends on them
        "load_average": load_start, "load_average_after_load": load_after,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"{out['requests']} requests from {a.clients} clients in {a.seconds:g} s on loopback, {n_units} units: "
          f"p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms; re-score in the endpoint p95 {out['rescore_p95_ms']} ms "
          f"(engine alone {out['engine_rescore_p95_ms']} ms); errors {out['errors']}; "
          f"saturated (no think time): p95 {out['saturated_p95_ms']} ms at {out['saturated_rps']} req/s; "
          f"slider p95 {out['slider_p95_ms']} ms; server CPU {out['server_cpu_ms_per_request']} ms a request; "
          f"load average {load_at_start}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
