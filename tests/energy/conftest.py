"""One small energy build (capacity + energy stages, fewer draws) shared by the energy tests."""

from __future__ import annotations

import pytest

from suanli.capacity.stage import STAGE as CAPACITY
from suanli.edition import load_edition
from suanli.energy.stage import STAGE as ENERGY
from suanli.stage import BuildContext
from suanli.store import Store


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    ed = load_edition()
    ed.energy.draws = 600
    ed.energy.sobol_base = 64
    ed.outputs.capacity_page = False
    out = tmp_path_factory.mktemp("energy")
    store = Store(out)
    ctx = BuildContext(ed, out, store)
    CAPACITY.run(ctx)
    ENERGY.run(ctx)
    yield ed, store, out
    store.close()
