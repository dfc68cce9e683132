"""A criteria-set diff as people read it: values first, then rules as sentences, then provenance.

``ntmkit criteria diff`` prints :func:`render`; tools use ``--format json``
(:meth:`ntmkit.registry.SetDiff.as_json`).
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from typing import Any

from ntmkit.model.criteria import Condition
from ntmkit.model.enums import CommuneClass, Region
from ntmkit.registry.diff import Change, SetDiff

__all__ = ["render"]

WIDTH = 100

_CLASS_NAMES = {
    CommuneClass.EXTREMELY_DIFFICULT: ("xã đặc biệt khó khăn", "extremely difficult communes"),
    CommuneClass.ATK_POOR_DISTRICT: ("xã an toàn khu (ATK) của huyện nghèo",
                                     "ATK communes of poor districts"),
    CommuneClass.AREA_II: ("xã khu vực II", "area II communes"),
    CommuneClass.AREA_III: ("xã khu vực III", "area III communes"),
    CommuneClass.EXTREMELY_DIFFICULT_COASTAL_ISLAND: (
        "xã đặc biệt khó khăn vùng bãi ngang ven biển và hải đảo",
        "extremely difficult coastal-lowland and island communes"),
}

_CONFIDENCE_NAMES = {
    "verified": ("đã kiểm chứng", "verified"),
    "restated": ("một nguồn nhắc lại", "restated"),
    "guidance": ("văn bản hướng dẫn của bộ", "ministry guidance"),
    "carried_forward": ("giữ từ bản trước", "carried forward"),
    "inferred": ("suy ra", "inferred"),
    "uncertain": ("chưa chắc chắn", "uncertain"),
    "unknown": ("chưa rõ", "unknown"),
    # Spellings of earlier releases, which a diff against an old file of one's own may show.
    "verified_secondary": ("kiểm chứng qua nguồn thứ cấp", "verified (secondary)"),
    "derived": ("suy ra", "derived"),
}

_FIELD_NAMES = {
    "value": ("ngưỡng", "threshold"),
    "upper": ("ngưỡng trên", "upper bound"),
    "options": ("lựa chọn", "options"),
    "applies": ("áp dụng", "applies"),
    "candidate": ("giá trị ứng viên", "candidate value"),
    "relative_to": ("ngưỡng tương đối", "relative threshold"),
    "unit": ("đơn vị", "unit"),
    "minimum": ("giá trị nhỏ nhất", "minimum"),
    "maximum": ("giá trị lớn nhất", "maximum"),
    "confidence": ("độ tin cậy", "confidence"),
    "sources": ("nguồn", "sources"),
    "note": ("ghi chú", "note"),
    "legal_ref": ("trích dẫn pháp lý", "legal reference"),
    "code_confidence": ("độ tin cậy của mã", "code confidence"),
    "checked_on": ("ngày đối chiếu", "checked on"),
    "rule": ("quy tắc so sánh", "comparison rule"),
    "criterion": ("thuộc tiêu chí", "criterion"),
    "name_vi": ("tên tiếng Việt", "Vietnamese name"),
    "name_en": ("tên tiếng Anh", "English name"),
    "year_dependent": ("thay đổi theo năm", "varies by year"),
    "by_sex": ("đạt cho cả nam và nữ", "for men and women each"),
    "applies_if": ("áp dụng khi", "applies if"),
    "children": ("đơn vị con được đếm", "child units counted"),
    "indicators_complete": ("đủ chỉ tiêu", "indicators complete"),
    "pillar": ("nhóm tiêu chí", "pillar"),
    "title_vi": ("tên bộ tiêu chí (tiếng Việt)", "Vietnamese title"),
    "title_en": ("tên bộ tiêu chí (tiếng Anh)", "English title"),
    "effective": ("ngày hiệu lực", "effective date"),
    "superseded_on": ("ngày bị thay thế", "superseded on"),
    "superseded_by": ("văn bản thay thế", "superseded by"),
    "years": ("giai đoạn", "years"),
    "criteria_count": ("số tiêu chí", "number of criteria"),
    "groups": ("nhóm xã", "commune groups"),
    "complete": ("đủ tiêu chí", "complete"),
    "requires": ("bộ tiêu chí phải đạt trước", "sets required first"),
    "legal_basis": ("căn cứ pháp lý", "legal basis"),
    "amended_by": ("sửa đổi bởi", "amended by"),
}

_WORDS = {
    "title": ("So sánh {old} → {new}", "Changes {old} → {new}"),
    "values": ("Giá trị và chỉ tiêu", "Values and indicators"),
    "structure": ("Quy tắc và cấu trúc", "Rules and structure"),
    "provenance": ("Nguồn, độ tin cậy và ghi chú", "Sources, confidence and notes"),
    "none": ("không thay đổi", "no change"),
    "count": ("{n} thay đổi", "{n} changes"),
    "see_all": ("xem từng thay đổi với --all", "list each with --all"),
    "added_ind": ("thêm chỉ tiêu", "indicator added"),
    "removed_ind": ("bỏ chỉ tiêu", "indicator removed"),
    "added_crit": ("Thêm tiêu chí {codes}.", "Criteria added: {codes}."),
    "removed_crit": ("Bỏ tiêu chí {codes}.", "Criteria removed: {codes}."),
    "everywhere": ("mọi nơi", "everywhere"),
    "year": ("năm {y}", "year {y}"),
    "group": ("nhóm {g}", "group {g}"),
    "absent": ("(không có)", "(none)"),
    "unknown": ("chưa rõ", "unknown"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "thr_added": ("ngưỡng mới", "new threshold"),
    "thr_removed": ("bỏ ngưỡng", "threshold removed"),
    "region_sub": ("Xã được đánh giá theo cột {region}", "Communes assessed against the {region}"
                                                          " column"),
    "sub_now": ("nay gồm thêm {names}", "now also {names}"),
    "sub_gone": ("không còn {names}", "no longer {names}"),
    "sub_kept": ("vẫn gồm {names}", "still {names}"),
    "sub_new": ("Thêm quy tắc thay cột: {names} được đánh giá theo cột {region}",
                "New region substitution: {names} are assessed against the {region} column"),
    "sub_dropped": ("Bỏ quy tắc thay cột: {names} không còn được đánh giá theo cột {region}",
                    "Region substitution dropped: {names} no longer use the {region} column"),
    "amend_added": ("Sửa đổi bởi: thêm {acts}", "Amended by: {acts} added"),
    "amend_removed": ("Sửa đổi bởi: bỏ {acts}", "Amended by: {acts} removed"),
    "and": (" và ", " and "),
    "changed": ("{what}: {old} → {new}", "{what}: {old} → {new}"),
    "thresholds": ("{n} ngưỡng", "{n} thresholds"),
}


def _w(key: str, vi: bool, **fields: Any) -> str:
    return _WORDS[key][0 if vi else 1].format(**fields)


def _field(name: str, vi: bool) -> str:
    pair = _FIELD_NAMES.get(name)
    return name if pair is None else pair[0 if vi else 1]


def _join(names: list[str], vi: bool) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + _w("and", vi) + names[-1]


def _context(when: Condition | None, vi: bool) -> str:
    if when is None:
        return ""
    parts = []
    if when.region is not None:
        parts.append(when.region.name_vi if vi else when.region.name_en)
    if when.year is not None:
        parts.append(_w("year", vi, y=when.year))
    if when.commune_class is not None:
        parts.append(_CLASS_NAMES[when.commune_class][0 if vi else 1])
    if when.group is not None:
        parts.append(_w("group", vi, g=when.group))
    return ", ".join(parts) or _w("everywhere", vi)


def _value(value: Any, what: str, vi: bool, unit: str = "") -> str:
    """A value of a change as a person reads it (no raw dicts)."""
    if value is None:
        return _w("unknown" if what in ("value", "upper") else "absent", vi)
    if isinstance(value, bool):
        return _w("yes" if value else "no", vi)
    if what == "confidence" and isinstance(value, str):
        return _CONFIDENCE_NAMES.get(value, (value, value))[0 if vi else 1]
    if isinstance(value, dict):
        if {"set", "indicator", "factor"} <= value.keys():
            return f"{value['factor'] * 100:g} % × {value['set']} {value['indicator']}"
        if "act" in value:
            return str(value["act"]) + (f" ({value['date']})" if value.get("date") else "")
        return "; ".join(f"{k}={_value(v, k, vi)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(_value(v, what, vi) for v in value) or _w("absent", vi)
    if isinstance(value, float):
        value = f"{value:g}"
    text = str(value)
    return f"{text} {unit}" if unit and what in ("value", "upper", "threshold added",
                                                 "threshold removed") else text


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_long_words=True) or [indent]


def _region(code: str, vi: bool) -> str:
    region = Region(code)
    return region.name_vi if vi else region.name_en


def _class_names(classes: set[str], vi: bool) -> list[str]:
    return sorted(_CLASS_NAMES[CommuneClass(c)][0 if vi else 1] for c in classes)


def _substitution_sentences(change: Change, vi: bool) -> list[str]:
    old = {s["region"]: set(s["classes"]) for s in change.old}
    new = {s["region"]: set(s["classes"]) for s in change.new}
    out = []
    for region in [*new, *(r for r in old if r not in new)]:
        name = _region(region, vi)
        if region not in old:
            names = _join(_class_names(new[region], vi), vi)
            out.append(_w("sub_new", vi, names=names, region=name) + ".")
        elif region not in new:
            names = _join(_class_names(old[region], vi), vi)
            out.append(_w("sub_dropped", vi, names=names, region=name) + ".")
        else:
            parts = []
            for key, classes in (("sub_now", new[region] - old[region]),
                                 ("sub_gone", old[region] - new[region]),
                                 ("sub_kept", new[region] & old[region])):
                if classes:
                    parts.append(_w(key, vi, names=_join(_class_names(classes, vi), vi)))
            out.append(_w("region_sub", vi, region=name) + ": " + "; ".join(parts) + ".")
    return out


def _sentence(change: Change, vi: bool) -> list[str]:
    if change.what == "region_substitutions":
        return _substitution_sentences(change, vi)
    if change.what == "amended_by":
        olds = {_value(a, "amended_by", vi) for a in change.old or []}
        news = {_value(a, "amended_by", vi) for a in change.new or []}
        out = []
        if news - olds:
            out.append(_w("amend_added", vi, acts=_join(sorted(news - olds), vi)) + ".")
        if olds - news:
            out.append(_w("amend_removed", vi, acts=_join(sorted(olds - news), vi)) + ".")
        return out
    subject = "" if change.where == "set" else _where(change, vi) + " — "
    what = _field(change.what, vi)
    what = what[0].upper() + what[1:] if not subject else what
    return [subject + _w("changed", vi, what=what, old=_value(change.old, change.what, vi),
                         new=_value(change.new, change.what, vi)) + "."]


def _where(change: Change, vi: bool) -> str:
    if change.indicator is not None:
        head = ("chỉ tiêu " if vi else "indicator ") + change.indicator
        return head + (f" [{_context(change.context, vi)}]" if change.context else "")
    if change.where.startswith("criterion "):
        return ("tiêu chí " if vi else "criterion ") + change.where.split(" ", 1)[1]
    if change.where.startswith("region substitution ["):
        code = change.where[len("region substitution ["):-1]
        return ("thay cột " if vi else "substitution ") + _region(code, vi)
    return change.where


def _indicator_head(d: SetDiff, code: str, vi: bool) -> str:
    label = d.label(code)
    if label is None:
        return code
    name = label.name_vi if vi else label.name_en
    return f"{code} {name} ({label.unit})"


def _values(d: SetDiff, vi: bool) -> list[str]:
    changes = d.of_kind("value")
    n = len(changes) + len(d.added) + len(d.removed)
    if not n:
        return [f"{_w('values', vi)}: {_w('none', vi)}"]
    lines = [f"{_w('values', vi)} ({_w('count', vi, n=n)}):"]
    for code in d.added:
        lines += _wrap(f"+ {_indicator_head(d, code, vi)} — {_w('added_ind', vi)}", "  ")
    for code in d.removed:
        lines += _wrap(f"- {_indicator_head(d, code, vi)} — {_w('removed_ind', vi)}", "  ")
    by_indicator: dict[str | None, list[Change]] = defaultdict(list)
    for c in changes:
        by_indicator[c.indicator].append(c)
    for key, group in by_indicator.items():
        label = d.label(key) if key else None
        unit = label.unit if label else ""
        lines += _wrap(_indicator_head(d, key, vi) if key else _w("values", vi), "  ")
        for c in group:
            ctx = _context(c.context, vi) if c.context is not None else ""
            if c.what == "threshold added":
                text = f"{_w('thr_added', vi)}: {_value(c.new, 'value', vi, unit)}"
            elif c.what == "threshold removed":
                text = f"{_w('thr_removed', vi)} ({_value(c.old, 'value', vi, unit)})"
            else:
                text = (f"{_field(c.what, vi)}: {_value(c.old, c.what, vi, unit)} → "
                        f"{_value(c.new, c.what, vi, unit)}")
            lines += _wrap(f"{ctx}: {text}" if ctx else text, "    ")
    return lines


def _structure(d: SetDiff, vi: bool) -> list[str]:
    changes = d.of_kind("structure")
    sentences: list[str] = []
    if d.criteria_added:
        sentences.append(_w("added_crit", vi, codes=", ".join(d.criteria_added)))
    if d.criteria_removed:
        sentences.append(_w("removed_crit", vi, codes=", ".join(d.criteria_removed)))
    for c in changes:
        sentences += _sentence(c, vi)
    if not sentences:
        return [f"{_w('structure', vi)}: {_w('none', vi)}"]
    lines = [f"{_w('structure', vi)} ({_w('count', vi, n=len(sentences))}):"]
    for s in sentences:
        lines += _wrap(f"- {s}", "  ")
    return lines


def _provenance(d: SetDiff, vi: bool, full: bool) -> list[str]:
    changes = d.of_kind("provenance")
    if not changes:
        return [f"{_w('provenance', vi)}: {_w('none', vi)}"]
    head = f"{_w('provenance', vi)} ({_w('count', vi, n=len(changes))}"
    lines = [head + ("):" if full else f"; {_w('see_all', vi)}):")]
    if full:
        for c in changes:
            lines += _wrap(f"- {_where(c, vi)} — {_field(c.what, vi)}: "
                           f"{_value(c.old, c.what, vi)} → {_value(c.new, c.what, vi)}", "  ")
        return lines
    by_field = Counter(c.what for c in changes)
    for what, n in by_field.most_common():
        detail = ""
        if what == "confidence":
            moves = Counter((c.old, c.new) for c in changes if c.what == what)
            detail = ": " + "; ".join(
                f"{_value(o, what, vi)} → {_value(n_, what, vi)} {k}"
                for (o, n_), k in moves.most_common())
        lines += _wrap(f"- {_field(what, vi)}: {n}{detail}", "  ")
    return lines


def render(d: SetDiff, lang: str = "vi", full: bool = False) -> str:
    """*d* as text of at most 100 characters a line, in ``"vi"`` or ``"en"``.

    Value changes come first, indicator by indicator and context by context (old → new); then
    rule and structure changes as sentences; then provenance (confidence, sources, notes),
    counted, or listed in full when *full*.

    >>> from ntmkit import registry
    >>> d = registry.diff(registry.get("commune/ntm@2022-03-08"),
    ...                   registry.get("commune/ntm@2024-03-01"))
    >>> print(render(d, "en").splitlines()[0])
    Changes commune/ntm@2022-03-08 → commune/ntm@2024-03-01
    """
    vi = lang == "vi"
    lines = [_w("title", vi, old=d.old, new=d.new), ""]
    lines += [*_values(d, vi), "", *_structure(d, vi), "", *_provenance(d, vi, full)]
    return "\n".join(lines) + "\n"
