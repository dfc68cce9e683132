"""Real output in Vietnamese holds no English words; in English, no Vietnamese-only labels."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import i18n, registry
from ntmkit.diff_text import render
from ntmkit.i18n import reasons
from ntmkit.model.explain import undecided
from ntmkit.points import Product, score
from ntmkit.points import get as get_points
from ntmkit.points.present import points_set_text, points_table
from ntmkit.standing import progress
from vietnamese import assert_vietnamese, english_words

KEY = "commune/ntm@2024-03-01"


def _observations(cs: ntmkit.CriteriaSet, *, poor_housing: float = 0.0) -> dict[str, object]:
    """Yes/no indicators achieved, counts of households and facilities; the rest left out."""
    out: dict[str, object] = {}
    for ind in cs.indicators.values():
        if ind.rule.kind is ntmkit.RuleKind.ACHIEVED:
            out[ind.code] = True
        elif ind.unit == "household":
            out[ind.code] = poor_housing
        elif ind.unit == "count":
            out[ind.code] = 1.0
    return out


@pytest.fixture(scope="module")
def undecided_assessment() -> ntmkit.Assessment:
    """No region given (taken from the province on the pre-2025 map), many values missing."""
    cs = registry.get(KEY)
    commune = ntmkit.Commune(code="X-1", name="Xã Thử", province="Hà Nội")
    return ntmkit.assess(commune, _observations(cs), cs, year=2024)


def test_explain_in_vietnamese_has_no_english_words(undecided_assessment) -> None:
    a = undecided_assessment
    assert a.verdict is ntmkit.Verdict.UNKNOWN
    text = a.explain("vi")
    assert_vietnamese(text, where="explain")
    units = {r.unit for r in a.indicators.values()}
    assert {"household", "count", "achieved"} <= units
    assert "0 hộ / ≤ 0 hộ → Đạt" in text                          # household unit
    assert "1 số lượng / ≥ 1 số lượng" in text                       # count unit
    assert ": có / Đạt → Đạt" in text                               # a yes/no indicator
    assert "[giữ từ bản trước]" in text                              # carried_forward
    assert "chưa có số liệu / " in text and "chưa rõ ngưỡng" in text
    assert "Chưa thể kết luận: " in text and "(ngưỡng chưa rõ)" in text
    assert "lấy theo bản đồ hành chính trước tháng 7/2025" in text  # the region-map note


def test_explain_in_english_has_no_vietnamese_labels(undecided_assessment) -> None:
    text = undecided_assessment.explain("en")
    for label in ("Chưa rõ", "chưa có số liệu", "giữ từ bản trước", "hộ /", "Kết quả", "Đạt"):
        assert label not in text
    assert "0 household / ≤ 0 household → met" in text
    assert "[carried forward]" in text and "taken from the pre-2025-07 map" in text


def test_english_reasons_are_the_ones_scoring_writes(undecided_assessment) -> None:
    # The catalogue's English side is scoring's own text: read back, it is unchanged.
    a = undecided_assessment
    english = a.undecided_by()
    assert english == undecided(a, "en")
    assert len(undecided(a, "vi")) == len(english)
    assert [f"{r.code} ({r.reason})" for r in a.indicators.values()
            if r.verdict is ntmkit.Verdict.UNKNOWN] == english[:len(
                [r for r in a.indicators.values() if r.verdict is ntmkit.Verdict.UNKNOWN])]
    for r in a.indicators.values():
        if r.reason:
            assert reasons.translate(r.reason, "en") == r.reason
            assert reasons.translate(r.reason, "vi") != r.reason, r.reason


@settings(max_examples=30, deadline=None)
@given(version=st.sampled_from(["2022-03-08", "2024-03-01"]),
       region=st.sampled_from(list(ntmkit.Region)),
       classes=st.frozensets(st.sampled_from(list(ntmkit.CommuneClass)), max_size=2),
       year=st.integers(2022, 2025), poor=st.sampled_from([0.0, 3.0]),
       on=st.one_of(st.none(), st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31))))
def test_every_reason_of_commune_assessments_reads_in_vietnamese(version, region, classes,
                                                                 year, poor, on) -> None:
    cs = registry.get("commune/ntm", version=version)
    commune = ntmkit.Commune(code="X", name="Xã", region=region, classes=classes)
    a = ntmkit.assess(commune, _observations(cs, poor_housing=poor), cs, year=year, on=on,
                      strict="unknown")
    for reason in [*(r.reason for r in a.indicators.values()),
                   *(c.reason for c in a.criteria.values()), *a.notes]:
        if reason:
            assert not english_words(reasons.translate(reason, "vi")), reason
    assert_vietnamese(a.explain("vi"))


def test_points_results_in_vietnamese() -> None:
    ocop = get_points("product/ocop", version="2019-08-21")
    r = score(Product("P1", "Mật ong bạc hà"), {"A": 30, "B": 20, "C": 39.6}, ocop)
    for text in (r.explain("vi"), points_table(ocop, [r], "vi"), points_set_text(ocop, "vi")):
        assert_vietnamese(text)
    assert "Hạng: 4 sao (89.6 ≥ 70)" in r.explain("vi")
    assert "điểm đã cho" in r.explain("vi") and "points given" in r.explain("en")
    assert "Tổng điểm" not in points_table(ocop, [r], "en")
    dti = get_points("province/dti", version="2025-04-03")
    assert "tối đa — (chưa rõ)" in points_set_text(dti, "vi")
    assert "max — (unknown)" in points_set_text(dti, "en")


def test_progress_and_target_wording_in_both_languages() -> None:
    from ntmkit import targets

    t = targets.target("province/hung-yen/communes-model")
    declared = {f"{i:03}": ntmkit.Tier.MODEL if i < 36 else ntmkit.Tier.NTM for i in range(139)}
    p = progress(t, declared)
    vi, en = t.wording("vi"), t.wording("en")
    assert vi.endswith("Nông thôn mới kiểu mẫu") and en.endswith("Model NTM")
    words_vi = p.words("vi")
    assert_vietnamese(" ".join([vi, *words_vi]))
    assert tuple(words_vi) == ("kê khai", "tất cả xã", "Chưa đạt")
    assert tuple(p.words("en")) == ("declared", "all communes", "not reached")
    assert p.denominator == "all communes"


def test_amendment_diff_in_vietnamese_and_english() -> None:
    d = registry.diff(registry.get("commune/ntm@2022-03-08"), registry.get(KEY))
    vi, en = render(d, "vi"), render(d, "en")
    assert_vietnamese(vi, where="diff")
    assert "(đạt/chưa đạt)" in vi and "tên tiếng Anh: đã sửa" in vi
    assert en.startswith("Changes commune/ntm@2022-03-08")
    for label in ("So sánh", "Giá trị và chỉ tiêu", "mọi vùng", "giữ từ bản trước"):
        assert label not in en
    assert "everywhere: applies: yes → no" in en


openpyxl = pytest.importorskip("openpyxl")


def _assessments(cs: ntmkit.CriteriaSet) -> list[ntmkit.Assessment]:
    out = []
    for n, poor in enumerate((0.0, 2.0)):
        commune = ntmkit.Commune(code=f"X-{n}", name=f"Xã {n}",
                                 region=ntmkit.Region.RED_RIVER_DELTA)
        out.append(ntmkit.assess(commune, _observations(cs, poor_housing=poor), cs, year=2024))
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_assessment_workbook_labels(tmp_path, lang) -> None:
    from ntmkit.io.xlsx import write_assessments

    cs = registry.get(KEY)
    path = tmp_path / "out.xlsx"
    results = _assessments(cs)
    write_assessments(cs, results, path, lang=lang)
    book = openpyxl.load_workbook(path)
    verdicts, gaps = book.worksheets
    texts = [verdicts.title, gaps.title]
    texts += [c.value for sheet in (verdicts, gaps) for c in sheet[1]]
    legend_row = len(results) + 4
    legend = [c.value for c in verdicts[legend_row] if c.value]
    texts += legend
    units = [row[8].value for row in gaps.iter_rows(min_row=2)]
    assert units and set(units) == {i18n.unit_name("household", lang)}
    texts += units
    if lang == "vi":
        assert_vietnamese(" | ".join(texts), where="workbook")
        assert legend == ["Chú giải màu:", "Đạt", "Chưa đạt", "Chưa rõ", "Không áp dụng"]
        assert units[0] == "hộ"
    else:
        assert verdicts.title == "Verdicts" and gaps.title == "Gaps"
        assert legend == ["Colours:", "met", "not met", "unknown", "not applicable"]
        assert not any(w in " ".join(texts) for w in ("Đạt", "Tiêu chí", "hộ", "Mã xã"))


def test_template_notes_in_vietnamese_and_confidence_names_read_back(tmp_path) -> None:
    from ntmkit.io.fill import fill, write_template

    cs = registry.get(KEY)
    path = tmp_path / "t.xlsx"
    write_template(cs, path, only_unknown=True)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    notes = [c.comment.text for c in sheet[1] if c.comment is not None]
    assert len(notes) == 7
    assert_vietnamese(" | ".join([sheet.title, *notes]), where="template")
    formula = next(v.formula1 for v in sheet.data_validations.dataValidation
                   if "kiểm chứng" in v.formula1)
    assert_vietnamese(formula)
    # A row filled with the drop-down's name loads as the same set as with the code.
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i).value for i, name in enumerate(header, start=1)}
    filled = []
    for confidence in ("một nguồn nhắc lại", "restated"):
        out = tmp_path / f"{confidence[:3]}.csv"
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerow({**{k: v or "" for k, v in row.items()},
                             "value": "Đạt" if row["comparator"] == "achieved" else "80",
                             "confidence": confidence, "source_act": "318/QĐ-TTg"})
        filled.append(fill(cs, out, new_id="province/test/commune-ntm")[0].fingerprint)
    assert filled[0] == filled[1] != cs.fingerprint
