"""Build stage: shipments → flow and installed base of intelligent and general compute."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..edition import Edition
from ..stage import BuildContext, Stage

if TYPE_CHECKING:
    from .catalog import Catalog

# The stage modules import their engines (pandas, numpy, scipy) where a stage validates or runs,
# not at import: a build that reuses every stage of the previous output needs none of them.


def load_catalog(edition: Edition) -> Catalog:
    """The bundled catalog with the edition's override files applied."""
    from .catalog import Catalog

    cfg = edition.capacity
    cat = Catalog.bundled()
    if cfg is not None and cfg.accelerator_overrides:
        cat = cat.with_overrides(edition.input_path(cfg.accelerator_overrides), "accelerator")
    if cfg is not None and cfg.cpu_overrides:
        cat = cat.with_overrides(edition.input_path(cfg.cpu_overrides), "cpu")
    return cat


class CapacityStage(Stage):
    name = "capacity"

    def applies(self, edition: Edition) -> bool:
        return edition.capacity is not None

    def validate(self, edition: Edition) -> list[str]:
        from .estimate import estimate, read_shipments

        cfg = edition.capacity
        assert cfg is not None
        cat = load_catalog(edition)
        path = edition.input_path(cfg.shipments)
        df = read_shipments(path, sheet=edition.inputs[cfg.shipments].sheet, limits=edition.limits)
        estimate(df, cat, cfg)  # resolves every model and peak
        return [f"capacity: {path.name}: {len(df):,} shipment rows, every model resolved"]

    def run(self, ctx: BuildContext) -> None:
        from ..store.value_class import replace_status_columns
        from .estimate import catalog_table, cpu_catalog_table, estimate, read_shipments

        ed = ctx.edition
        cfg = ed.capacity
        assert cfg is not None
        cat = load_catalog(ed)
        inp = ed.inputs[cfg.shipments]
        path = ed.input_path(cfg.shipments)
        df = read_shipments(path, sheet=inp.sheet, limits=ed.limits)
        ctx.store.write_input(cfg.shipments, df, path=inp.path, synthetic=inp.synthetic, source=inp.source)
        params = cfg.model_dump(mode="json")
        ctx.store.write_table("catalog_accelerators", catalog_table(cat, cfg), stage=self.name,
                              method="catalog", params={"precision": cfg.precision, "rule": cfg.rule,
                                                        "fp16_equivalent": cfg.fp16_equivalent},
                              description="accelerator catalog with the FP16-equivalent used (real, sourced specs)",
                              value_class="stated")
        res = estimate(df, cat, cfg, synthetic=inp.synthetic)
        # after the estimate: CPUs named TOP500-style add derived rows to the catalog
        ctx.store.write_table("catalog_cpus", cpu_catalog_table(cat), stage=self.name, method="catalog",
                              description="server CPU catalog, FP64 peak at base clock (real, sourced specs; the "
                                          "peak is cores × clock × FLOPs per cycle; rows derived from names say so "
                                          "in source)", value_class="derived")

        def classed(table):
            # interval and scenario tables carry their own value_class; the others fold data_status into it
            if "value_class" in table.columns and "data_status" not in table.columns:
                return table
            t = replace_status_columns(table, synthetic=inp.synthetic)
            if not inp.synthetic and any(c.endswith("_lo") for c in t.columns):
                t["value_class"] = "modelled"  # rows that carry Monte Carlo bounds
            return t

        for name, table in res.tables.items():
            ctx.store.write_table(
                name, classed(table), stage=self.name, method="vintage installed-base model (shipments × catalog peaks)",
                params=params, inputs=[f"input_{cfg.shipments}", "catalog_accelerators", "catalog_cpus"],
                synthetic=inp.synthetic, description=res.basis)
        self._write_anchors(ctx, res, inp.synthetic, cfg)
        nat = res.tables["capacity_national"].set_index("year")
        last = int(nat.index.max())
        ctx.log(f"capacity: {last} intelligent {nat.loc[last, 'intelligent_eflops']:,.1f} EFLOPS, "
                f"general {nat.loc[last, 'general_eflops']:,.1f} EFLOPS")
        if ed.outputs.capacity_page:
            from .page import write_capacity_page

            write_capacity_page(ctx.out / "capacity.html", res.tables["capacity_national"], ed, res.basis)


    def _write_anchors(self, ctx: BuildContext, res, synthetic: bool, cfg) -> None:
        """Real public anchors (sourced, value_class 'stated') and the checks against them."""
        from . import anchors

        kw = {"stage": self.name, "method": "sourced reference data (data/capacity)"}
        cen = anchors.centres()
        ctx.store.write_table("capacity_centres", cen, description="announced public intelligent-computing "
                              "centres (智算中心), capacity as announced, each with source URL, date and quote", **kw)
        ctx.store.write_table("capacity_hubs", anchors.hubs(), description="东数西算 national hub nodes and "
                              "data-centre clusters with published figures where found", **kw)
        stats = anchors.province_statistics()
        ctx.store.write_table("capacity_province_stats", stats, description="province-level published compute "
                              "figures with sources", **kw)
        defs = anchors.definitions()
        ctx.store.write_table("capacity_definitions", defs, description="how IDC, MIIT/CAICT and CAICT define "
                              "and measure compute, published figures side by side", **kw)
        ctx.store.write_table("capacity_definitions_bridge", anchors.definitions_bridge(defs),
                              stage=self.name, method="bridge: time point (geometric interpolation) then scope",
                              inputs=["capacity_definitions"],
                              description="why MIIT's 788 EFLOPS (mid-2025, in use) and IDC's 1,037.3 (end-2025) "
                                          "differ")
        if "capacity_by_province" in res.tables:
            last = int(cfg.years[1])
            chk = anchors.province_check(res.tables["capacity_by_province"], cen, last,
                                         "synthetic" if synthetic else "modelled", stats)
            chk.insert(len(chk.columns) - 1, "fp64_basis", cfg.fp64_basis)
            ctx.store.write_table("capacity_province_check", chk, stage=self.name,
                                  method="installed base by province vs announced operating capacity",
                                  inputs=["capacity_by_province", "capacity_centres", "capacity_province_stats"],
                                  synthetic=synthetic,
                                  description="provinces where the synthetic stock is below announced real "
                                              "capacity are flagged (below_operating)")
            flagged = chk.loc[chk["below_operating"] | chk["below_province_stat"], "province"].tolist()
            if flagged:
                ctx.log(f"capacity: synthetic stock below announced operating capacity in {', '.join(flagged)}")


STAGE = CapacityStage()
