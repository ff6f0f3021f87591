"""Value classes: the four words, the propagation rule, and the store enforcing both on every table."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from suanli.errors import BuildError
from suanli.store import Store
from suanli.store.value_class import (
    VALUE_CLASSES,
    floor,
    from_status,
    furthest,
    propagate,
    replace_status_columns,
)


@pytest.mark.parametrize("combo", [c for n in range(1, 4) for c in itertools.product(VALUE_CLASSES, repeat=n)])
def test_propagation_rule(combo):
    out = propagate(*combo)
    if "synthetic" in combo:
        assert out == "synthetic"
    elif "modelled" in combo:
        assert out == "modelled"
    else:
        assert out == "derived"  # arithmetic on stated or derived values
    # order does not matter and adding a stated input never changes the class
    assert propagate(*reversed(combo)) == out == propagate(*combo, "stated")
    assert floor(combo) in combo and furthest(combo) in combo


def test_unknown_words_are_refused():
    with pytest.raises(ValueError):
        propagate("real")
    with pytest.raises(ValueError):
        from_status("guessed", computed=True)


def test_status_columns_fold_into_value_class():
    df = pd.DataFrame({"x": [1, 2, 3], "data_status": ["real", "synthetic", "mixed"]})
    out = replace_status_columns(df)
    assert list(out.columns) == ["x", "value_class"]
    assert list(out["value_class"]) == ["derived", "synthetic", "synthetic"]
    assert list(replace_status_columns(df, computed=False)["value_class"]) == ["stated", "synthetic", "synthetic"]
    assert set(replace_status_columns(df, synthetic=True)["value_class"]) == {"synthetic"}
    flag = pd.DataFrame({"x": [1, 2], "synthetic": [False, True]})
    assert list(replace_status_columns(flag)["value_class"]) == ["derived", "synthetic"]


def test_store_requires_and_validates_value_class(tmp_path):
    st = Store(tmp_path)
    with pytest.raises(BuildError, match="no value_class column"):
        st.write_table("t1", pd.DataFrame({"x": [1.0]}), stage="s", method="m")
    with pytest.raises(BuildError, match=r"row 2: value_class 'real'"):
        st.write_table("t2", pd.DataFrame({"x": [1.0, 2.0], "value_class": ["stated", "real"]}), stage="s", method="m")
    with pytest.raises(BuildError, match="not one of"):
        st.write_table("t3", pd.DataFrame({"x": [1.0]}), stage="s", method="m", value_class="estimated")
    st.write_table("t4", pd.DataFrame({"x": [1.0, 2.0]}), stage="s", method="m", value_class="derived")
    assert list(st.read_table("t4")["value_class"]) == ["derived", "derived"]
    csv = pd.read_csv(tmp_path / "tables" / "t4.csv")
    assert list(csv["value_class"]) == ["derived", "derived"]
    prov = st.read_table("provenance").set_index("table_name")
    assert prov.loc["t4", "value_classes"] == "derived" and not prov.loc["t4", "synthetic"]
    st.close()


def test_store_propagates_synthetic_and_modelled_inputs(tmp_path):
    st = Store(tmp_path)
    st.write_input("ship", pd.DataFrame({"n": [1, 2]}), path="ship.csv", synthetic=True)
    st.write_input("facts", pd.DataFrame({"v": [3.0]}), path="facts.csv", synthetic=False)
    assert set(st.read_table("input_ship")["value_class"]) == {"synthetic"}
    assert set(st.read_table("input_facts")["value_class"]) == {"stated"}
    # a table computed from a wholly synthetic input cannot claim to be anything else
    with pytest.raises(BuildError, match="input ship is synthetic throughout"):
        st.write_table("cap", pd.DataFrame({"x": [1.0, 2.0], "value_class": ["synthetic", "derived"]}),
                       stage="s", method="m", inputs=["ship", "facts"])
    with pytest.raises(BuildError, match="synthetic=True"):
        st.write_table("cap", pd.DataFrame({"x": [1.0]}), stage="s", method="m", synthetic=True, value_class="stated")
    st.write_table("cap", pd.DataFrame({"x": [1.0]}), stage="s", method="m", inputs=["ship"], value_class="synthetic")
    st.write_table("fc", pd.DataFrame({"x": [1.0]}), stage="s", method="m", inputs=["facts"], value_class="modelled")
    with pytest.raises(BuildError, match="at least modelled"):
        st.write_table("fc2", pd.DataFrame({"x": [1.0]}), stage="s", method="m", inputs=["fc"], value_class="derived")
    # a mixed input (some stated rows) does not force its class on every row
    st.write_table("mix", pd.DataFrame({"x": [1.0, 2.0], "value_class": ["stated", "modelled"]}), stage="s",
                   method="m", inputs=["facts"])
    st.write_table("use", pd.DataFrame({"x": [1.0]}), stage="s", method="m", inputs=["mix"], value_class="derived")
    assert st.provenance["cap"].synthetic and st.provenance["mix"].value_classes == ["stated", "modelled"]
    st.close()

