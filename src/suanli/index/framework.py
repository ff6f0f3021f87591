"""The framework: a tree of indicators → groups → … → index, as YAML or a COINr metadata table.

:class:`FrameworkFile` is the pydantic model of the YAML file (its JSON Schema is exported by
:func:`framework_json_schema`). :func:`compile_framework` turns it into a :class:`Framework`:
flat index arrays that every numerical step uses (``parent``, ``level``, ``direction``, the
edges of each level). Node order is: indicators in declaration order, then aggregates by level.
Weights are always looked up by id (:meth:`Framework.weight_vector`), never by position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ConfigError, InputError, Problem

DataStatus = Literal["real", "synthetic", "target", "mixed"]


class MethodRef(BaseModel):
    """A method by name with its parameters, e.g. ``{method: goalposts, params: {gposts: [0, 1, 100]}}``."""

    model_config = ConfigDict(extra="forbid")
    method: str
    params: dict[str, Any] = Field(default_factory=dict)


class NodeSpec(BaseModel):
    """One node of the framework: an indicator (no children) or a group/aggregate."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="Unique id: letters, digits, underscores; not starting with a digit.")
    name_zh: str = ""
    name_en: str = ""
    unit: str = ""
    direction: Literal[1, -1] = Field(1, description="+1: higher is better; -1: lower is better.")
    weight: float = Field(1.0, description="Weight relative to siblings (renormalised within the group).")
    target: float | None = Field(None, description="Target value (for dist2targ).")
    goalposts: tuple[float, float] | None = Field(None, description="(lower, upper) goalposts in data units.")
    denominator: str | None = Field(None, description="Denominator column for the denominate step.")
    normalise: MethodRef | None = Field(None, description="Per-indicator normalisation override.")
    treat: MethodRef | None = Field(None, description="Per-indicator outlier-treatment override.")
    aggregate: MethodRef | None = Field(None, description="Aggregation method for this group's children.")
    data_status: DataStatus | None = Field(None, description="real / synthetic / target (provenance label).")
    noise_sd: float | None = Field(None, ge=0, description="Measurement noise of this indicator for the uncertainty "
                                                          "analysis: sd as a fraction of its spread (or value); "
                                                          "default the framework's noise_sd.")
    source: str = ""
    notes: str = ""
    parent: str | None = Field(None, description="Parent id (flat form only).")
    level: int | None = Field(None, description="Level (1 = indicator); computed when absent.")
    type: Literal["indicator", "aggregate"] | None = Field(
        None, description="Node type in flat form; inferred from children when absent.")
    children: list[NodeSpec] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not v or v[0].isdigit() or any(c.isspace() for c in v):
            raise ValueError(f"id {v!r} must not be empty, start with a digit or contain spaces")
        return v


class FrameworkFile(BaseModel):
    """A framework YAML file."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = 1
    id: str = "framework"
    name_zh: str = ""
    name_en: str = ""
    description: str = ""
    description_zh: str = Field("", description="The description in Chinese (the dashboard's Chinese page shows it).")
    level_names: list[str] = Field(default_factory=list, description="Names of levels 1..n (indicator first).")
    groups: list[str] = Field(default_factory=list, description="Unit group columns in the data (e.g. region).")
    denominators: list[str] = Field(default_factory=list, description="Denominator columns in the data.")
    tree: NodeSpec | None = Field(None, description="The index node with nested children.")
    nodes: list[NodeSpec] | None = Field(None, description="Flat alternative: nodes with parent ids.")
    method: list[dict[str, Any]] | None = Field(
        None, description="Default pipeline: ordered list of {step: name, ...params}.")
    method_notes: str = ""
    method_notes_zh: str = Field("", description="The method notes in Chinese.")
    noise_sd: float = Field(0.05, ge=0, description="Default measurement-noise sd of every indicator (fraction of "
                                                    "its spread) when the indicator declares none.")


@dataclass
class Framework:
    """A compiled framework: flat arrays over nodes (indicators first, then aggregates by level)."""

    id: str
    ids: list[str]
    n_ind: int
    parent: np.ndarray            # int, -1 for the root
    level: np.ndarray             # int, 1 for indicators
    direction: np.ndarray         # float ±1 (1 for aggregates)
    weight: np.ndarray            # float, declared weights
    specs: list[NodeSpec]
    level_names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    denominators: list[str] = field(default_factory=list)
    method: list[dict[str, Any]] | None = None
    name_zh: str = ""
    name_en: str = ""
    description: str = ""
    method_notes: str = ""
    description_zh: str = ""
    method_notes_zh: str = ""
    noise_sd_default: float = 0.05

    def noise_sd(self, indicator_id: str) -> float:
        """Declared measurement-noise sd of an indicator (its own, else the framework default)."""
        own = self.specs[self.index[indicator_id]].noise_sd
        return float(own) if own is not None else float(self.noise_sd_default)

    def __repr__(self) -> str:
        from .display import framework_text

        return framework_text(self)

    def _repr_html_(self) -> str:
        from .display import framework_text, html_box

        return html_box(framework_text(self))

    def __post_init__(self) -> None:
        self.index = {k: i for i, k in enumerate(self.ids)}
        self.n_nodes = len(self.ids)
        self.max_level = int(self.level.max())
        self.root = int(np.flatnonzero(self.parent < 0)[0])
        self.children: list[np.ndarray] = [np.flatnonzero(self.parent == i) for i in range(self.n_nodes)]
        # per level L >= 2: aggregates at L and edges (child, parent) into them
        self.level_nodes: dict[int, np.ndarray] = {}
        self.level_edges: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for L in range(2, self.max_level + 1):
            nodes = np.flatnonzero(self.level == L)
            self.level_nodes[L] = nodes
            ch = np.flatnonzero(np.isin(self.parent, nodes))
            self.level_edges[L] = (ch, self.parent[ch])

    # -- lookups --------------------------------------------------------------------------------
    @property
    def indicator_ids(self) -> list[str]:
        return self.ids[: self.n_ind]

    @property
    def aggregate_ids(self) -> list[str]:
        return self.ids[self.n_ind:]

    @property
    def root_id(self) -> str:
        return self.ids[self.root]

    def spec(self, node_id: str) -> NodeSpec:
        return self.specs[self.pos(node_id)]

    def pos(self, node_id: str) -> int:
        try:
            return self.index[node_id]
        except KeyError:
            raise InputError(f"unknown node id '{node_id}'",
                             hint=f"ids in framework '{self.id}': {', '.join(self.ids[:30])}"
                             + (" …" if len(self.ids) > 30 else "")) from None

    def name(self, node_id: str, lang: str = "zh") -> str:
        s = self.spec(node_id)
        return (s.name_zh or s.name_en or s.id) if lang == "zh" else (s.name_en or s.name_zh or s.id)

    def children_ids(self, node_id: str) -> list[str]:
        return [self.ids[c] for c in self.children[self.pos(node_id)]]

    def ancestors(self, i: int) -> list[int]:
        out = []
        while self.parent[i] >= 0:
            i = int(self.parent[i])
            out.append(i)
        return out

    def level_name(self, L: int) -> str:
        return self.level_names[L - 1] if L - 1 < len(self.level_names) else f"level {L}"

    # -- weights by id ----------------------------------------------------------------------------
    def weight_vector(self, weights: dict[str, float] | None = None, *, strict: bool = True) -> np.ndarray:
        """Declared weights overridden by ``weights`` (a mapping id → weight), as a node vector."""
        w = self.weight.copy()
        if weights:
            unknown = [k for k in weights if k not in self.index]
            if unknown and strict:
                raise InputError(f"weights for unknown ids: {', '.join(map(str, unknown))}",
                                 hint="weights are keyed by node id; check the framework's ids")
            for k, v in weights.items():
                if k in self.index:
                    w[self.index[k]] = float(v)
        check_weights(self, w)
        return w

    def weight_matrix(self, samples: list[dict[str, float]] | np.ndarray) -> np.ndarray:
        """[n_samples, n_nodes] from a list of id → weight mappings (or pass an array through)."""
        if isinstance(samples, np.ndarray):
            if samples.ndim != 2 or samples.shape[1] != self.n_nodes:
                raise InputError(f"weight matrix must have shape [n_samples, {self.n_nodes}] (one column per "
                                 f"node id in framework.ids), got {samples.shape}")
            return samples.astype(float)
        return np.stack([self.weight_vector(s) for s in samples])

    def effective_weights(self, w: np.ndarray | None = None) -> np.ndarray:
        """Weight of every node in the index: product of within-group normalised weights down the tree."""
        w = self.weight if w is None else w
        wn = np.ones(self.n_nodes)
        for ch in self.children:
            if len(ch):
                s = w[ch].sum()
                wn[ch] = w[ch] / s if s > 0 else 0.0
        eff = np.ones(self.n_nodes)
        # parents are after children in node order except across levels; iterate top-down by level
        order = np.argsort(-self.level, kind="stable")
        for i in order:
            p = self.parent[i]
            eff[i] = 1.0 if p < 0 else eff[p] * wn[i]
        return eff

    def lineage(self) -> pd.DataFrame:
        """One row per indicator: the id of its ancestor at each level (COINr's ``Lineage``)."""
        rows = []
        for i in range(self.n_ind):
            row = {self.level_name(1): self.ids[i]}
            for a in self.ancestors(i):
                row[self.level_name(int(self.level[a]))] = self.ids[a]
            rows.append(row)
        return pd.DataFrame(rows)

    def nodes_frame(self) -> pd.DataFrame:
        eff = self.effective_weights()
        return pd.DataFrame({
            "node_id": self.ids,
            "parent_id": [self.ids[p] if p >= 0 else "" for p in self.parent],
            "level": self.level,
            "name_zh": [s.name_zh for s in self.specs],
            "name_en": [s.name_en for s in self.specs],
            "direction": self.direction.astype(int),
            "weight": self.weight,
            "effective_weight": eff,
            "data_status": [s.data_status or "" for s in self.specs],
            "unit": [s.unit for s in self.specs],
        })

    def to_file(self) -> FrameworkFile:
        """Flat-form :class:`FrameworkFile` (round-trips through :func:`compile_framework`)."""
        nodes = []
        for i, s in enumerate(self.specs):
            d = s.model_dump(exclude={"children"})
            d["parent"] = self.ids[self.parent[i]] if self.parent[i] >= 0 else None
            d["level"] = int(self.level[i])
            d["type"] = "indicator" if i < self.n_ind else "aggregate"
            nodes.append(NodeSpec(**d))
        return FrameworkFile(id=self.id, name_zh=self.name_zh, name_en=self.name_en,
                             description=self.description, level_names=self.level_names,
                             groups=self.groups, denominators=self.denominators, nodes=nodes,
                             method=self.method, method_notes=self.method_notes,
                             description_zh=self.description_zh, method_notes_zh=self.method_notes_zh)


# ------------------------------------------------------------------------------------------------
# compiling and checking
# ------------------------------------------------------------------------------------------------

def _flatten(node: NodeSpec, parent: str | None, out: list[NodeSpec]) -> None:
    d = node.model_dump(exclude={"children"})
    d["parent"] = parent
    d["type"] = "aggregate" if node.children else (node.type or "indicator")
    out.append(NodeSpec(**d))
    for c in node.children:
        _flatten(c, node.id, out)


def compile_framework(ff: FrameworkFile, *, source: str | None = None) -> Framework:
    """Check a framework file and turn it into index arrays. Raises ConfigError listing every problem."""
    problems: list[Problem] = []

    def bad(msg: str, hint: str | None = None, column: str | None = None) -> None:
        problems.append(Problem(msg, source, None, column, hint))

    flat: list[NodeSpec] = []
    if ff.tree is not None and ff.nodes:
        bad("give either 'tree' (nested) or 'nodes' (flat), not both")
    elif ff.tree is not None:
        _flatten(ff.tree, None, flat)
    elif ff.nodes:
        for n in ff.nodes:
            if n.children:
                _flatten(n, n.parent, flat)
            else:
                flat.append(n)
    else:
        raise ConfigError("framework has no nodes", file=source, hint="add a 'tree:' or 'nodes:' section")

    ids = [n.id for n in flat]
    seen: set[str] = set()
    for k in ids:
        if k in seen:
            bad(f"duplicate id '{k}'", "every indicator and group needs its own id")
        seen.add(k)
    by_id = {n.id: n for n in flat}
    for n in flat:
        if n.parent is not None and n.parent not in by_id:
            bad(f"node '{n.id}' has parent '{n.parent}', which is not an id in the framework",
                "check the spelling of the parent id")
    roots = [n.id for n in flat if n.parent is None]
    if len(roots) != 1 and not problems:
        bad(f"the framework must have exactly one top node (the index); found {len(roots)}: "
            f"{', '.join(roots[:10])}", "give every other node a parent")
    # cycles
    if not problems:
        for n in flat:
            path = [n.id]
            cur = n.parent
            while cur is not None:
                if cur in path:
                    bad(f"cycle in the framework: {' → '.join(path + [cur])}",
                        "a node cannot be its own ancestor")
                    break
                path.append(cur)
                cur = by_id[cur].parent
            if problems:
                break
    if problems:
        raise ConfigError(problems=problems)

    kids: dict[str, list[str]] = {k: [] for k in ids}
    for n in flat:
        if n.parent is not None:
            kids[n.parent].append(n.id)
    for n in flat:
        if n.type == "aggregate" and not kids[n.id]:
            bad(f"group '{n.id}' has no children", "add indicators under it or remove it")
    for n in flat:
        if not math.isfinite(n.weight) or n.weight < 0:
            bad(f"node '{n.id}' has weight {n.weight}; weights must be finite and ≥ 0", column="weight")
    for k, ch in kids.items():
        if ch and all(by_id[c].weight == 0 for c in ch):
            bad(f"all children of '{k}' have weight 0", "give at least one child a positive weight")
    if problems:
        raise ConfigError(problems=problems)

    # levels: indicators 1; an aggregate is one above its highest child unless given
    level: dict[str, int] = {}

    def lev(k: str) -> int:
        if k in level:
            return level[k]
        if not kids[k]:
            level[k] = 1
        else:
            level[k] = 1 + max(lev(c) for c in kids[k])
        return level[k]

    for k in ids:
        lev(k)
    for n in flat:
        if n.level is not None:
            if not kids[n.id] and n.level != 1:
                bad(f"indicator '{n.id}' has level {n.level}; indicators are level 1", column="Level")
            elif kids[n.id] and n.level <= max(level[c] for c in kids[n.id]):
                bad(f"group '{n.id}' has level {n.level} but a child at level "
                    f"{max(level[c] for c in kids[n.id])}", "a parent's level must be above its children's",
                    column="Level")
            else:
                level[n.id] = n.level
    if problems:
        raise ConfigError(problems=problems)

    inds = [k for k in ids if not kids[k]]
    aggs = sorted([k for k in ids if kids[k]], key=lambda k: (level[k], ids.index(k)))
    order = inds + aggs
    pos = {k: i for i, k in enumerate(order)}
    parent = np.array([pos[by_id[k].parent] if by_id[k].parent is not None else -1 for k in order], dtype=np.int64)
    return Framework(
        id=ff.id, ids=order, n_ind=len(inds), parent=parent,
        level=np.array([level[k] for k in order], dtype=np.int64),
        direction=np.array([float(by_id[k].direction) if not kids[k] else 1.0 for k in order]),
        weight=np.array([float(by_id[k].weight) for k in order]),
        specs=[by_id[k] for k in order], level_names=list(ff.level_names), groups=list(ff.groups),
        denominators=list(ff.denominators), method=ff.method, name_zh=ff.name_zh, name_en=ff.name_en,
        description=ff.description, method_notes=ff.method_notes, noise_sd_default=ff.noise_sd,
        description_zh=ff.description_zh, method_notes_zh=ff.method_notes_zh,
    )


def check_weights(fw: Framework, w: np.ndarray) -> None:
    """Refuse negative, non-finite or all-zero sibling weights, naming the ids."""
    w = np.asarray(w, dtype=float)
    problems = []
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    for i in bad:
        problems.append(Problem(f"weight of '{fw.ids[i]}' is {w[i]}; weights must be finite and ≥ 0"))
    for i, ch in enumerate(fw.children):
        if len(ch) and np.all(w[ch] == 0):
            problems.append(Problem(f"all children of '{fw.ids[i]}' have weight 0",
                                    hint="give at least one child a positive weight"))
    if problems:
        raise InputError(problems=problems)


# ------------------------------------------------------------------------------------------------
# loading
# ------------------------------------------------------------------------------------------------

def load_framework(path: str | Path) -> Framework:
    """A framework YAML, or a COINr-style metadata CSV (``iCode, Level, Parent, …``)."""
    p = Path(path)
    if not p.exists():
        raise ConfigError("framework file not found", file=p)
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".txt"):
        return framework_from_coinr(read_coinr_meta(p), source=str(p))
    from ..io.yamlload import load_yaml_file

    data = load_yaml_file(p)
    if not isinstance(data, dict):
        raise ConfigError("a framework file must be a YAML mapping", file=p)
    return framework_from_dict(data, source=str(p))


def framework_from_dict(data: dict[str, Any], *, source: str | None = None) -> Framework:
    try:
        ff = FrameworkFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems=[
            Problem(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}", source) for e in exc.errors()
        ]) from None
    return compile_framework(ff, source=source)


def read_coinr_meta(path: str | Path) -> pd.DataFrame:
    from ..io.readers import read_raw_table

    raw = read_raw_table(path)
    df = raw.frame.replace({"": None})
    df.attrs["lines"] = [int(x) for x in raw.lines]  # the file's line of each row (blank lines, titles)
    df.attrs["where"] = raw.path
    return df


COINR_REQUIRED = ("iCode", "Level", "Parent", "Direction", "Weight", "Type")


def framework_from_coinr(meta: pd.DataFrame, *, source: str | None = None, fid: str = "coinr") -> Framework:
    """Import COINr's ``iMeta`` table: ``iCode, Level, Parent, Direction, Weight, Type`` (+ optional
    ``iName, Unit, Target, Denominator``). ``Group`` and ``Denominator`` rows become the framework's
    group and denominator columns; ``Other`` rows are ignored."""
    cols = {c.strip(): c for c in meta.columns}
    missing = [c for c in COINR_REQUIRED if c not in cols]
    if missing:
        raise ConfigError(f"COINr metadata is missing column(s) {', '.join(missing)}", file=source,
                          hint="required: iCode, Level, Parent, Direction, Weight, Type")
    m = meta.rename(columns={v: k for k, v in cols.items()})
    problems: list[Problem] = []
    nodes: list[dict[str, Any]] = []
    groups: list[str] = []
    denoms: list[str] = []

    def num(v: Any, row: int, col: str) -> float | None:
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            return None
        try:
            return float(v)
        except ValueError:
            problems.append(Problem(f"'{v}' is not a number", source, row, col))
            return None

    lines = meta.attrs.get("lines")
    source = meta.attrs.get("where", source)
    for r, rec in enumerate(m.to_dict("records")):
        row = int(lines[r]) if lines is not None and r < len(lines) else r + 2
        t = str(rec.get("Type") or "").strip()
        code = str(rec.get("iCode") or "").strip()
        if t == "Group":
            groups.append(code)
            continue
        if t == "Denominator":
            denoms.append(code)
            continue
        if t in ("Other", ""):
            continue
        if t not in ("Indicator", "Aggregate"):
            problems.append(Problem(f"unknown Type '{t}'", source, row, "Type",
                                    "use Indicator, Aggregate, Group, Denominator or Other"))
            continue
        lvl, d, w = num(rec.get("Level"), row, "Level"), num(rec.get("Direction"), row, "Direction"), \
            num(rec.get("Weight"), row, "Weight")
        if lvl is None:
            problems.append(Problem(f"'{code}' has no Level", source, row, "Level"))
            continue
        if d not in (1.0, -1.0):
            problems.append(Problem(f"Direction of '{code}' must be 1 or -1, got {rec.get('Direction')}",
                                    source, row, "Direction"))
            continue
        if w is None:
            problems.append(Problem(f"'{code}' has no Weight", source, row, "Weight"))
            continue
        if t == "Indicator" and int(lvl) != 1:
            problems.append(Problem(f"indicator '{code}' must be at Level 1", source, row, "Level"))
        if t == "Aggregate" and int(lvl) == 1:
            problems.append(Problem(f"aggregate '{code}' cannot be at Level 1", source, row, "Level"))
        parent = rec.get("Parent")
        parent = None if parent is None or str(parent).strip() in ("", "NA") else str(parent).strip()
        tgt = num(rec.get("Target"), row, "Target")
        den = rec.get("Denominator")
        nodes.append(dict(id=code, name_en=str(rec.get("iName") or ""), unit=str(rec.get("Unit") or ""),
                          direction=int(d), weight=w, target=tgt, parent=parent, level=int(lvl),
                          type="indicator" if t == "Indicator" else "aggregate",
                          denominator=None if den is None or str(den).strip() in ("", "NA") else str(den)))
    if problems:
        raise ConfigError(problems=problems)
    levels = sorted({n["level"] for n in nodes})
    if levels and levels != list(range(1, max(levels) + 1)):
        raise ConfigError(f"COINr metadata has gaps in Level: {levels}", file=source,
                          hint="levels must run 1, 2, …, n without gaps")
    try:
        ff = FrameworkFile(id=fid, nodes=[NodeSpec(**n) for n in nodes], groups=groups, denominators=denoms)
    except ValidationError as exc:
        raise ConfigError(problems=[Problem(f"{e['loc']}: {e['msg']}", source) for e in exc.errors()]) from None
    return compile_framework(ff, source=source)


def framework_json_schema() -> dict[str, Any]:
    schema = FrameworkFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "suanli index framework"
    return schema
