"""The energy stage on the default edition (fewer draws): tables, intervals, scopes, claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from suanli.stage import BuildContext


def test_national_table_has_every_capacity_year_with_intervals(built):
    ed, store, out = built
    nat = pd.read_csv(out / "tables" / "energy_national.csv")
    y0, y1 = ed.capacity.years
    assert nat.year.tolist() == list(range(y0, y1 + 1))
    for m in ("rated_it_mw", "avg_it_mw", "it_twh", "facility_twh", "co2_mt"):
        assert {m, f"{m}_lo", f"{m}_hi"} <= set(nat.columns)
        assert (nat[f"{m}_lo"] <= nat[m]).all() and (nat[m] <= nat[f"{m}_hi"]).all()
        assert (nat[f"{m}_lo"] < nat[f"{m}_hi"]).all()
    assert (nat.value_class == "synthetic").all()                      # built on synthetic shipments
    assert (nat.facility_twh > nat.it_twh).all()
    # average draw below rated power; IT energy = average power × hours
    assert (nat.avg_it_mw < nat.rated_it_mw).all()
    hours = np.where(nat.year % 4 == 0, 8784, 8760)
    np.testing.assert_allclose(nat.avg_it_mw * hours / 1e6, nat.it_twh)
    cap = store.read_table("capacity_flow_national").set_index("year")
    np.testing.assert_allclose(nat.set_index("year").accelerators_installed, cap.accelerators_installed)


def test_every_energy_table_has_a_value_class(built):
    _, store, _ = built
    names = [t for t in store.tables() if t.startswith("energy_")]
    assert {"energy_national", "energy_by_province", "energy_by_vendor", "energy_by_origin", "energy_sobol",
            "energy_reconciliation", "energy_claim_checks", "energy_pue_ladder", "energy_parameters"} <= set(names)
    for t in names:
        vc = set(store.read_table(t)["value_class"])
        assert vc and vc <= {"stated", "derived", "modelled", "synthetic"}, t


def test_provinces_add_up_to_the_nation(built):
    _, store, _ = built
    nat = store.read_table("energy_national").set_index("year")
    prov = store.read_table("energy_by_province")
    s = prov.groupby("year")[["rated_it_mw", "it_twh", "facility_twh", "co2_mt"]].sum()
    for m in s.columns:
        np.testing.assert_allclose(s[m], nat[m], rtol=1e-9)
    for g in ("vendor", "origin"):
        t = store.read_table(f"energy_by_{g}").groupby("year")["facility_twh"].sum()
        np.testing.assert_allclose(t, nat.facility_twh, rtol=1e-9)
    # CO2 of a province is its facility energy × its grid factor (central parameters)
    np.testing.assert_allclose(prov.co2_mt, prov.facility_twh * prov.kgco2_per_kwh, rtol=1e-9)


def test_reconciliation_states_each_scope_and_never_fits(built):
    _, store, _ = built
    r = store.read_table("energy_reconciliation").set_index("comparison")
    for _, row in r.iterrows():
        for word in ("geography", "boundary", "workloads") if row.estimate_twh == row.estimate_twh else ():
            assert word in row.scope
    idc = r.loc["idc_global_ai_it_2024"]
    assert idc.published_geography == "global" and idc.estimate_geography == "china"
    assert "geography differs" in idc.scope and "boundary same" in idc.scope
    # names and acronyms as an English sentence writes them ("it vs it" reads as a pronoun)
    assert "(global vs China)" in idc.scope and "(IT vs IT)" in idc.scope and "(AI vs AI)" in idc.scope
    assert idc.implied_value == pytest.approx(idc.estimate_twh / 55.1)
    iea = r.loc["iea_china_dc_2024"]
    assert iea.published_boundary == "facility" and iea.estimate_workloads == "all"
    assert (r.published_label_zh.str.len() > 0).all()                   # the edition labels every total in Chinese
    assert np.isnan(r.loc["idc_global_ai_it_2027"].estimate_twh)     # beyond the capacity series: a gap


def test_seed_energy_claims_run_through_the_checker(built):
    _, store, _ = built
    c = store.read_table("energy_claim_checks")
    titles = " ".join(c.title)
    assert "两倍" in titles and "六倍" in titles
    pair = c[c.rule == "restated_rate"].iloc[0]
    assert {pair.stated, pair.recomputed} == {44.8, 44.7}
    assert pair.verdict == "APPROX"
    assert (c.rule == "cross_route").any()                            # the two implied 2022 levels


def test_sobol_and_parameters(built):
    _, store, _ = built
    s = store.read_table("energy_sobol")
    fac = s[s.output == "facility_twh"]
    assert len(fac) == len(store.read_table("energy_parameters"))
    assert fac.ST.max() > 0.1
    p = store.read_table("energy_parameters")
    assert (p.low <= p.value).all() and (p.value <= p.high).all() and (p.source != "").all()


def test_pue_ladder_compares_targets_with_the_modelled_average(built):
    _, store, _ = built
    lad = store.read_table("energy_pue_ladder")
    assert sorted(lad.target_pue) == [1.2, 1.25, 1.5]
    assert lad.modelled_ai_pue.between(1.0, 2.0).all()


def test_deterministic(built, tmp_path):
    ed, store, _ = built
    from suanli.energy.run import run_energy
    from suanli.energy.stage import load_inputs

    ctx = BuildContext(ed, Path(tmp_path), store)
    inp = load_inputs(ctx)
    a = run_energy(inp, ed.energy, ed.capacity).tables["energy_national"]
    b = run_energy(inp, ed.energy, ed.capacity).tables["energy_national"]
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, store.read_table("energy_national"), check_dtype=False)


def test_dashboard_energy_page(built, tmp_path):
    import json
    import shutil

    from fastapi.testclient import TestClient

    from suanli.energy.page import energy_page
    from suanli.web.app import create_app

    ed, store, out = built
    folder = tmp_path / "build"
    (folder / "tables").mkdir(parents=True)
    for f in (out / "tables").glob("energy_*.csv"):
        shutil.copy(f, folder / "tables" / f.name)
    (folder / "lineage.json").write_text(json.dumps({"edition_folder": str(ed.root), "tables": {}}), encoding="utf-8")
    with TestClient(create_app(folder)) as client:
        r = client.get("/energy")
        en = client.get("/energy?lang=en")
    assert r.status_code == 200
    # the scopes in the page's language: the stage's scope_zh on the Chinese page, its English on the English one
    assert "energy_national" in r.text and "Plotly.newPlot" in r.text and "地域" in r.text and "geography" in en.text
    # the edition's labels of the published totals: its Chinese on the Chinese page, its English on the English one
    assert "IEA：中国数据中心用电量" in r.text and "IEA: China data-centre electricity" not in r.text
    assert "IEA: China data-centre electricity" in en.text
    # national chart and table, provincial tile maps of MW and CO2 on the project's tile grid, provincial table
    assert r.text.count("Plotly.newPlot") == 3 and "e-tile0" in r.text and "e-tile1" in r.text
    prov = store.read_table("energy_by_province")
    assert r.text.count("<td class='t'>") >= prov[prov.year == prov.year.max()].province.nunique()
    nat = store.read_table("energy_national")
    rec = store.read_table("energy_reconciliation")
    rec.loc[0, "published_label"] = "<script>alert(1)</script>"
    rec.loc[1, "published_label_zh"] = "<script>alert(2)</script>"
    prov = prov.copy()
    prov.loc[prov.index[-1], "province"] = "<img src=x onerror=alert(1)>"
    html = energy_page(nat, prov, rec, title="<b>t</b>", synthetic=True)
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)" in html and "<b>t</b>" not in html
    html = energy_page(nat, prov, rec, title="<b>t</b>", synthetic=True, lang="en")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "No energy tables" in energy_page(None, None, None, title="x", synthetic=False, lang="en")
    assert "本构建没有能耗表" in energy_page(None, None, None, title="x", synthetic=False)
