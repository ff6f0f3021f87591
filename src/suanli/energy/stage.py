"""Build stage: installed base (from the store) → power, energy and CO2 with Monte Carlo intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edition import Edition
from ..stage import BuildContext, Stage
from .config import EnergyConfig

if TYPE_CHECKING:  # the engine is imported where the stage validates or runs (see capacity/stage.py)
    import pandas as pd


def energy_catalogs(edition: Edition, cfg: EnergyConfig) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """(accelerator energy catalog, CPU energy catalog, Catalog) with the edition's overrides."""
    from ..capacity.stage import load_catalog
    from .model import accelerator_energy_catalog, cpu_energy_catalog

    cap = edition.capacity
    cat = load_catalog(edition)
    fp = cat.fp16_equivalent(cap.fp16_equivalent if cap else ["fp16", "bf16"])
    acc = cat.accelerators.merge(fp, on="model", how="left")
    return accelerator_energy_catalog(acc, cfg), cpu_energy_catalog(cat.cpus, cfg), cat


def load_inputs(ctx: BuildContext):
    from .grid import read_emission_factors
    from .run import EnergyInputs

    ed, store = ctx.edition, ctx.store
    cfg, cap = ed.energy, ed.capacity
    assert cfg is not None and cap is not None
    ship = store.read_table(f"input_{cap.shipments}")
    acc_cat, cpu_cat, cat = energy_catalogs(ed, cfg)
    acc = cat.resolve_many(ship["accelerator_model"].fillna("").astype(str).to_numpy(), "accelerator",
                           file=cap.shipments, column="accelerator_model")
    cpu = cat.resolve_many(ship["cpu_model"].fillna("").astype(str).to_numpy(), "cpu", file=cap.shipments,
                           column="cpu_model")
    ef_name = cfg.grid.emission_factors
    ef_path = ed.input_path(ef_name)
    ef = read_emission_factors(ef_path)
    store.write_input(ef_name, ef, path=ed.inputs[ef_name].path, synthetic=ed.inputs[ef_name].synthetic,
                      source=ed.inputs[ef_name].source)
    cap_nat = store.read_table("capacity_national") if store.has_table("capacity_national") else None
    synthetic = bool(ed.inputs[cap.shipments].synthetic)
    used_acc = set(acc) - {""}
    used_cpu = set(cpu) - {""}
    acc_cat["in_shipments"] = acc_cat["model"].isin(used_acc)
    cpu_cat["in_shipments"] = cpu_cat["model"].isin(used_cpu)
    return EnergyInputs(ship, acc, cpu, acc_cat, cpu_cat, ef, cap_nat, synthetic)


class EnergyStage(Stage):
    name = "energy"

    def applies(self, edition: Edition) -> bool:
        return edition.energy is not None and edition.capacity is not None

    def validate(self, edition: Edition) -> list[str]:
        from .grid import read_emission_factors

        cfg = edition.energy
        assert cfg is not None
        acc, cpu, _ = energy_catalogs(edition, cfg)
        ef = read_emission_factors(edition.input_path(cfg.grid.emission_factors))
        return [f"energy: {int(acc.tdp_imputed.sum())} accelerator and {int(cpu.tdp_imputed.sum())} CPU TDPs imputed "
                f"(flagged); {len(ef)} grid emission factors"]

    def run(self, ctx: BuildContext) -> None:
        import numpy as np

        from .claims import claim_checks
        from .reconcile import pue_ladder, reconciliation
        from .run import factor_specs, run_energy, sobol_table

        ed, store = ctx.edition, ctx.store
        cfg, cap = ed.energy, ed.capacity
        assert cfg is not None and cap is not None
        inp = load_inputs(ctx)
        res = run_energy(inp, cfg, cap)
        cells, ectx = res.cells, res.ctx
        res.tables["energy_sobol"] = sobol_table(cells["national"], ectx, factor_specs(cfg), cfg,
                                                 synthetic=inp.synthetic)
        # derived: the catalog tables are derived (FP16-equivalents, FP64 peaks); imputed TDPs say so in tdp_basis
        res.tables["energy_catalog_accelerators"] = inp.acc_catalog.assign(value_class="derived")
        res.tables["energy_catalog_cpus"] = inp.cpu_catalog.assign(value_class="derived")
        res.tables["energy_reconciliation"] = reconciliation(res, cfg, synthetic=inp.synthetic)
        res.tables["energy_pue_ladder"] = pue_ladder(res, cfg, synthetic=inp.synthetic)
        checks = claim_checks(ed, store)
        if checks is not None:
            res.tables["energy_claim_checks"] = checks
        # the installed base must be the capacity stage's
        cf = store.read_table("capacity_flow_national") if store.has_table("capacity_flow_national") else None
        if cf is not None:
            ours = res.tables["energy_national"].set_index("year")["accelerators_installed"]
            theirs = cf.set_index("year")["accelerators_installed"].reindex(ours.index)
            gap = float(np.nanmax(np.abs(ours.to_numpy() / theirs.to_numpy() - 1)))
            if gap > 1e-9:
                from ..errors import BuildError

                raise BuildError(f"energy: installed accelerators differ from capacity_flow_national by {gap:.2e}")
        params = cfg.model_dump(mode="json")
        inputs = [f"input_{cap.shipments}", f"input_{cfg.grid.emission_factors}", "catalog_accelerators",
                  "catalog_cpus", "capacity_national"]
        desc = {
            "energy_national": "power, IT and facility energy and CO2 of China's AI servers by year, 90% Monte Carlo intervals",
            "energy_by_province": "the same by province (location-based CO2 with the province's grid factor)",
            "energy_by_vendor": "the same by server vendor",
            "energy_by_origin": "the same by accelerator origin (domestic/imported)",
            "energy_general_national": "CPU-only servers (general compute), for all-workload comparisons",
            "energy_parameters": "every uncertain parameter: range, central value, source",
            "energy_sobol": "Sobol indices: which parameter drives the spread of the national outputs",
            "energy_grid_factors": "grid emission factor used per year and province",
            "energy_catalog_accelerators": "accelerator TDPs used (catalog or imputed, flagged) and form-factor class",
            "energy_catalog_cpus": "CPU TDPs used (catalog or imputed, flagged)",
            "energy_reconciliation": "estimate beside published totals with explicit scopes; implied parameters",
            "energy_pue_ladder": "China's PUE policy targets against the modelled average PUE",
            "energy_claim_checks": "the original report's energy claims through the markets consistency checker",
        }
        # tables that do not depend on the (possibly synthetic) installed base name only their own inputs
        own_inputs = {
            "energy_parameters": [],
            "energy_grid_factors": [f"input_{cfg.grid.emission_factors}"],
            "energy_catalog_accelerators": ["catalog_accelerators"],
            "energy_catalog_cpus": ["catalog_cpus"],
            "energy_claim_checks": [n for n in (ed.markets.facts if ed.markets else None, cfg.facts_external) if n],
        }
        for name, t in sorted(res.tables.items()):
            own = own_inputs.get(name)
            store.write_table(name, t, stage=self.name, method="bottom-up installed base × TDP × overhead × load × PUE × "
                              "grid factor; Monte Carlo over parameter ranges", params=params,
                              inputs=inputs if own is None else own,
                              synthetic=inp.synthetic and own is None, description=desc.get(name, ""))
        n = res.tables["energy_national"].set_index("year")
        last = int(n.index.max())
        r = n.loc[last]
        ctx.log(f"energy: {last} AI servers {r.rated_it_mw:,.0f} MW rated, {r.facility_twh:,.1f} TWh facility "
                f"[{r.facility_twh_lo:,.1f}, {r.facility_twh_hi:,.1f}], {r.co2_mt:,.1f} Mt CO2 ({cfg.draws:,} draws)")


STAGE = EnergyStage()
