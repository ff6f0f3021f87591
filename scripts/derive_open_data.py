"""Re-derive every derived value of the open-data edition from its sourced statements.

    python scripts/derive_open_data.py            # rewrite data/index_city_indicators.csv
    python scripts/derive_open_data.py --check    # exit 1 if the bundled file differs

The derivations (sums of announced centre capacities, 0 for a city absent from a complete
published list, hub-region membership from a city's province) live in suanli.opendata.derive;
the build runs the same code and refuses an indicator file that differs from it.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from suanli.edition import load_edition  # noqa: E402
from suanli.opendata.derive import (  # noqa: E402
    coverage,
    derive_city_indicators,
    indicator_table,
    read_centres,
    read_cities,
    read_facts,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("edition", nargs="?", default=str(ROOT / "src/suanli/data/editions/open-2025"))
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    a = ap.parse_args(argv)
    ed = load_edition(a.edition)
    cfg = ed.opendata
    cells = derive_city_indicators(read_cities(ed.input_path(cfg.cities)), read_facts(ed.input_path(cfg.facts)),
                                   read_centres(ed.input_path(cfg.centres)), cfg.year)
    buf = io.StringIO()
    indicator_table(cells).to_csv(buf, index=False, lineterminator="\n", float_format="%.10g")
    text = buf.getvalue()
    path = ed.input_path(cfg.indicators)
    cov = coverage(cells)
    overall = cov.loc[cov["indicator_id"] == "_overall", "coverage"].iloc[0]
    if a.check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'up to date' if same else 'DIFFERS from the facts'}; coverage {overall:.1%}")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}: {len(cells)} cells, coverage {overall:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
