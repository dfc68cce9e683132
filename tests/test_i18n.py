from __future__ import annotations

import string

import pytest

from ntmkit import i18n
from ntmkit.model.enums import CommuneClass, Confidence, Region, RuleKind, Tier, Verdict
from vietnamese import assert_vietnamese, english_words


def _fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


@pytest.mark.parametrize(("key", "pair"), list(i18n.entries()), ids=lambda v: str(v)[:40])
def test_every_message_has_both_languages_with_the_same_fields(key, pair) -> None:
    vi, en = pair
    assert vi.strip() and en.strip(), key
    assert _fields(vi) == _fields(en), key
    values = dict.fromkeys(_fields(vi), "1")
    assert_vietnamese(i18n.text(key, "vi", **values), where=key)
    assert i18n.text(key, "en", **values)


def test_the_check_finds_english_and_leaves_vietnamese_and_codes_alone() -> None:
    assert english_words("ngưỡng chưa rõ (threshold unknown), 3 household") == [
        "threshold", "unknown", "household"]
    assert english_words("Đạt 17/19 tiêu chí theo commune/ntm@2024-03-01, 318/QĐ-TTg") == []
    assert english_words("xã an toàn khu, ghi tệp ket-qua.xlsx với --lang vi") == []
    assert english_words("the set was met") == ["the", "set", "was", "met"]


def test_names_of_every_enum_member_exist_in_both_languages() -> None:
    for lang in i18n.LANGS:
        for region in Region:
            assert i18n.region_name(region, lang) != region.value
        for level in Confidence:
            assert i18n.confidence_name(level, lang) != level.value or lang == "en"
        for verdict in Verdict:
            assert i18n.verdict_name(verdict, lang)
        for c in CommuneClass:
            assert i18n.class_name(c, lang) != c.value
        for kind in RuleKind:
            assert i18n.rule_symbol(kind, lang) != kind.value or lang == "en"
        for tier in Tier:
            assert i18n.text(f"common.tier.{tier.value}", lang)
    assert i18n.region_name(Region.MEKONG_DELTA, "vi") == Region.MEKONG_DELTA.name_vi
    assert i18n.verdict_name(Verdict.NOT_MET, "vi") == Verdict.NOT_MET.label_vi


@pytest.mark.parametrize(("unit", "vi"), [
    ("household", "hộ"), ("%", "%"), ("million VND/person/year", "triệu đồng/người/năm"),
    ("m2/person", "m²/người"), ("million VND/person/month", "triệu đồng/người/tháng"),
])
def test_units_read_in_vietnamese(unit: str, vi: str) -> None:
    assert i18n.unit_name(unit, "vi") == vi
    assert_vietnamese(i18n.unit_name(unit, "vi"))


def test_an_unknown_key_or_language_is_an_error_naming_it() -> None:
    with pytest.raises(KeyError, match=r"common\.nope"):
        i18n.text("common.nope")
    with pytest.raises(ValueError, match="'fr'"):
        i18n.text("common.yes", "fr")  # type: ignore[arg-type]


def test_a_threshold_context_reads_as_words() -> None:
    from ntmkit.model.criteria import Condition

    when = Condition(region="mekong_delta", year=2024, commune_class="area_iii", group=2)
    assert i18n.context_name(when, "vi") == \
        "Đồng bằng sông Cửu Long, năm 2024, xã khu vực III, nhóm 2"
    assert i18n.context_name(when, "en") == \
        "Mekong River Delta, year 2024, area III commune, group 2"
    assert i18n.context_name(Condition(), "vi") == "mọi vùng"
