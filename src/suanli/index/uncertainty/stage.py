"""Build stage ``uncertainty`` (after ``index``): the edition's ``uncertainty:`` section → tables

* ``index_<name>_rank_intervals``: unit_id, unit_name, node_id, nominal_rank, median_rank, mean_rank,
  q05, q95, p_top10, p_nominal_rank, p_unranked, rank_shift, n_samples, year, synthetic — the data
  of the rank-interval chart (nominal vs median rank with 5–95% bars);
* ``index_<name>_rank_probabilities``: node_id, unit_id, rank, probability, year, synthetic;
* ``index_<name>_sobol``: target (``rank`` or ``mean_abs_rank_shift``), node_id, unit_id, input,
  S1, S1_lo, S1_hi, S1_conf, ST, ST_lo, ST_hi, ST_conf, n_base, n_runs, year, synthetic — the data
  of the Sobol bar chart (rows with target = mean_abs_rank_shift);
* ``index_<name>_uncertainty_inputs``: input, kind, dims, choices.
"""

from __future__ import annotations

from ...edition import Edition
from ...errors import ConfigError
from ...stage import BuildContext, Stage
from ...store.value_class import replace_status_columns


def _section(edition: Edition):
    return getattr(edition, "uncertainty", None)


def _jobs(edition: Edition):
    from ..stage import load_assessment

    sec = _section(edition)
    assessments = edition.assessments.root if edition.assessments is not None else {}
    for name, us in sec.assessments.items():
        target = us.assessment or name
        if target not in assessments:
            raise ConfigError(f"uncertainty: '{target}' is not an assessment under 'assessments:'",
                              file=edition.root / "edition.yaml",
                              hint=f"assessments: {', '.join(assessments) or 'none'}; a named variant says "
                                   "which one with 'assessment:'")
        cfg = assessments[target]
        fw, panel, spec = load_assessment(edition, target, cfg)
        y = us.year if us.year is not None else panel.year_list()[-1]
        yield name, cfg, fw, panel, spec, us, y


class UncertaintyStage(Stage):
    name = "uncertainty"
    standalone = True  # reads no other stage's tables

    def applies(self, edition: Edition) -> bool:
        sec = _section(edition)
        return bool(sec and sec.assessments)

    def validate(self, edition: Edition) -> list[str]:
        from .engine import prepare

        lines = []
        for name, _cfg, _fw, panel, spec, us, y in _jobs(edition):
            prep = prepare(us, panel[y], spec, previous=panel.previous(y))
            lines.append(f"uncertainty {name}: {len(prep.factors)} inputs "
                         f"({', '.join(f.name for f in prep.factors)}), {us.samples} samples"
                         + (f", Sobol N={us.sobol_n}" if us.sobol else ""))
        return lines

    def run(self, ctx: BuildContext) -> None:
        from .run import run_uncertainty

        ed = ctx.edition
        for name, cfg, fw, panel, spec, us, y in _jobs(ed):
            res = run_uncertainty(us, panel[y], spec, previous=panel.previous(y))
            synthetic = bool(ed.inputs[cfg.data].synthetic or ed.inputs[cfg.framework].synthetic)
            params = {"uncertainty": us.model_dump(mode="json"), "method": spec.to_list(), "framework": fw.id,
                      "year": y}
            common = dict(stage="uncertainty", params=params, inputs=[cfg.framework, cfg.data], synthetic=synthetic)
            tables = [("rank_intervals", res.rank_intervals(), "Monte Carlo rank intervals",
                       "nominal and median rank, 5–95% interval and P(top 10) of every unit under uncertain "
                       "method choices (rank-interval chart data)"),
                      ("rank_probabilities", res.rank_probabilities(), "Monte Carlo rank distribution",
                       "probability of each rank for every unit")]
            if res.sobol is not None:
                tables.append(("sobol", res.sobol, "Sobol indices (Saltelli first order, Jansen total)",
                               "first-order and total Sobol indices of each uncertain input on every unit's rank and "
                               "on the mean absolute rank shift, with bootstrap intervals (Sobol bar chart data)"))
            tables.append(("uncertainty_inputs", res.inputs_table(), "uncertainty inputs",
                           "the uncertain inputs and their choices"))
            for suffix, df, method, desc in tables:
                df = df.copy()
                if suffix != "uncertainty_inputs":
                    df["year"] = y
                df = replace_status_columns(df, synthetic=synthetic)
                ctx.store.write_table(f"index_{name}_{suffix}", df, method=method, description=desc, **common)
            ri = res.rank_intervals()
            ri = ri[ri["node_id"] == fw.root_id]
            ctx.log(f"uncertainty {name}: {us.samples} samples; median |rank shift| "
                    f"{ri['rank_shift'].abs().median():g}; widest 5–95% interval "
                    f"{(ri['q95'] - ri['q05']).max():g} ranks")


STAGE = UncertaintyStage()
