import hashlib

import pandas as pd

from suanli.capacity.synthetic import generate_shipments
from suanli.edition import default_edition_dir


def test_generator_reproduces_the_shipped_file(tmp_path):
    """The default edition's shipments are exactly what the seeded generator writes."""
    from suanli.capacity.synthetic import write_shipments

    p = tmp_path / "s.csv"
    write_shipments(p)
    shipped = default_edition_dir() / "data" / "shipments.csv"
    assert hashlib.sha256(p.read_bytes()).hexdigest() == hashlib.sha256(shipped.read_bytes()).hexdigest()


def test_synthetic_is_labelled_and_covers_the_scope():
    df = generate_shipments()
    assert (df["data_status"] == "synthetic").all()
    assert df["province"].nunique() == 31
    assert df["industry"].nunique() >= 12
    assert set(df["period"].str[:4].astype(int)) == set(range(2019, 2026))
    assert set(df["period"].str[4:]) == {"H1", "H2"}
    acc = df[df["accelerator_model"] != ""]
    from suanli.capacity.catalog import Catalog

    origin = acc["accelerator_model"].map(Catalog.bundled().accelerators.set_index("model")["origin"])
    assert set(origin) == {"domestic", "imported"}
    assert (df["servers"] > 0).all()
    assert isinstance(df, pd.DataFrame)
