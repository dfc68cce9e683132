"""Render an :class:`~ntmkit.Assessment` as a structured trace or as text for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ntmkit.model.enums import RuleKind, Verdict

if TYPE_CHECKING:
    from ntmkit.model.results import Assessment, IndicatorResult

__all__ = ["explain", "trace"]

_OPS = {
    RuleKind.AT_LEAST: "≥",
    RuleKind.AT_MOST: "≤",
    RuleKind.BETWEEN: "between",
    RuleKind.ACHIEVED: "achieved",
    RuleKind.ONE_OF: "one of",
    RuleKind.SHARE_OF_CHILDREN: "≥",
}


def _threshold_dict(r: IndicatorResult) -> dict[str, Any] | None:
    t = r.threshold
    if t is None:
        return None
    return {
        "value": t.value,
        "upper": t.upper,
        "options": list(t.options) or None,
        "applies": t.applies,
        "condition": t.when.describe(),
        "confidence": t.confidence.value,
        "sources": list(r.source_urls),
        "legal_ref": t.legal_ref.act if t.legal_ref is not None else None,
        "note": t.note or None,
    }


def trace(assessment: Assessment) -> dict[str, Any]:
    """The JSON-compatible trace of *assessment* (format ``ntmkit.trace.v1``)."""
    from ntmkit.model.results import TRACE_FORMAT

    a = assessment
    steps = []
    criteria = []
    for pillar in a.pillars:
        for c in pillar.criteria:
            criteria.append(
                {"criterion": c.code, "pillar": pillar.code, "verdict": c.verdict.value,
                 "indicators_complete": c.indicators_complete, "reason": c.reason,
                 "basis": c.basis,
                 "declared": c.declared.value if c.declared is not None else None,
                 "computed": c.computed.value if c.computed is not None else None,
                 "provisional": c.provisional}
            )
            for r in c.indicators:
                steps.append(
                    {
                        "indicator": r.code,
                        "criterion": r.criterion,
                        "input": r.observed,
                        "value": r.value,
                        "unit": r.unit,
                        "comparison": r.rule.value,
                        "threshold": _threshold_dict(r),
                        "verdict": r.verdict.value,
                        "gap": r.gap,
                        "reason": r.reason,
                        "provisional": r.provisional,
                    }
                )
    return {
        "format": TRACE_FORMAT,
        "unit": {"kind": type(a.unit).__name__.lower(), "code": a.unit.code,
                 "name": a.unit.name, "edition": a.unit.edition,
                 "province": getattr(a.unit, "province", None)},
        "criteria_set": {"id": a.set_id, "version": a.set_version, "fingerprint": a.fingerprint,
                         "legal_basis": a.legal_basis.act if a.legal_basis else None,
                         "checked_on": a.checked_on.isoformat() if a.checked_on else None},
        "context": {
            "year": a.year,
            "on": a.on.isoformat() if a.on else None,
            "region": a.region.value if a.region else None,
            "region_column": a.region_column.value if a.region_column else None,
            "substitution": (
                {"classes": sorted(c.value for c in a.substitution.classes),
                 "confidence": a.substitution.confidence.value}
                if a.substitution is not None else None
            ),
        },
        "thresholds": a.thresholds,
        "resolution": a.resolution or None,
        "verdict": a.verdict.value,
        "provisional": a.provisional,
        "tier": a.tier.value if a.tier else None,
        "met": a.met,
        "total": a.total,
        "complete": a.complete,
        "criteria": criteria,
        "steps": steps,
        "prerequisites": [trace(p) for p in a.prerequisites],
        "notes": list(a.notes),
    }


_TEXT = {
    "vi": {
        "head": "{name} ({code}) — {set_id}@{version}",
        "context": "Năm {year}; vùng {region}; cột ngưỡng áp dụng: {column}",
        "subst": "Áp dụng mức của vùng {column} vì xã thuộc diện: {classes} (độ tin cậy: {conf})",
        "score": "Kết quả: {verdict} — đạt {met}/{total} tiêu chí",
        "tier": "Hạng đạt được: {tier}",
        "undecided": "Chưa thể kết luận: {reasons}",
        "incomplete": "Lưu ý: bộ dữ liệu chưa có đủ mọi tiêu chí/chỉ tiêu, "
                      "nên không thể kết luận Đạt.",
        "criterion": "Tiêu chí {code}. {name}: {verdict}",
        "missing": "chưa có số liệu",
        "nothreshold": "chưa biết ngưỡng",
        "gap": "cách ngưỡng {gap:g} {unit}",
        "prereq": "Điều kiện tiên quyết:",
        "partial": "bộ dữ liệu chưa có đủ các chỉ tiêu của tiêu chí này",
        "none": "bộ dữ liệu chưa có các chỉ tiêu của tiêu chí này",
        "fingerprint": "Phiên bản bộ tiêu chí: {fp}",
        "provisional": "tạm tính",
        "candidate": "tạm tính theo giá trị ứng viên {c}",
        "declared": "khai báo",
        "conflict": "mâu thuẫn: khai báo {d}, số liệu cho {c}",
        "policy": "Ngưỡng tạm tính: kết luận dựa trên giá trị ứng viên chưa được xác nhận "
                  "được đánh dấu (tạm tính).",
        "resolution": "Bộ tiêu chí: {r}",
    },
    "en": {
        "head": "{name} ({code}) — {set_id}@{version}",
        "context": "Year {year}; region {region}; threshold column used: {column}",
        "subst": "Uses the {column} column because the commune is classed as: {classes} "
                 "(confidence: {conf})",
        "score": "Result: {verdict} — {met}/{total} criteria met",
        "tier": "Tier reached: {tier}",
        "undecided": "Cannot be decided: {reasons}",
        "incomplete": "Note: the registry does not hold every criterion/indicator of this set, "
                      "so it cannot be met as a whole.",
        "criterion": "Criterion {code}. {name}: {verdict}",
        "missing": "no data",
        "nothreshold": "threshold unknown",
        "gap": "off by {gap:g} {unit}",
        "prereq": "Prerequisites:",
        "partial": "the registry does not hold every indicator of this criterion",
        "none": "the indicators of this criterion are not in the registry",
        "fingerprint": "Criteria set fingerprint: {fp}",
        "provisional": "provisional",
        "candidate": "provisional, candidate value {c}",
        "declared": "declared",
        "conflict": "conflict: declared {d}, the values give {c}",
        "policy": "Provisional thresholds: verdicts that rest on an unconfirmed candidate value "
                  "are marked (provisional).",
        "resolution": "Criteria set: {r}",
    },
}


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def explain(assessment: Assessment, lang: str = "vi") -> str:
    """Render *assessment* as text in Vietnamese (``"vi"``) or English (``"en"``)."""
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    t = _TEXT[lang]
    a = assessment
    vi = lang == "vi"

    def label(v: Verdict, provisional: bool = False) -> str:
        text = v.label_vi if vi else v.label_en
        return f"{text} ({t['provisional']})" if provisional else text

    def region_name(r: Any) -> str:
        return "—" if r is None else str(r.name_vi if vi else r.name_en)

    lines = [
        t["head"].format(name=a.unit.name, code=a.unit.code, set_id=a.set_id,
                         version=a.set_version),
        t["context"].format(year=a.year if a.year is not None else "—",
                            region=region_name(a.region), column=region_name(a.region_column)),
    ]
    if a.substitution is not None:
        lines.append(t["subst"].format(
            column=region_name(a.region_column),
            classes=", ".join(sorted(c.value for c in a.substitution.classes
                                     & getattr(a.unit, "classes", frozenset()))),
            conf=a.substitution.confidence.value))
    if a.resolution:
        lines.append(t["resolution"].format(r=a.resolution))
    if a.thresholds == "provisional":
        lines.append(t["policy"])
    lines.append(t["score"].format(verdict=label(a.verdict, a.provisional), met=a.met,
                                   total=a.total))
    if a.tier is not None:
        lines.append(t["tier"].format(tier=a.tier.label_vi if vi else a.tier.label_en))
    if not a.complete:
        lines.append(t["incomplete"])
    undecided = a.undecided_by()
    if undecided:
        shown = "; ".join(undecided[:8]) + (f"; … (+{len(undecided) - 8})"
                                             if len(undecided) > 8 else "")
        lines.append(t["undecided"].format(reasons=shown))
    for p in a.prerequisites:
        lines.append(t["prereq"] + f" {p.set_id}@{p.set_version}: "
                     f"{label(p.verdict, p.provisional)} ({p.score})")
    lines.append("")
    for pillar in a.pillars:
        lines.append(f"[{pillar.name_vi if vi else pillar.name_en}] {label(pillar.verdict)}")
        for c in pillar.criteria:
            line = "  " + t["criterion"].format(
                code=c.code, name=c.name_vi if vi else c.name_en,
                verdict=label(c.verdict, c.provisional))
            if c.basis == "declared":
                line += f" ({t['declared']})"
            elif c.basis == "conflict" and c.declared is not None and c.computed is not None:
                line += " (" + t["conflict"].format(d=label(c.declared), c=label(c.computed)) + ")"
            lines.append(line)
            for r in c.indicators:
                lines.append("    " + _indicator_line(r, t, vi))
            if not c.indicators_complete:
                lines.append("    … " + (t["partial"] if c.indicators else t["none"]))
    for note in a.notes:
        lines.append(f"! {note}")
    lines.append(t["fingerprint"].format(fp=a.fingerprint))
    return "\n".join(lines)


def _indicator_line(r: IndicatorResult, t: dict[str, str], vi: bool) -> str:
    name = r.name_vi if vi else r.name_en
    verdict = r.verdict.label_vi if vi else r.verdict.label_en
    if r.value is None:
        observed = t["missing"]
    elif r.rule is RuleKind.SHARE_OF_CHILDREN and r.observed:
        observed = f"{r.observed} = {_fmt(r.value)} %"
    else:
        observed = _fmt(r.value) + (f" {r.unit}" if r.rule is not RuleKind.ACHIEVED else "")
    th = r.threshold
    if th is not None and th.relative_to is not None and th.value is None:
        ref = th.relative_to
        required = (f"{_OPS[r.rule]} {ref.factor * 100:g} % × {ref.set} {ref.indicator} "
                    f"({t['nothreshold']})")
    elif th is None or not (th.confidence.has_value or r.provisional):
        required = t["nothreshold"]
    elif r.rule is RuleKind.ACHIEVED:
        required = "Đạt" if vi else "achieved"
    elif r.rule is RuleKind.BETWEEN:
        required = f"{_fmt(th.value)}–{_fmt(th.upper)} {r.unit}"
    elif r.rule is RuleKind.ONE_OF:
        required = " | ".join(th.options)
    else:
        required = f"{_OPS[r.rule]} {_fmt(th.value)} {r.unit}"
    line = f"{r.code} {name}: {observed} / {required} → {verdict}"
    if r.provisional and th is not None:
        line += f" [{t['candidate'].format(c=th.candidate or _fmt(th.value))}]"
    elif th is not None and th.confidence.has_value:
        line += f" [{th.confidence.value}]"
    if r.gap is not None:
        line += "; " + t["gap"].format(gap=r.gap, unit=r.unit)
    return line
