"""Regenerate ``src/suanli/data/report/ne_110m_east_asia.json`` (the report map's outlines).

Source: Natural Earth 1:110m Admin 0 – Countries (public domain, naturalearthdata.com), as shipped
in geopandas 0.14's ``datasets/naturalearth_lowres`` shapefile. Run once, offline, with pyshp:

    pip download --no-deps geopandas==0.14.4 && unzip geopandas-0.14.4-*.whl 'geopandas/datasets/*'
    pip install --target /tmp/pyshp pyshp
    PYTHONPATH=/tmp/pyshp python scripts/make_map_outline.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Keeps the countries whose rings touch the view (70–140°E, 10–55°N), coordinates rounded to 0.01°.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapefile  # pyshp, only needed to regenerate the file

VIEW = (70.0, 10.0, 140.0, 55.0)
OUT = Path(__file__).resolve().parents[1] / "src" / "suanli" / "data" / "report" / "ne_110m_east_asia.json"


def main(shp: str) -> None:
    r = shapefile.Reader(shp)
    fields = [f[0] for f in r.fields[1:]]
    countries = []
    for sr in r.iterShapeRecords():
        rec = dict(zip(fields, sr.record, strict=True))
        pts, parts = sr.shape.points, list(sr.shape.parts) + [len(sr.shape.points)]
        rings = []
        for a, b in zip(parts[:-1], parts[1:], strict=True):
            ring = [(round(x, 2), round(y, 2)) for x, y in pts[a:b]]
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            if max(xs) < VIEW[0] or min(xs) > VIEW[2] or max(ys) < VIEW[1] or min(ys) > VIEW[3]:
                continue
            rings.append(ring)
        if rings:
            countries.append({"name": rec["name"], "iso_a3": rec["iso_a3"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    doc = {
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via geopandas 0.14 naturalearth_lowres",
        "note": "Schematic outlines for orientation only; not an authoritative depiction of any boundary.",
        "view": VIEW,
        "countries": countries,
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(countries)} countries)")


if __name__ == "__main__":
    main(sys.argv[1])
