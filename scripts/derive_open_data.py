"""Re-derive every derived value of the open-data edition from its sourced statements.

    python scripts/derive_open_data.py            # copy the centres dataset, rewrite data/index_city_indicators.csv
    python scripts/derive_open_data.py --check    # exit 1 if either bundled file differs

Two steps, both deterministic:

1. The intelligent-computing centres exist once, in the package
   (src/suanli/data/capacity/intelligent_computing_centres.csv, read by the capacity anchors). An
   edition may read only files inside its own folder, so the edition carries a byte-identical copy
   (data/intelligent_computing_centres.csv) that this script writes; the tests check the two agree.
2. The city indicator table: sums of announced centre capacities, 0 for a city absent from a
   complete published list, hub-region membership from a city's province (suanli.opendata.derive).
   The build runs the same code and refuses an indicator file that differs from it.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from suanli.edition import load_edition  # noqa: E402
from suanli.opendata.derive import coverage, indicator_table, load_and_derive  # noqa: E402

#: the one dataset of announced intelligent-computing centres
CANONICAL_CENTRES = ROOT / "src/suanli/data/capacity/intelligent_computing_centres.csv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edition", nargs="?", default=str(ROOT / "src/suanli/data/editions/open-2025"))
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    a = ap.parse_args(argv)
    ed = load_edition(a.edition)
    cfg = ed.opendata
    ok = True
    copy = ed.input_path(cfg.centres)
    canonical = CANONICAL_CENTRES.read_bytes()
    if a.check:
        same = copy.exists() and copy.read_bytes() == canonical
        ok &= same
        print(f"{copy}: {'identical to' if same else 'DIFFERS from'} {CANONICAL_CENTRES.relative_to(ROOT)}")
    elif not copy.exists() or copy.read_bytes() != canonical:
        copy.write_bytes(canonical)
        print(f"copied {CANONICAL_CENTRES.relative_to(ROOT)} -> {copy}")
    cells = load_and_derive(load_edition(a.edition))
    buf = io.StringIO()
    indicator_table(cells).to_csv(buf, index=False, lineterminator="\n", float_format="%.10g")
    text = buf.getvalue()
    path = ed.input_path(cfg.indicators)
    cov = coverage(cells)
    overall = cov.loc[cov["indicator_id"] == "_overall", "coverage"].iloc[0]
    if a.check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        ok &= same
        print(f"{path}: {'up to date' if same else 'DIFFERS from the facts'}; coverage {overall:.1%}")
        return 0 if ok else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}: {len(cells)} cells, coverage {overall:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
