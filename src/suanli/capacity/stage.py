"""Build stage: shipments → flow and installed base of intelligent and general compute."""

from __future__ import annotations

from ..edition import Edition
from ..stage import BuildContext, Stage
from ..store.value_class import replace_status_columns
from .catalog import Catalog
from .estimate import catalog_table, cpu_catalog_table, estimate, read_shipments


def load_catalog(edition: Edition) -> Catalog:
    """The bundled catalog with the edition's override files applied."""
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
        cfg = edition.capacity
        assert cfg is not None
        cat = load_catalog(edition)
        path = edition.input_path(cfg.shipments)
        df = read_shipments(path, sheet=edition.inputs[cfg.shipments].sheet)
        estimate(df, cat, cfg)  # resolves every model and peak
        return [f"capacity: {path.name}: {len(df):,} shipment rows, every model resolved"]

    def run(self, ctx: BuildContext) -> None:
        ed = ctx.edition
        cfg = ed.capacity
        assert cfg is not None
        cat = load_catalog(ed)
        inp = ed.inputs[cfg.shipments]
        path = ed.input_path(cfg.shipments)
        df = read_shipments(path, sheet=inp.sheet)
        ctx.store.write_input(cfg.shipments, df, path=inp.path, synthetic=inp.synthetic, source=inp.source)
        params = cfg.model_dump(mode="json")
        ctx.store.write_table("catalog_accelerators", catalog_table(cat, cfg), stage=self.name,
                              method="catalog", params={"precision": cfg.precision, "rule": cfg.rule,
                                                        "fp16_equivalent": cfg.fp16_equivalent},
                              description="accelerator catalog with the FP16-equivalent used (real, sourced specs)",
                              value_class="stated")
        ctx.store.write_table("catalog_cpus", cpu_catalog_table(cat), stage=self.name, method="catalog",
                              description="server CPU catalog, FP64 peak at base clock (real, sourced specs; the "
                                          "peak is cores × clock × FLOPs per cycle)", value_class="derived")
        res = estimate(df, cat, cfg, synthetic=inp.synthetic)
        for name, table in res.tables.items():
            ctx.store.write_table(
                name, replace_status_columns(table, synthetic=inp.synthetic), stage=self.name, method="vintage installed-base model (shipments × catalog peaks)",
                params=params, inputs=[f"input_{cfg.shipments}", "catalog_accelerators", "catalog_cpus"],
                synthetic=inp.synthetic, description=res.basis)
        nat = res.tables["capacity_national"].set_index("year")
        last = int(nat.index.max())
        ctx.log(f"capacity: {last} intelligent {nat.loc[last, 'intelligent_eflops']:,.1f} EFLOPS, "
                f"general {nat.loc[last, 'general_eflops']:,.1f} EFLOPS")
        if ed.outputs.capacity_page:
            from .page import write_capacity_page

            write_capacity_page(ctx.out / "capacity.html", res.tables["capacity_national"], ed, res.basis)


STAGE = CapacityStage()
