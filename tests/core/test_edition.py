import json
import subprocess

import pytest

from suanli.edition import default_edition_dir, edition_json_schema, load_edition
from suanli.errors import ConfigError


def test_default_edition_loads():
    ed = load_edition()
    assert ed.id == "cn-2025" and ed.synthetic and ed.capacity is not None
    assert ed.root == default_edition_dir().resolve()
    assert all(f.synthetic in (True, False) for f in ed.inputs.values())


def test_json_schema_exported_and_in_sync():
    schema = edition_json_schema()
    assert schema["title"] == "suanli edition.yaml" and "capacity" in schema["properties"]
    shipped = default_edition_dir().parents[1] / "schemas" / "edition.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema, "run: suanli schema -o src/suanli/data/schemas/edition.schema.json"


@pytest.mark.parametrize(
    "text,needle",
    [
        ("id: x\nyear: 2025\n", "title"),
        ("id: x\nyear: 2025\ntitle: {zh: a, en: b}\nsynthetic: false\nbogus: 1\n", "bogus"),
        ("id: x\nyear: 2025\ntitle: {zh: a, en: b}\nsynthetic: false\ninputs: {a: {path: ../etc/passwd, kind: x, synthetic: false}}\n",
         "inside the edition folder"),
        ("id: [unclosed\n", "not valid YAML"),
        ("- a\n- b\n", "mapping"),
        ("id: x\nyear: 2025\ntitle: {zh: a, en: b}\nsynthetic: false\ncapacity: {survival_intelligent: {kind: weibull}}\n",
         "scale and shape"),
    ],
)
def test_bad_editions(tmp_path, text, needle):
    (tmp_path / "edition.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_edition(tmp_path)
    assert needle in str(e.value) and "edition.yaml" in str(e.value)


def test_undeclared_input_is_clear(tmp_path):
    (tmp_path / "edition.yaml").write_text(
        "id: x\nyear: 2025\ntitle: {zh: a, en: b}\nsynthetic: true\ncapacity: {shipments: nope}\n", encoding="utf-8")
    ed = load_edition(tmp_path)
    with pytest.raises(ConfigError, match="not declared"):
        ed.input_path("nope")


def test_validate_cli(suanli_cmd):
    r = subprocess.run([*suanli_cmd, "validate"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "every model resolved" in r.stdout and "OK" in r.stdout


def test_validate_cli_reports_bad_file(tmp_path, suanli_cmd):
    import shutil

    dst = tmp_path / "ed"
    shutil.copytree(default_edition_dir(), dst)
    p = dst / "data" / "shipments.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if ",Tesla V100 SXM2 32GB," in line)
    lines[i] = lines[i].replace("Tesla V100 SXM2 32GB", "Tesla Z100X")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = subprocess.run([*suanli_cmd, "validate", str(dst)], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"shipments.csv, row {i + 1}, column 'accelerator_model'" in r.stderr
