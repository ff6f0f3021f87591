"""Security review, as tests: HTML escaping, spreadsheet formula injection, path traversal, request
size limits, loopback default and the access token.

Outputs are checked on a build of an edition whose inputs carry hostile strings (a city named
``<script>…``, an industry and a unit named like spreadsheet formulas); the dashboard is checked
through its ASGI app (``fastapi.testclient``) and the ``serve`` command's defaults.
"""

from __future__ import annotations

import csv
import inspect
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

XSS = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror="alert(2)">'
CLOSE = "</script><script>alert(3)</script>"
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "+SUM(1,2)", "-2+3*cmd|' /C calc'!A0", "@SUM(1+1)"]


@pytest.fixture(scope="module")
def hostile_edition(tmp_path_factory) -> Path:
    from suanli.edition import default_edition_dir

    src = default_edition_dir()
    ed = yaml.safe_load((src / "edition.yaml").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("hostile") / "ed"
    (root / "data").mkdir(parents=True)
    keep = {k: v for k, v in ed["inputs"].items() if k.startswith("index_") or k == "shipments"}
    for inp in keep.values():
        shutil.copyfile(src / inp["path"], root / inp["path"])
    ship = pd.read_csv(root / keep["shipments"]["path"], dtype=str, keep_default_na=False)
    # city names are checked against the city catalogue (an unknown city is refused), so the hostile
    # strings ride in the free-text columns, and in the index's unit names below
    ship.loc[ship["industry"] == "交通", "industry"] = XSS
    ship.loc[ship["industry"] == "零售", "industry"] = XSS_IMG
    ship.loc[ship["industry"] == "建筑", "industry"] = FORMULAS[0]
    ship.loc[ship["vendor"] == "宁畅", "vendor"] = CLOSE
    ship.to_csv(root / keep["shipments"]["path"], index=False)
    city = root / keep["index_city_indicators"]["path"]
    df = pd.read_csv(city, dtype=str, keep_default_na=False)
    for uid, name in zip(["dalian", "dongguan", "xiamen", "kunming", "nanning"], [XSS, *FORMULAS], strict=True):
        df.loc[df["unit_id"] == uid, "unit_name"] = name
    df.to_csv(city, index=False)
    out = {k: ed[k] for k in ("schema_version", "id", "year", "title", "publisher", "synthetic")}
    out["title"] = {"zh": ed["title"]["zh"] + XSS, "en": ed["title"]["en"] + CLOSE}
    out.update(inputs=keep, capacity=ed["capacity"], assessments=ed["assessments"])
    (root / "edition.yaml").write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_build(hostile_edition, tmp_path_factory) -> Path:
    from suanli.builder import build
    from suanli.edition import load_edition

    out = tmp_path_factory.mktemp("hostile-out") / "out"
    build(load_edition(hostile_edition), out, options={"report_formats": ("html", "xlsx"), "lang": ["zh", "en"]})
    return out


# ------------------------------------------------------------------------------------ HTML escaping
def _script_blocks(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S | re.I)


@pytest.mark.slow
def test_html_outputs_escape_hostile_names(hostile_build):
    pages = [p for p in hostile_build.rglob("*.html")]
    assert pages, "the build wrote no HTML"
    for p in pages:
        html = p.read_text(encoding="utf-8")
        for bad in (XSS, XSS_IMG, "alert(3)</script>", "<script>alert"):
            assert bad not in html, f"{p.name}: raw {bad!r} in the page"
        # no data string may close a <script> element early: inside scripts only JSON-escaped forms
        for block in _script_blocks(html):
            assert "alert(1)" not in block or "<\\/script>" in block or "\\u003c" in block
    report = (hostile_build / "report.html").read_text(encoding="utf-8")
    assert "alert(1)" in report, "the hostile city should appear (escaped) in the report"


@pytest.mark.slow
def test_csv_tables_are_formula_safe(hostile_build):
    seen = 0
    for p in (hostile_build / "tables").glob("*.csv"):
        with open(p, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        float(cell)  # only numbers may start like a formula
                    if cell.startswith("'=HYPERLINK") or cell.startswith("'@SUM"):
                        seen += 1
    assert seen, "the hostile formula strings should appear, defused with a leading apostrophe"


@pytest.mark.slow
def test_xlsx_has_no_formulas(hostile_build):
    import openpyxl

    wb = openpyxl.load_workbook(hostile_build / "tables.xlsx")
    texts = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str) and c.value.lstrip("'").startswith(("=HYPERLINK", "@SUM", "+SUM")):
                    texts += 1
    assert texts, "the hostile strings should be in the workbook as text"


# ------------------------------------------------------------------------------------------ web app
@pytest.fixture(scope="module")
def client(hostile_edition):
    from fastapi.testclient import TestClient

    from suanli.web.app import create_app

    return TestClient(create_app(hostile_edition))


def test_web_page_escapes_edition_title(client):
    r = client.get("/")
    assert r.status_code == 200
    assert XSS not in r.text and "alert(3)</script>" not in r.text
    assert "&lt;script&gt;" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_web_js_never_writes_html_from_data():
    from suanli.web.app import STATIC

    js = (STATIC / "app.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, f"app.js uses {sink}"


def test_web_exports_are_formula_safe(client):
    import io

    import openpyxl

    body = {}
    r = client.post("/api/assessments/city/export?format=csv", json=body)
    assert r.status_code == 200, r.text
    text = r.content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@"):
                float(cell)
    r = client.post("/api/assessments/city/export?format=xlsx", json=body)
    assert r.status_code == 200, r.text
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/app.py",
    "/vendor/plotly/..%2f..%2f..%2fetc%2fpasswd", "/vendor/plotly/../../../../../../etc/passwd",
    "/api/tables/..%2f..%2fetc%2fpasswd", "/api/tables/%2e%2e", "/api/assessments/..%2fedition",
    "/a/..%2f..%2fedition.yaml", "/static//etc/passwd", "/static/%00.css",
])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert "root:x:0:0" not in r.text
    assert "from __future__" not in r.text
    assert "schema_version" not in r.text
    assert r.status_code in (200, 400, 404, 405, 422)
    if path.startswith("/a/"):  # SPA page routes return the shell, never a file
        assert r.status_code in (200, 404, 422) and "<html" in r.text.lower() or r.status_code != 200


def test_request_size_limits(client):
    from suanli.web.app import MAX_BODY

    big = b'{"weights": {"a": 1}, "pad": "' + b"x" * (MAX_BODY + 10) + b'"}'
    r = client.post("/api/assessments/city/rescore", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    # no Content-Length (chunked upload): the body is counted as it streams
    def chunks():
        for _ in range(MAX_BODY // 1024 + 8):
            yield b" " * 1024

    r = client.post("/api/assessments/city/rescore", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/assessments/city/rescore", content=b"{}", headers={"content-length": "abc"})
    assert r.status_code in (400, 413, 422)


def test_serve_binds_loopback_by_default_and_needs_a_token_beyond(monkeypatch, hostile_edition):
    import uvicorn

    from suanli.web.cli import is_loopback, serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    for h in ("127.0.0.1", "::1", "[::1]", "localhost", "127.8.9.10"):
        assert is_loopback(h), h
    for h in ("0.0.0.0", "::", "192.168.1.10", "example.com", ""):
        assert not is_loopback(h), h
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    serve(hostile_edition, host="127.0.0.1", port=0, token=None)
    assert seen["host"] == "127.0.0.1" and seen["app"].state.token is None
    serve(hostile_edition, host="0.0.0.0", port=0, token=None)
    assert seen["host"] == "0.0.0.0" and seen["app"].state.token and len(seen["app"].state.token) >= 16


def test_token_is_checked_when_given(hostile_edition):
    from fastapi.testclient import TestClient

    from suanli.web.app import create_app

    tok = "t0ken-for-tests-0123456789"
    c = TestClient(create_app(hostile_edition, token=tok))
    assert c.get("/api/meta").status_code == 401
    assert c.get("/api/meta", headers={"x-suanli-token": tok[:-1] + "X"}).status_code == 401
    assert c.get("/api/meta", headers={"x-suanli-token": tok}).status_code == 200
    assert c.get("/api/meta", headers={"authorization": f"Bearer {tok}"}).status_code == 200
    assert c.post("/api/assessments/city/rescore", json={}).status_code == 401
    assert c.get("/").status_code == 200  # the page shell holds no data; its API calls need the token
