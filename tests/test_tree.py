from __future__ import annotations

import datetime as dt

import pytest

import ntmkit
from ntmkit.places import REFORM_DATE, edition_on, read_admin_units
from ntmkit.rollup import Recognition, share_recognised

UNITS = """code,name,level,parent,edition,predecessors
36,Nam Định,province,,pre-2025-07,
356,Huyện A,district,36,pre-2025-07,
13669,Xã Một,commune,356,pre-2025-07,
13672,Xã Hai,commune,356,pre-2025-07,
357,Huyện B,district,36,pre-2025-07,
13700,Xã Ba,commune,357,pre-2025-07,
37,Ninh Bình,province,,2025-07,36
13669,Xã Một Mới,commune,37,2025-07,13669;13672
13700,Xã Ba,commune,37,2025-07,13700
"""


@pytest.fixture
def tree(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(UNITS, encoding="utf-8")
    return read_admin_units(path)


def test_the_tree_valid_on_a_date_gives_the_children(tree) -> None:
    before = tree.children("36", on=dt.date(2024, 1, 1), level="commune")
    assert [u.code for u in before] == ["13669", "13672", "13700"]
    after = tree.children("37", on=dt.date(2025, 9, 1), level="commune")
    assert [u.name for u in after] == ["Xã Một Mới", "Xã Ba"]
    assert edition_on(REFORM_DATE) == "2025-07"
    assert edition_on(REFORM_DATE - dt.timedelta(days=1)) == "pre-2025-07"


def test_codes_are_reused_so_identity_includes_the_edition(tree) -> None:
    old = tree.unit("13669", edition="pre-2025-07")
    new = tree.unit("13669", edition="2025-07")
    assert old.name != new.name and old.key != new.key
    assert [u.name for u in tree.predecessors("13669")] == ["Xã Một", "Xã Hai"]


def test_roll_up_counts_recognitions_of_the_communes_of_the_day(tree) -> None:
    on = dt.date(2024, 6, 1)
    recognitions = [Recognition("13669", "ntm", "1/QĐ-UBND", dt.date(2022, 12, 1)),
                    Recognition("13700", "ntm", "2/QĐ-UBND", dt.date(2023, 12, 1))]
    communes = [u.code for u in tree.children("356", on=on, level="commune")]
    assert share_recognised(recognitions, communes, "ntm", on).met == 1


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("99,Xã X,commune,404,pre-2025-07,", "parent 404 is not in the tree"),
        ("99,Huyện X,district,37,2025-07,", "no districts in the 2025-07 edition"),
        ("99,Xã X,hamlet,36,pre-2025-07,", "row 11"),
        ("13669,Xã Một,commune,356,pre-2025-07,", "appears twice"),
    ],
)
def test_bad_unit_lists_are_reported(tmp_path, row, fragment) -> None:
    path = tmp_path / "units.csv"
    path.write_text(UNITS + row + "\n", encoding="utf-8")
    with pytest.raises(ntmkit.ObservationFileError, match=fragment):
        read_admin_units(path)
