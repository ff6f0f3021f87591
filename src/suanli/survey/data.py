"""Survey inputs: questionnaire, respondent-level answers, known margins, published values.

Respondent file (one row per respondent, CSV/TSV/XLSX)::

    respondent_id, industry, size, region, design_weight, data_status, Q03, Q04, Q12.now, Q12.3y, ...

* strata: the columns named in ``survey.strata`` (text, never empty);
* ``design_weight``: > 0 (the inverse selection probability, or any positive base weight);
* ``data_status`` (optional): ``synthetic`` marks generated data; it is carried to every output;
* answers: a question asked for one horizon has the column ``<question_id>``; a question asked
  for several horizons (now / 18m / 3y) has one column per horizon, ``<question_id>.<horizon>``.
  - single-select: the option id (or its Chinese or English label);
  - multi-select: either one delimited cell (``hw;cloud;data``; separators ``; ； | 、``) or one
    column per option ``<column>.<option_id>`` holding 1/0 (是/否, yes/no, true/false);
  - ranked: either one cell in rank order (``video>kg>arvr``, or ``;``-separated) or one column per
    option ``<column>.<option_id>`` holding the rank (1 = first; blank = not ranked).
  A blank answer means "not asked / not answered": the respondent is left out of that question's base.

Every problem names the file, the row (as a spreadsheet shows it, header = 1) and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..io.readers import RawTable, read_raw_table
from ..units import UnitError, is_missing, normalise_text, parse_number_series, parse_rank

#: Horizon id → (zh, en)
HORIZONS: dict[str, tuple[str, str]] = {
    "now": ("目前", "now"),
    "18m": ("未来18个月", "next 18 months"),
    "3y": ("未来三年", "next 3 years"),
}
QUESTION_TYPES = ("single", "multi", "rank")
_MULTI_SEP = re.compile(r"\s*[;；|、]\s*")
_RANK_SEP = re.compile(r"\s*[>＞;；|、]\s*")
_TRUE = {"1", "1.0", "true", "yes", "y", "是", "x", "✓"}
_FALSE = {"0", "0.0", "false", "no", "n", "否"}
MAX_PROBLEMS = 50


# --------------------------------------------------------------------------------------------
# Questionnaire
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    zh: str
    en: str
    position: int


@dataclass
class Question:
    id: str
    type: str  # single | multi | rank
    horizons: list[str]
    zh: str
    en: str
    figure: str
    options: list[Option]
    max_rank: int | None = None  # rank questions: how many options a respondent ranks

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def column(self, horizon: str) -> str:
        """The respondent-file column (or column prefix) of this question at ``horizon``."""
        return self.id if len(self.horizons) == 1 else f"{self.id}.{horizon}"

    def lookup(self) -> dict[str, str]:
        """Accepted spellings (id, zh, en; case- and width-insensitive) → option id."""
        out: dict[str, str] = {}
        for o in self.options:
            for s in (o.id, o.zh, o.en):
                if s:
                    out.setdefault(_key(s), o.id)
        return out


@dataclass
class Questionnaire:
    path: str
    questions: dict[str, Question]

    def __getitem__(self, qid: str) -> Question:
        if qid not in self.questions:
            raise InputError(f"unknown question '{qid}'", file=self.path,
                             hint=f"questions: {', '.join(self.questions)}")
        return self.questions[qid]


def _key(s: object) -> str:
    return normalise_text(s).lower()


def _cell(frame: pd.DataFrame, col: str) -> np.ndarray:
    return np.array([normalise_text(v) for v in frame[col].to_numpy()], dtype=object)


def _columns(raw: RawTable) -> dict[str, str]:
    """Normalised header key → header as written."""
    return {_key(c): c for c in raw.frame.columns}


def _require(raw: RawTable, names: list[str], what: str) -> dict[str, str]:
    cols = _columns(raw)
    missing = [n for n in names if _key(n) not in cols]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)}", file=raw.path, row=1,
                         hint=f"a {what} needs {', '.join(names)}; found: {', '.join(map(str, raw.frame.columns))}")
    return {n: cols[_key(n)] for n in names}


def read_questionnaire(path: str | Path, *, sheet: str | None = None) -> Questionnaire:
    """Read the questionnaire: one row per (question, option).

    Columns: question_id, type (single/multi/rank), horizons (``now``, ``18m``, ``3y``; several
    separated by ``;``), figure, question_zh, question_en, option_id, option_zh, option_en and,
    optionally, max_rank (ranked questions).
    """
    raw = read_raw_table(path, sheet=sheet)
    req = ["question_id", "type", "horizons", "question_zh", "question_en", "option_id", "option_zh", "option_en"]
    cols = _require(raw, req, "questionnaire")
    allc = _columns(raw)
    f = raw.frame
    get = {n: _cell(f, c) for n, c in cols.items()}
    figure = _cell(f, allc["figure"]) if "figure" in allc else np.full(len(f), "", dtype=object)
    max_rank = _cell(f, allc["max_rank"]) if "max_rank" in allc else np.full(len(f), "", dtype=object)
    problems: list[Problem] = []
    questions: dict[str, Question] = {}
    seen_opts: dict[tuple[str, str], int] = {}
    for i in range(len(f)):
        line = raw.line(i)
        qid, typ, hor, oid = get["question_id"][i], get["type"][i].lower(), get["horizons"][i], get["option_id"][i]
        for n in ("question_id", "type", "horizons", "option_id"):
            if not get[n][i]:
                problems.append(Problem("is empty", raw.path, line, cols[n], f"fill in {n}"))
        if not qid or not oid:
            continue
        if typ not in QUESTION_TYPES:
            problems.append(Problem(f"unknown question type '{typ}'", raw.path, line, cols["type"],
                                    "use single, multi or rank"))
            continue
        horizons = [h for h in _MULTI_SEP.split(hor) if h]
        bad = [h for h in horizons if h not in HORIZONS]
        if bad:
            problems.append(Problem(f"unknown horizon(s) {', '.join(bad)}", raw.path, line, cols["horizons"],
                                    f"use {', '.join(HORIZONS)}"))
            continue
        mr = None
        if max_rank[i]:
            try:
                mr = int(float(max_rank[i]))
            except ValueError:
                problems.append(Problem(f"max_rank '{max_rank[i]}' is not a whole number", raw.path, line, "max_rank"))
        q = questions.get(qid)
        if q is None:
            q = questions[qid] = Question(qid, typ, horizons, get["question_zh"][i], get["question_en"][i],
                                          figure[i], [], mr)
        elif q.type != typ or q.horizons != horizons:
            problems.append(Problem(f"question '{qid}' has type/horizons '{typ}'/'{hor}' here but "
                                    f"'{q.type}'/'{';'.join(q.horizons)}' on an earlier row", raw.path, line,
                                    cols["type"], "give every row of a question the same type and horizons"))
            continue
        if (qid, oid) in seen_opts:
            problems.append(Problem(f"option '{oid}' of question '{qid}' appears twice (line {seen_opts[(qid, oid)]})",
                                    raw.path, line, cols["option_id"], "delete the repeated row"))
            continue
        seen_opts[(qid, oid)] = line
        q.options.append(Option(oid, get["option_zh"][i], get["option_en"][i], len(q.options) + 1))
        if len(problems) >= MAX_PROBLEMS:
            break
    for q in questions.values():
        if len(q.options) < 2 and q.type != "multi":
            problems.append(Problem(f"question '{q.id}' has {len(q.options)} option(s); a {q.type} question needs 2 or more",
                                    raw.path, None, "option_id"))
        if q.max_rank is not None and not (1 <= q.max_rank <= len(q.options)):
            problems.append(Problem(f"question '{q.id}': max_rank {q.max_rank} is outside 1..{len(q.options)}",
                                    raw.path, None, "max_rank"))
    if problems:
        raise InputError(problems=problems)
    if not questions:
        raise InputError("has no questions", file=raw.path, hint="one row per (question, option)")
    return Questionnaire(raw.path, questions)


# --------------------------------------------------------------------------------------------
# Respondents
# --------------------------------------------------------------------------------------------


@dataclass
class Answers:
    """The answers to one question at one horizon, as arrays over respondents × options."""

    question: Question
    horizon: str
    answered: np.ndarray  # (n,) bool: in this question's base
    selected: np.ndarray  # (n, k) bool: chose / ranked the option
    ranks: np.ndarray | None = None  # (n, k) float, NaN = not ranked (rank questions only)


@dataclass
class SurveyData:
    """A respondent file read against a questionnaire."""

    path: str
    respondents: pd.DataFrame  # respondent_id, strata..., design_weight, _line
    strata: list[str]
    questionnaire: Questionnaire
    answers: dict[tuple[str, str], Answers] = field(default_factory=dict)
    synthetic: bool = False

    @property
    def n(self) -> int:
        return len(self.respondents)

    @property
    def design_weight(self) -> np.ndarray:
        return self.respondents["design_weight"].to_numpy(dtype=float)

    def get(self, qid: str, horizon: str | None = None) -> Answers:
        q = self.questionnaire[qid]
        h = horizon or q.horizons[0]
        if (qid, h) not in self.answers:
            raise InputError(f"question '{qid}' has no horizon '{h}'", file=self.questionnaire.path,
                             hint=f"horizons of {qid}: {', '.join(q.horizons)}")
        return self.answers[(qid, h)]


def _truthy(v: str) -> bool | None:
    k = v.lower()
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    return None


def read_respondents(
    path: str | Path,
    questionnaire: Questionnaire,
    *,
    strata: list[str],
    weight_column: str | None = "design_weight",
    questions: list[str] | None = None,
    sheet: str | None = None,
) -> SurveyData:
    """Read and check a respondent-level file (see the module docstring for the layout).

    ``weight_column=None`` gives every respondent weight 1 (an unweighted survey).
    ``questions`` restricts parsing to those question ids (default: every question).
    """
    raw = read_raw_table(path, sheet=sheet)
    f = raw.frame
    need = ["respondent_id", *strata] + ([weight_column] if weight_column else [])
    cols = _require(raw, need, "respondent file")
    allc = _columns(raw)
    problems: list[Problem] = []

    def add(pos: int | None, column: str | None, msg: str, hint: str | None = None) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(msg, raw.path, raw.line(pos) if pos is not None else 1, column, hint))

    out = pd.DataFrame({"respondent_id": _cell(f, cols["respondent_id"])})
    for pos in np.flatnonzero(out["respondent_id"].to_numpy() == ""):
        add(int(pos), cols["respondent_id"], "is empty", "give every respondent an id")
    dup = out["respondent_id"].duplicated(keep="first") & (out["respondent_id"] != "")
    for pos in np.flatnonzero(dup.to_numpy()):
        add(int(pos), cols["respondent_id"], f"respondent id '{out['respondent_id'].iloc[pos]}' appears twice",
            "each respondent must have one row")
    for s in strata:
        vals = _cell(f, cols[s])
        for pos in np.flatnonzero(vals == ""):
            add(int(pos), cols[s], "is empty", f"every respondent needs a {s} stratum")
        out[s] = vals
    if weight_column:
        w, errs = parse_number_series(f[cols[weight_column]])
        for pos, msg in errs:
            add(pos, cols[weight_column], msg)
        bad = set(p for p, _ in errs)
        for pos in np.flatnonzero(np.isnan(w)):
            if int(pos) not in bad:
                add(int(pos), cols[weight_column], "weight is missing", "every respondent needs a design weight > 0")
        for pos in np.flatnonzero(~np.isnan(w) & (w <= 0)):
            add(int(pos), cols[weight_column], f"weight {f[cols[weight_column]].iloc[pos]} is not positive",
                "design weights must be > 0; drop the respondent or fix the weight")
        from ..limits import limit, over_limit_hint

        lim = limit("survey.design_weight")
        for pos in np.flatnonzero(w > lim):
            add(int(pos), cols[weight_column], f"weight {f[cols[weight_column]].iloc[pos]} is above the plausible "
                f"maximum {lim:.3g} for one respondent", over_limit_hint("survey.design_weight", float(w[pos])))
        out["design_weight"] = w
    else:
        out["design_weight"] = np.ones(len(f))
    synthetic = False
    if "data_status" in allc:
        status = np.char.lower(_cell(f, allc["data_status"]).astype(str))
        synthetic = bool((status == "synthetic").any())
    out["_line"] = raw.lines
    data = SurveyData(raw.path, out, list(strata), questionnaire, synthetic=synthetic)
    qids = questions if questions is not None else list(questionnaire.questions)
    used: set[str] = set()
    for qid in qids:
        q = questionnaire[qid]
        for h in q.horizons:
            ans = _parse_answers(raw, allc, q, h, add, used)
            if ans is not None:
                data.answers[(qid, h)] = ans
    # a column that starts like an answer column but was not read: a misspelt option or horizon
    prefixes = {_key(q) + "." for q in qids}
    for kk, c in allc.items():
        if kk not in used and any(kk.startswith(pf) for pf in prefixes):
            qid = c.split(".", 1)[0]
            q = questionnaire.questions.get(qid)
            add(None, c, f"column '{c}' names no option or horizon of question {qid}",
                f"options: {', '.join(q.option_ids)}; horizons: {', '.join(q.horizons)}" if q else None)
    if problems:
        raise InputError(problems=problems)
    if len(out) == 0:
        raise InputError("has no respondents", file=raw.path)
    return data


def _parse_answers(raw: RawTable, allc: dict[str, str], q: Question, h: str, add,
                   used: set[str]) -> Answers | None:
    f = raw.frame
    n, k = len(f), len(q.options)
    col = q.column(h)
    lookup = q.lookup()
    valid = ", ".join(q.option_ids)
    single_col = allc.get(_key(col))
    opt_cols = {o.id: allc[_key(f"{col}.{o.id}")] for o in q.options if _key(f"{col}.{o.id}") in allc}
    used.update(_key(c) for c in opt_cols.values())
    if single_col is not None:
        used.add(_key(single_col))
    if single_col is None and not opt_cols:
        add(None, None, f"no column for question {q.id} ({HORIZONS[h][1]})",
            f"add a column '{col}'" + ("" if q.type == "single" else f" or one column per option '{col}.<option>'"))
        return None
    if single_col is not None and opt_cols:
        add(None, single_col, f"question {q.id} has both a column '{single_col}' and per-option columns",
            "keep one layout")
        return None
    answered = np.zeros(n, dtype=bool)
    selected = np.zeros((n, k), dtype=bool)
    ranks = np.full((n, k), np.nan) if q.type == "rank" else None
    index = {o.id: j for j, o in enumerate(q.options)}
    if single_col is not None:
        cells = _cell(f, single_col)
        for i, v in enumerate(cells):
            if is_missing(v):
                continue
            answered[i] = True
            if q.type == "single":
                oid = lookup.get(_key(v))
                if oid is None:
                    add(i, single_col, f"unknown option '{v}' for question {q.id}", f"options: {valid}")
                    continue
                selected[i, index[oid]] = True
                continue
            parts = [p for p in (_MULTI_SEP if q.type == "multi" else _RANK_SEP).split(v) if p]
            for r, p in enumerate(parts, start=1):
                oid = lookup.get(_key(p))
                if oid is None:
                    add(i, single_col, f"unknown option '{p}' for question {q.id}", f"options: {valid}")
                    continue
                j = index[oid]
                if selected[i, j]:
                    add(i, single_col, f"option '{oid}' is given twice", "name each option once")
                    continue
                selected[i, j] = True
                if ranks is not None:
                    ranks[i, j] = r
            if ranks is not None and q.max_rank and len(parts) > q.max_rank:
                add(i, single_col, f"ranks {len(parts)} options; question {q.id} asks for at most {q.max_rank}")
    else:
        if q.type == "single":
            add(None, next(iter(opt_cols.values())), f"single-select question {q.id} must be one column '{col}'",
                "write the chosen option id in one column")
            return None
        for oid, c in opt_cols.items():
            j = index[oid]
            cells = _cell(f, c)
            for i, v in enumerate(cells):
                if is_missing(v):
                    continue
                if q.type == "multi":
                    t = _truthy(v)
                    if t is None:
                        add(i, c, f"'{v}' is not 1/0 (selected or not)", "use 1 for selected and 0 for not")
                        continue
                    answered[i] = True
                    selected[i, j] = t
                else:
                    try:
                        pr = parse_rank(v)
                    except UnitError:
                        add(i, c, f"rank '{v}' is not a number", "write 1 for the first choice, 2 for the second…")
                        continue
                    if pr is None:
                        continue
                    r = float(pr)
                    if r < 1 or r != int(r) or r > k:
                        add(i, c, f"rank {v} is not a whole number in 1..{k}")
                        continue
                    answered[i] = True
                    selected[i, j] = True
                    ranks[i, j] = r
        if ranks is not None:
            for i in np.flatnonzero(answered):
                rr = ranks[i][~np.isnan(ranks[i])]
                if len(np.unique(rr)) != len(rr):
                    add(int(i), f"{col}.*", "two options have the same rank", "give each rank once")
                elif q.max_rank and len(rr) > q.max_rank:
                    add(int(i), f"{col}.*", f"ranks {len(rr)} options; question {q.id} asks for at most {q.max_rank}")
    return Answers(q, h, answered, selected, ranks)


# --------------------------------------------------------------------------------------------
# Margins and published values
# --------------------------------------------------------------------------------------------


def read_margins(path: str | Path, variables: list[str], *, sheet: str | None = None) -> dict[str, dict[str, float]]:
    """Known population margins: columns variable, level, share (fraction or %), optional label/note.

    Shares of each variable must sum to 1 (±0.001); they are returned as fractions.
    """
    raw = read_raw_table(path, sheet=sheet)
    cols = _require(raw, ["variable", "level", "share"], "margins file")
    f = raw.frame
    var, lev = _cell(f, cols["variable"]), _cell(f, cols["level"])
    share, errs = parse_number_series(f[cols["share"]])
    problems = [Problem(m, raw.path, raw.line(p), cols["share"]) for p, m in errs]
    out: dict[str, dict[str, float]] = {}
    first: dict[str, int] = {}
    for i in range(len(f)):
        line = raw.line(i)
        if not var[i] or not lev[i]:
            problems.append(Problem("is empty", raw.path, line, cols["variable"] if not var[i] else cols["level"]))
            continue
        s = share[i]
        if np.isnan(s):
            if not any(p.row == line for p in problems):
                problems.append(Problem("share is missing", raw.path, line, cols["share"]))
            continue
        if s < 0 or s > 1:
            problems.append(Problem(f"share {f[cols['share']].iloc[i]} is outside 0–100%", raw.path, line, cols["share"]))
            continue
        d = out.setdefault(var[i], {})
        if lev[i] in d:
            problems.append(Problem(f"{var[i]} = {lev[i]} appears twice", raw.path, line, cols["level"],
                                    "give each level once"))
            continue
        first.setdefault(var[i], line)
        d[lev[i]] = float(s)
    for v in variables:
        if v not in out:
            problems.append(Problem(f"no margins for '{v}'", raw.path, None, cols["variable"],
                                    f"add rows with variable = {v}, or drop {v} from weighting.rake_on"))
    for v, d in out.items():
        tot = sum(d.values())
        if abs(tot - 1) > 1e-3:
            problems.append(Problem(f"shares of '{v}' sum to {tot:.4f}, not 1", raw.path, first[v], cols["share"],
                                    "the levels of a margin must cover the whole population"))
    if problems:
        raise InputError(problems=problems)
    return {v: {k: x / sum(d.values()) for k, x in d.items()} for v, d in out.items() if v in variables}


CHECKS = ("value", "rank", "rank_set", "increase")


def _rank_ok(v: object) -> bool:
    try:
        parse_rank(v)
        return True
    except UnitError:
        return False


def read_published(path: str | Path, questionnaire: Questionnaire, *, sheet: str | None = None) -> pd.DataFrame:
    """Published values and orderings to reproduce.

    Columns: figure, question_id, horizon, option_id, check, value, rank_low, rank_high,
    compare_horizon, source, quote. ``check``:

    * ``value``: the estimate's interval must contain ``value`` (a share, fraction or %);
    * ``rank``: the option's position in the estimated ordering must be ``rank_low``;
    * ``rank_set``: its position must lie within ``rank_low``..``rank_high``;
    * ``increase``: its share at ``horizon`` must exceed its share at ``compare_horizon``.
    """
    raw = read_raw_table(path, sheet=sheet)
    req = ["question_id", "horizon", "option_id", "check"]
    cols = _require(raw, req, "published-values file")
    allc = _columns(raw)
    f = raw.frame
    n = len(f)

    def opt(name: str) -> np.ndarray:
        return _cell(f, allc[name]) if name in allc else np.full(n, "", dtype=object)

    value, errs = parse_number_series(f[allc["value"]]) if "value" in allc else (np.full(n, np.nan), [])
    problems = [Problem(m, raw.path, raw.line(p), "value") for p, m in errs]
    rows = []
    for i in range(n):
        line = raw.line(i)
        qid, h, oid, chk = (_cell(f, cols[c])[i] for c in req)
        if qid not in questionnaire.questions:
            problems.append(Problem(f"unknown question '{qid}'", raw.path, line, cols["question_id"],
                                    f"questions: {', '.join(questionnaire.questions)}"))
            continue
        q = questionnaire.questions[qid]
        if h not in q.horizons:
            problems.append(Problem(f"question {qid} has no horizon '{h}'", raw.path, line, cols["horizon"],
                                    f"horizons: {', '.join(q.horizons)}"))
            continue
        if oid not in q.option_ids:
            problems.append(Problem(f"unknown option '{oid}' for question {qid}", raw.path, line, cols["option_id"],
                                    f"options: {', '.join(q.option_ids)}"))
            continue
        if chk not in CHECKS:
            problems.append(Problem(f"unknown check '{chk}'", raw.path, line, cols["check"], f"use {', '.join(CHECKS)}"))
            continue
        rl, rh = opt("rank_low")[i], opt("rank_high")[i]
        try:
            rl, rh = parse_rank(rl), parse_rank(rh)
        except UnitError as exc:
            problems.append(Problem(str(exc), raw.path, line, "rank_low" if not _rank_ok(rl) else "rank_high",
                                    "write a rank as 1, 2, 3 …"))
            continue
        rec = {"figure": opt("figure")[i], "question_id": qid, "horizon": h, "option_id": oid, "check": chk,
               "value": value[i], "rank_low": float(rl) if rl else np.nan, "rank_high": float(rh) if rh else np.nan,
               "compare_horizon": opt("compare_horizon")[i], "source": opt("source")[i], "quote": opt("quote")[i],
               "_line": line}
        if chk == "value" and (np.isnan(value[i]) or not 0 <= value[i] <= 1):
            problems.append(Problem("a value check needs a share between 0 and 100%", raw.path, line, "value"))
        if chk in ("rank", "rank_set") and np.isnan(rec["rank_low"]):
            problems.append(Problem(f"a {chk} check needs rank_low", raw.path, line, "rank_low"))
        if chk == "rank_set" and np.isnan(rec["rank_high"]):
            problems.append(Problem("a rank_set check needs rank_high", raw.path, line, "rank_high"))
        if chk == "increase" and rec["compare_horizon"] not in q.horizons:
            problems.append(Problem(f"an increase check needs compare_horizon, one of {', '.join(q.horizons)}",
                                    raw.path, line, "compare_horizon"))
        rows.append(rec)
    if problems:
        raise InputError(problems=problems)
    return pd.DataFrame(rows)
