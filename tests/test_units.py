from __future__ import annotations

import subprocess
import sys

import pint
import pytest

import ntmkit
from ntmkit.units import to_unit


def test_income_per_month_converts_to_per_year_exactly() -> None:
    assert to_unit(4.5, "million VND/person/month", "million VND/person/year") == 54.0
    assert to_unit(3_250_000, "VND/person/month", "million VND/person/year") == 39.0


def test_same_unit_is_never_converted_so_boundary_values_compare_exactly() -> None:
    # pint's % -> fraction -> % round trip is not exact to the last bit; no conversion happens.
    assert to_unit(70.0, "%", "%") == 70.0
    assert to_unit(70.0, "percent", "%") == 70.0


def test_incompatible_unit_names_indicator_and_both_units() -> None:
    with pytest.raises(ntmkit.UnitMismatch) as info:
        to_unit(3.0, "km", "%", indicator="3.1")
    message = str(info.value)
    assert "3.1" in message and "'km'" in message and "'%'" in message


def test_unknown_unit_string_is_a_unit_mismatch() -> None:
    with pytest.raises(ntmkit.UnitMismatch):
        ntmkit.Q(1, "furlong")


def test_foreign_pint_quantity_is_read_by_its_unit_string(ntm_2022, red_river) -> None:
    foreign = pint.UnitRegistry()
    q = foreign.Quantity(85, "percent")
    result = ntmkit.assess(red_river, {"3.1": q}, ntm_2022, year=2023)
    assert result.indicators["3.1"].value == 85.0


def test_import_ntmkit_loads_neither_pint_nor_cattrs_nor_numpy() -> None:
    code = (
        "import sys, ntmkit; "
        "print(','.join(m for m in ('pint', 'cattrs', 'numpy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (3.25, "million VND/person/month", 39.0),
        (3_250_000, "VND/person/month", 39.0),
        (39_000, "thousand VND/person/year", 39.0),
        (0.045, "billion VND/person/year", 45.0),
    ],
)
def test_income_conversions_are_exact_at_thresholds(value, unit, expected) -> None:
    assert to_unit(value, unit, "million VND/person/year") == expected


def test_fraction_converts_to_percent_exactly() -> None:
    assert to_unit(0.8, "", "%") == 80.0


def test_conversion_noise_is_removed() -> None:
    assert to_unit(4.2, "million VND/person/month", "million VND/person/year") == 50.4
    assert to_unit(0.07, "", "%") == 7.0


def test_batch_and_scalar_conversions_agree() -> None:
    pd = pytest.importorskip("pandas")
    values = [4.2, 3.25, 1.1, 7.3, 0.35, 12.01, 5.55]
    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    frame = pd.DataFrame({"region": ["southeast"] * len(values), "10": values})
    out = ntmkit.assess_frame(frame, cs, year=2022, units={"10": "million VND/person/month"})
    commune = ntmkit.Commune(code="1", name="X", region="northern_midlands_mountains")
    for v in values:
        scalar = ntmkit.assess(commune, {"10": ntmkit.Q(v, "million VND/person/month")}, cs,
                               year=2022).indicators["10"].value
        assert scalar == to_unit(v, "million VND/person/month", "million VND/person/year")
    import numpy as np

    from ntmkit._values import _snap

    arr = np.array(values) * 12.0
    assert list(_snap(np, arr)) == [to_unit(v, "million VND/person/month",
                                            "million VND/person/year") for v in values]
    assert len(out) == len(values)
