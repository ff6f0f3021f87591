"""Rank intervals for the current settings: ``POST /api/assessments/{name}/intervals`` starts a
job, ``GET /api/intervals/{job}`` reports its progress and, when done, the intervals.

The build's rank intervals (``index_<name>_rank_intervals``, the uncertainty stage) hold for the
settings as built. When the page's weights or methods differ, this recomputes them with the same
engine (:func:`suanli.index.uncertainty.run.run_uncertainty`) on the pipeline of the current
settings (the steps a saved scenario's YAML holds), with a bounded number of Monte Carlo samples:

* the uncertain inputs are the edition's for this assessment (without a declaration: every weight
  level with siblings ×U(0.75, 1.25), as ``suanli index uncertainty`` does);
* weights vary around the *current* weights;
* a method the settings fix (a normalisation or an aggregation chosen on the page) is held fixed:
  the edition's alternatives for that step are left out, and the answer lists what varied;
* the seed is the edition's, so the same settings give the same intervals; no Sobol design.

Jobs run one at a time in their own thread (the re-scoring threads stay free), at most
:data:`MAX_QUEUED` wait; finished answers are kept for :data:`KEEP` jobs and a repeated request
for the same settings and samples returns the job that already has them. A job whose progress
nobody has asked for in :data:`ABANDON_S` seconds (the page closed, a script that never polls)
stops between two chunks of samples, so abandoned requests cannot keep the server busy.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from ..errors import SuanliError
from .api import ERRORS, Name, Settings, _check, _short, _view, is_as_built, run, scenario_steps
from .source import AssessmentView

MIN_SAMPLES, MAX_SAMPLES, DEFAULT_SAMPLES = 50, 2000, 500
MAX_QUEUED = 4
ABANDON_S = 10.0     # a job nobody has asked about for this long stops (the page polls every 0.3 s)
KEEP = 32
CHUNKS = 20          # progress steps per job


class IntervalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    settings: Settings = Field(default_factory=Settings)
    samples: int = Field(DEFAULT_SAMPLES, ge=MIN_SAMPLES, le=MAX_SAMPLES,
                         description=f"Monte Carlo samples ({MIN_SAMPLES}–{MAX_SAMPLES}; the build uses the edition's)")


class UnitInterval(BaseModel):
    unit_id: str
    nominal_rank: float | None
    median_rank: float | None
    q05: float | None
    q95: float | None
    p_top10: float | None


class IntervalResult(BaseModel):
    assessment: str
    settings: Settings
    as_built: bool = Field(description="the settings equal the build's")
    samples: int
    seed: int
    inputs: list[str] = Field(description="the uncertain inputs that varied")
    held: list[str] = Field(description="edition inputs left out because the settings fix that method")
    source: str = Field(description="'edition' (its uncertainty section) or 'default' (weights ±25%)")
    units: list[UnitInterval]
    elapsed_ms: float
    value_class: Literal["modelled", "synthetic"]


class IntervalJob(BaseModel):
    job: str
    status: Literal["queued", "running", "done", "failed"]
    phase: str
    done: int
    total: int
    error: str | None = None
    result: IntervalResult | None = None


class Abandoned(Exception):
    """Nobody is waiting for this job any more."""


class _Jobs:
    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suanli-intervals")
        self.jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.by_key: dict[str, str] = {}
        self.lock = threading.Lock()

    def waiting(self) -> int:
        return sum(1 for j in self.jobs.values() if j["status"] in ("queued", "running"))

    def forget_old(self) -> None:
        while len(self.jobs) > KEEP:
            old = next((k for k, j in self.jobs.items() if j["status"] in ("done", "failed")), None)
            if old is None:
                return
            job = self.jobs.pop(old)
            if self.by_key.get(job["key"]) == old:
                del self.by_key[job["key"]]


def _jobs(request: Request) -> _Jobs:
    state = request.app.state
    j = getattr(state, "interval_jobs", None)
    if j is None:
        j = state.interval_jobs = _Jobs()
    return j


def _spec(v: AssessmentView, settings: Settings, samples: int) -> tuple[dict[str, Any], list[str], str]:
    """The uncertainty spec for these settings: the edition's inputs less the fixed methods."""
    from ..index.uncertainty.cli import default_inputs

    held: list[str] = []
    if v.uspec is not None:
        raw = v.uspec.model_dump(mode="json", exclude_none=True)
        fixed = set()
        if settings.normalisation and settings.normalisation != v.base_normalisation:
            fixed.add("normalise")
        if settings.aggregation and settings.aggregation != v.base_aggregation:
            fixed.add("aggregate")
        keep = []
        for inp, obj in zip(raw["inputs"], v.uspec.inputs, strict=True):
            if inp.get("kind") in fixed:
                held.append(obj.label())
            else:
                keep.append(inp)
        raw["inputs"] = keep or default_inputs(v.framework)
        source = "edition"
    else:
        raw = {"inputs": default_inputs(v.framework), "seed": 1}
        source = "default"
    for k in ("sobol_n", "bootstrap", "conf_level", "assessment", "nodes", "year"):
        raw.pop(k, None)
    raw.update(samples=samples, sobol=False, chunk_size=max(1, math.ceil(samples / CHUNKS)))
    return raw, held, source


def compute(v: AssessmentView, settings: Settings, samples: int,
            progress: Any = None) -> IntervalResult:
    """Rank intervals of the index for ``settings`` (see the module docstring)."""
    from ..index.uncertainty.run import run_uncertainty

    t0 = time.perf_counter()
    raw, held, source = _spec(v, settings, samples)
    steps = scenario_steps(v, settings)
    res = run_uncertainty(raw, v.data, steps, previous=v.previous_data,
                          progress=(lambda _phase, d, n: progress(d, n)) if progress else None)
    ri = res.rank_intervals()
    ri = ri[ri["node_id"] == v.framework.root_id]

    def f(x: Any) -> float | None:
        x = float(x)
        return x if math.isfinite(x) else None

    units = [UnitInterval(unit_id=str(r.unit_id), nominal_rank=f(r.nominal_rank), median_rank=f(r.median_rank),
                          q05=f(r.q05), q95=f(r.q95), p_top10=f(r.p_top10)) for r in ri.itertuples()]
    return IntervalResult(assessment=v.name, settings=settings, as_built=is_as_built(v, settings), samples=samples,
                          seed=int(res.spec.seed), inputs=[fa.name for fa in res.prepared.factors], held=held,
                          source=source, units=units, elapsed_ms=round((time.perf_counter() - t0) * 1000, 1),
                          value_class="synthetic" if v.synthetic else "modelled")


router = APIRouter(prefix="/api", responses=ERRORS)


def _answer(jid: str, job: dict[str, Any]) -> IntervalJob:
    return IntervalJob(job=jid, status=job["status"], phase=job["phase"], done=job["done"], total=job["total"],
                       error=job.get("error"), result=job.get("result"))


@router.post("/assessments/{name}/intervals", response_model=IntervalJob, status_code=202,
             responses={429: ERRORS[422]},
             summary="Start recomputing the rank intervals for the current settings (uncertainty engine)")
async def start(request: Request, name: Name, body: IntervalRequest) -> IntervalJob:
    v = _view(request, name)
    if v.data is None:
        raise HTTPException(422, f"assessment '{name}' has no data loaded for the uncertainty engine")
    _check(v, body.settings)
    from .api import offload

    await offload(request, run, v, body.settings)       # settings the engine cannot score are a 422 now
    jobs = _jobs(request)
    key = f"{name}|{body.settings.model_dump_json()}|{body.samples}"
    with jobs.lock:
        jid = jobs.by_key.get(key)
        if jid is not None and jobs.jobs[jid]["status"] != "failed":
            jobs.jobs[jid]["seen"] = time.monotonic()
            return _answer(jid, jobs.jobs[jid])
        if jobs.waiting() >= MAX_QUEUED:
            raise HTTPException(429, f"{jobs.waiting()} interval computations are already waiting; "
                                     "try again when one has finished")
        jid = uuid.uuid4().hex[:16]
        job: dict[str, Any] = {"key": key, "status": "queued", "phase": "queued", "done": 0, "total": CHUNKS,
                               "seen": time.monotonic()}
        jobs.jobs[jid] = job
        jobs.by_key[key] = jid
        jobs.forget_old()

    def alive() -> None:
        if time.monotonic() - job["seen"] > ABANDON_S:
            raise Abandoned(f"stopped: nobody asked for its progress in {ABANDON_S:g} s")

    def progress(done: int, total: int) -> None:
        job.update(done=done, total=total, phase="sampling")
        alive()

    def work() -> None:
        job.update(status="running", phase="preparing")
        try:
            alive()
            job["result"] = compute(v, body.settings, body.samples, progress)
            job.update(status="done", phase="done", done=job["total"])
        except (SuanliError, ValueError, FloatingPointError, Abandoned) as exc:
            job.update(status="failed", phase="failed", error=_short(str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the page, never a silent hang
            job.update(status="failed", phase="failed", error=f"internal error ({type(exc).__name__}): {exc}"[:600])

    jobs.pool.submit(work)
    return _answer(jid, job)


@router.get("/intervals/{job}", response_model=IntervalJob, summary="Progress and result of an interval job")
async def status(request: Request,
                 job: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="job id from the POST")]
                 ) -> IntervalJob:
    jobs = _jobs(request)
    j = jobs.jobs.get(job)
    if j is None:
        raise HTTPException(404, f"no interval job '{job}' (finished jobs are kept for the last {KEEP})")
    j["seen"] = time.monotonic()
    return _answer(job, j)
