import subprocess

import pytest

from suanli.capacity.catalog import Catalog
from suanli.capacity.peak import inventory_peaks, read_inventory
from suanli.errors import InputError


def test_inventory_peaks(tmp_path):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count,cpu_model,cpu_count\n"
                 "h100,H100 SXM5 80GB,1000,,\n"
                 "fugaku,,,A64FX,158976\n"
                 "node,NVIDIA A100 80GB SXM,8,Xeon Platinum 8380,2\n"
                 "l20,L20,10,,\n", encoding="utf-8")
    res = inventory_peaks(read_inventory(p), Catalog.bundled()).set_index("name")
    assert res.loc["h100", "fp16_dense_pflops"] == pytest.approx(989.5)
    assert res.loc["h100", "fp64_pflops"] == pytest.approx(34.0)
    # TOP500 holdout: 158,976 × 48 cores × 2.2 GHz × 32 FLOPs/cycle = 537.21 PF
    assert res.loc["fugaku", "fp64_pflops"] == pytest.approx(537.212, abs=1e-3)
    assert res.loc["node", "fp64_pflops"] == pytest.approx(8 * 9.7e-3 + 2 * 2.944e-3)
    assert "no published FP64" in res.loc["l20", "notes"]


def test_peak_cli(tmp_path, suanli_cmd):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count,cpu_model,cpu_count\nh100,H100 SXM5 80GB,1000,,\n",
                 encoding="utf-8")
    out = tmp_path / "peaks.csv"
    r = subprocess.run([*suanli_cmd, "capacity", "peak", str(p), "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "989.500" in r.stdout
    assert out.read_text().splitlines()[0] == "name,fp16_dense_pflops,fp64_pflops,fp16_basis,notes,fp64_basis,spec_class,value_class"


def test_peak_cli_unknown_model_is_clear_error(tmp_path, suanli_cmd):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count\nx,H1000,8\n", encoding="utf-8")
    r = subprocess.run([*suanli_cmd, "capacity", "peak", str(p)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "inv.csv, row 2, column 'accelerator_model'" in r.stderr and "closest known names" in r.stderr


def test_missing_count(tmp_path):
    p = tmp_path / "inv.csv"
    p.write_text("name,accelerator_model,accelerator_count\nx,H20,\n", encoding="utf-8")
    with pytest.raises(InputError, match="accelerator_count"):
        read_inventory(p)
