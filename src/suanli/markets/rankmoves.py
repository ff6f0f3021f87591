"""Rank-move feasibility: are a published ranking, the previous ranks it states and its "moved
up / down" claims mutually consistent?

A report prints this year's top N and says things like "上海较前一年上升一名", "成都排名提升了两位",
"天津闯入榜单" or "北京持续位列第一", sometimes with the list of every city that improved ("五座城市
排名提升"). Those claims constrain last year's ranks. The question is an assignment problem: give
every listed entry one previous rank in 1..M or "outside the previous list" (M+1), each previous
rank 1..M to at most one listed entry, such that every claim holds. It is solved as a 0/1 integer
programme with :func:`scipy.optimize.milp`:

* ``x[i, k] = 1`` when entry ``i`` had previous rank ``k`` (``k = M+1``: outside);
* every entry has exactly one previous rank; every rank 1..M is held by at most one entry
  (entries outside this year's list may hold the others);
* every claim ``j`` about entry ``i`` allows a set ``A_j`` of previous ranks; a drop variable
  ``d_j`` relaxes it: ``Σ_{k ∉ A_j} x[i, k] ≤ d_j``. Minimising ``Σ d_j`` gives a feasible
  assignment when the optimum is 0, and otherwise the fewest claims that must go for the rest to
  hold (the contradiction, named claim by claim).

When the claims are consistent, each entry's feasible previous ranks are found by fixing
``x[i, k] = 1`` in turn; entries with one feasible rank are *determined* by the claims, and a
previous rank the input marks as derived is checked against that set.

Claim words (the ``change`` column of the rankings layout): ``same``; ``up N`` / ``down N``;
``improved`` (moved up, magnitude not stated); ``entered top N`` / ``entered`` (outside the previous
list); ``declined``. Only rows whose ``previous_rank_basis`` is ``stated`` or ``derived-wording``
are claims; ``derived`` rows are results to verify, never inputs. With ``improved_complete`` the
entries claimed to have improved are *all* that improved: every other listed entry was inside the
previous list at the same rank or higher (better) up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

CLAIM_BASES = ("stated", "derived-wording")
_UP = re.compile(r"^\s*up\s+(\d+)\s*$", re.I)
_DOWN = re.compile(r"^\s*down\s+(\d+)\s*$", re.I)


@dataclass
class Claim:
    entry: str
    text: str  # what the report says, as in the input
    allowed: frozenset[int]  # previous ranks (M+1 = outside the previous list) the claim allows


@dataclass
class RankMoveResult:
    ranking: str
    size: int  # M, the length of the previous list considered
    feasible: bool
    assignment: dict[str, int]  # one feasible previous rank per entry (M+1 = outside)
    options: dict[str, list[int]]  # every feasible previous rank per entry (empty when infeasible)
    dropped: list[Claim] = field(default_factory=list)  # fewest claims to drop (infeasible case)
    claims: list[Claim] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # derived previous ranks the claims do not give

    def label(self, k: int) -> str:
        return f">{self.size}" if k > self.size else str(k)


def _num(x) -> int | None:
    try:
        s = str(x).strip()
        return int(float(s)) if s and s.lower() not in ("nan", "none") else None
    except ValueError:
        return None


def parse_claims(rows: list[dict], size: int, improved_complete: bool = False,
                 improved: list[str] | tuple[str, ...] = ()) -> list[Claim]:
    """Claims of one ranking's rows (the rankings layout: name_zh, rank, previous_rank, change,
    previous_rank_basis). ``size`` is M; rank M+1 stands for "outside the previous list".
    ``improved`` names the entries the report lists as having moved up (one claim "improved" each)."""
    out = size + 1
    every = frozenset(range(1, out + 1))
    claims: list[Claim] = []
    listed = {str(r["name_zh"]) for r in rows if _num(r.get("rank")) is not None}
    unknown = [e for e in improved if e not in listed]
    if unknown:
        raise ValueError(f"rank moves: {', '.join(unknown)} listed as improved but not ranked in this list")
    for e in improved:
        r = next(x for x in rows if str(x["name_zh"]) == e)
        claims.append(Claim(e, "listed among the improved", frozenset(k for k in every if k > _num(r["rank"]))))
    improved = set(improved)
    for r in rows:
        name, rank = str(r["name_zh"]), _num(r.get("rank"))
        if rank is None:
            continue
        basis = str(r.get("previous_rank_basis") or "").strip()
        if basis not in CLAIM_BASES:
            continue
        change = str(r.get("change") or "").strip().lower()
        prev = str(r.get("previous_rank") or "").strip()
        if prev.startswith(">"):
            claims.append(Claim(name, f"previous rank {prev}", frozenset({out})))
        elif _num(prev) is not None:
            p = _num(prev)
            claims.append(Claim(name, f"previous rank {p}", frozenset({min(p, out)})))
        if not change or change in ("nan", "none"):
            continue
        if change == "same":
            allowed = frozenset({rank})
        elif (m := _UP.match(change)) is not None:
            # a previous rank beyond the list is "outside" (the report names only the top M)
            allowed = frozenset({min(rank + int(m.group(1)), out)})
            improved.add(name)
        elif (m := _DOWN.match(change)) is not None:
            allowed = frozenset({rank - int(m.group(1))}) if rank - int(m.group(1)) >= 1 else frozenset()
        elif change == "improved":
            allowed = frozenset(k for k in every if k > rank)
            improved.add(name)
        elif change.startswith("entered"):
            allowed = frozenset({out})
            improved.add(name)
        elif change in ("declined", "down"):
            allowed = frozenset(k for k in every if k < rank)
        else:
            raise ValueError(f"rank-move claim {change!r} of {name} is not one of: same, up N, down N, improved, "
                             "entered top N, declined")
        claims.append(Claim(name, change, allowed))
    if improved_complete:
        for r in rows:
            name, rank = str(r["name_zh"]), _num(r.get("rank"))
            if rank is None or name in improved:
                continue
            claims.append(Claim(name, "not among the improved (the list of improved entries is complete)",
                                frozenset(k for k in every if k <= rank)))
    return claims


def solve(entries: list[str], claims: list[Claim], size: int) -> tuple[bool, dict[str, int], list[Claim]]:
    """One feasible previous-rank assignment (``feasible``, assignment, []), or the fewest claims
    that must be dropped for the rest to hold (False, assignment without them, dropped claims)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, k_out = len(entries), size + 1
    ks = k_out  # previous ranks 1..M and M+1 (outside)
    nx, nd = n * ks, len(claims)
    idx = {e: i for i, e in enumerate(entries)}
    A, lo, hi = [], [], []
    for i in range(n):  # one previous rank per entry
        row = np.zeros(nx + nd)
        row[i * ks:(i + 1) * ks] = 1
        A.append(row), lo.append(1), hi.append(1)
    for k in range(size):  # previous ranks 1..M held at most once among the listed entries
        row = np.zeros(nx + nd)
        row[[i * ks + k for i in range(n)]] = 1
        A.append(row), lo.append(0), hi.append(1)
    for j, c in enumerate(claims):  # Σ_{k ∉ allowed} x[i,k] − d_j ≤ 0
        row = np.zeros(nx + nd)
        i = idx[c.entry]
        for k in range(1, ks + 1):
            if k not in c.allowed:
                row[i * ks + k - 1] = 1
        row[nx + j] = -1
        A.append(row), lo.append(-np.inf), hi.append(0)
    cost = np.concatenate([np.zeros(nx), np.ones(nd)])
    # ties broken towards small previous ranks so the assignment is deterministic
    cost[:nx] = 1e-6 * np.tile(np.arange(ks), n) / max(ks * n, 1)
    res = milp(cost, constraints=LinearConstraint(np.array(A), lo, hi), integrality=np.ones(nx + nd),
               bounds=Bounds(0, 1))
    if res.x is None:  # cannot happen (dropping every claim is always feasible), kept for clarity
        raise RuntimeError(f"rank-move programme has no solution: {res.message}")
    x = np.round(res.x).astype(int)
    assign = {e: int(np.argmax(x[i * ks:(i + 1) * ks])) + 1 for e, i in idx.items()}
    dropped = [c for j, c in enumerate(claims) if x[nx + j] == 1]
    return not dropped, assign, dropped


def _feasible_with(entries: list[str], claims: list[Claim], size: int, entry: str, k: int) -> bool:
    ok, _, _ = solve(entries, [*claims, Claim(entry, f"test {k}", frozenset({k}))], size)
    return ok


def check_ranking(ranking: str, rows: list[dict], improved_complete: bool = False,
                  improved: list[str] | tuple[str, ...] = (), size: int | None = None) -> RankMoveResult:
    """Solve one ranking's rank moves (see the module docstring)."""
    entries = [str(r["name_zh"]) for r in rows if _num(r.get("rank")) is not None]
    ranks = [_num(r.get("rank")) for r in rows if _num(r.get("rank")) is not None]
    stated_prev = [_num(r.get("previous_rank")) for r in rows if _num(r.get("previous_rank")) is not None]
    m = size or (max([*ranks, *stated_prev]) if ranks else 0)
    claims = parse_claims(rows, m, improved_complete, improved)
    ok, assign, dropped = solve(entries, claims, m)
    res = RankMoveResult(ranking, m, ok, assign, {}, dropped, claims)
    if not ok:
        return res
    # candidate ranks: those every claim on the entry allows; the solution found is feasible already
    res.options = {}
    for e in entries:
        cand = set(range(1, m + 2))
        for c in claims:
            if c.entry == e:
                cand &= c.allowed
        res.options[e] = [k for k in sorted(cand) if k == assign[e] or _feasible_with(entries, claims, m, e, k)]
    for r in rows:
        e, basis = str(r["name_zh"]), str(r.get("previous_rank_basis") or "").strip()
        if e not in res.options or basis != "derived":
            continue
        prev = str(r.get("previous_rank") or "").strip()
        cands = [c.strip() for c in str(r.get("previous_rank_candidates") or "").split(";") if c.strip()
                 and c.strip().lower() != "nan"]
        have = [res.label(k) for k in res.options[e]]
        if prev and prev.lower() != "nan":
            want = prev if prev.startswith(">") else str(_num(prev))
            if have != [want]:
                res.mismatches.append(f"{e}: input says derived previous rank {want}, claims give {{{', '.join(have)}}}")
        elif cands:
            if sorted(cands) != sorted(have):
                res.mismatches.append(f"{e}: input lists candidates {{{', '.join(cands)}}}, claims give "
                                      f"{{{', '.join(have)}}}")
    return res
