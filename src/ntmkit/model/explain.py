"""Render an :class:`~ntmkit.Assessment` as a structured trace or as text for people."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ntmkit import i18n
from ntmkit.i18n import Lang, reasons
from ntmkit.model.enums import Region, RuleKind, Verdict

if TYPE_CHECKING:
    from ntmkit.model.results import Assessment, IndicatorResult

__all__ = ["explain", "trace", "undecided"]


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


def _fmt(value: object, lang: Lang) -> str:
    if isinstance(value, bool):
        return i18n.text("common.yes" if value else "common.no", lang)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _share(observed: str, lang: Lang) -> str:
    """A count of child units as :class:`~ntmkit.Share` writes it (``"3/10 +1 unknown"``)."""
    found = _SHARE.match(observed)
    if found is None:
        return observed
    met, total, unknown, basis = found.groups()
    out = (i18n.text("explain.share_unknown", lang, met=met, total=total, unknown=unknown)
           if unknown else i18n.text("explain.share", lang, met=met, total=total))
    if basis in ("recognised", "computed", "declared"):
        out += f" ({i18n.text(f'explain.basis.{basis}', lang)})"
    return out


_SHARE = re.compile(r"^(\d+)/(\d+)(?: \+(\d+) unknown)?(?: \((\w+)\))?$")


def undecided(assessment: Assessment, lang: Lang = "vi") -> list[str]:
    """:meth:`Assessment.undecided_by <ntmkit.Assessment.undecided_by>` said in *lang*.

    The same reasons, in the same order, each from the catalogue (section ``reasons``) with
    the names of confidence levels and verdicts in *lang*.
    """
    a = assessment
    if a.verdict is not Verdict.UNKNOWN:
        return []
    out = []
    for r in a.indicators.values():
        if r.verdict is Verdict.UNKNOWN:
            out.append(f"{r.code} ({reasons.translate(r.reason, lang)})")
    for c in a.criteria.values():
        if c.basis == "conflict":
            out.append(i18n.text("reasons.criterion", lang, code=c.code,
                                 reason=reasons.translate(c.reason, lang)))
        elif c.verdict is Verdict.UNKNOWN and not c.indicators_complete:
            out.append(i18n.text("reasons.criterion_missing", lang, code=c.code))
    if not a.complete:
        out.append(i18n.text("reasons.set_incomplete", lang, key=f"{a.set_id}@{a.set_version}"))
    for p in a.prerequisites:
        out.extend(f"{p.set_id}: {reason}" for reason in undecided(p, lang))
    return out


def explain(assessment: Assessment, lang: Lang = "vi") -> str:
    """Render *assessment* as text in Vietnamese (``"vi"``, the default) or English (``"en"``).

    Every word comes from the message catalogue (:mod:`ntmkit.i18n`, section ``explain``):
    verdicts, regions, confidence levels, commune classes and units in *lang*, and the
    reasons and notes of scoring translated (section ``reasons``).  Codes (set keys,
    indicator codes, legal acts) are shown as they are.
    """
    lang = i18n.check_lang(lang)
    a = assessment
    vi = lang == "vi"

    def t(name: str, /, **fields: object) -> str:
        return i18n.text(f"explain.{name}", lang, **fields)

    def label(v: Verdict, provisional: bool = False) -> str:
        name = i18n.verdict_name(v, lang)
        return f"{name} ({i18n.text('common.provisional', lang)})" if provisional else name

    def region_name(r: Region | None) -> str:
        return "—" if r is None else i18n.region_name(r, lang)

    lines = [
        t("head", name=a.unit.name, code=a.unit.code, key=f"{a.set_id}@{a.set_version}"),
        t("context", year=a.year if a.year is not None else "—",
          region=region_name(a.region), column=region_name(a.region_column)),
    ]
    if a.substitution is not None:
        classes = a.substitution.classes & getattr(a.unit, "classes", frozenset())
        lines.append(t("subst", column=region_name(a.region_column),
                       classes=", ".join(sorted(i18n.class_name(c, lang) for c in classes)),
                       conf=i18n.confidence_name(a.substitution.confidence, lang)))
    if a.resolution:
        lines.append(t("resolution", resolution=a.resolution))
    if a.thresholds == "provisional":
        lines.append(t("policy"))
    lines.append(t("score", verdict=label(a.verdict, a.provisional), met=a.met, total=a.total))
    if a.tier is not None:
        lines.append(t("tier", tier=i18n.text(f"common.tier.{a.tier.value}", lang)))
    if not a.complete:
        lines.append(t("incomplete"))
    reasons_ = undecided(a, lang)
    if reasons_:
        shown = "; ".join(reasons_[:8])
        if len(reasons_) > 8:
            shown += "; " + t("more", count=len(reasons_) - 8)
        lines.append(t("undecided", reasons=shown))
    for p in a.prerequisites:
        lines.append(t("prereq", key=f"{p.set_id}@{p.set_version}",
                       verdict=label(p.verdict, p.provisional), score=p.score))
    lines.append("")
    for pillar in a.pillars:
        lines.append(f"[{pillar.name_vi if vi else pillar.name_en}] {label(pillar.verdict)}")
        for c in pillar.criteria:
            line = "  " + t("criterion", code=c.code, name=c.name_vi if vi else c.name_en,
                            verdict=label(c.verdict, c.provisional))
            if c.basis == "declared":
                line += f" ({t('declared')})"
            elif c.basis == "conflict" and c.declared is not None and c.computed is not None:
                line += " (" + t("conflict", declared=label(c.declared),
                                 computed=label(c.computed)) + ")"
            lines.append(line)
            for r in c.indicators:
                lines.append("    " + _indicator_line(r, lang))
            if not c.indicators_complete:
                lines.append("    … " + i18n.text(
                    "reasons.partial" if c.indicators else "reasons.none", lang))
    for note in a.notes:
        lines.append("! " + t("note", note=reasons.translate(note, lang)))
    lines.append(t("fingerprint", fingerprint=a.fingerprint))
    return "\n".join(lines)


def _indicator_line(r: IndicatorResult, lang: Lang) -> str:
    vi = lang == "vi"
    name = r.name_vi if vi else r.name_en
    verdict = i18n.verdict_name(r.verdict, lang)
    unit = i18n.unit_name(r.unit, lang)
    if r.value is None:
        observed = i18n.text("common.no_data", lang)
    elif r.rule is RuleKind.SHARE_OF_CHILDREN and r.observed:
        observed = f"{_share(r.observed, lang)} = {_fmt(r.value, lang)} %"
    else:
        observed = _fmt(r.value, lang) + (f" {unit}" if r.rule is not RuleKind.ACHIEVED else "")
    th = r.threshold
    unknown = i18n.text("common.threshold_unknown", lang)
    if th is not None and th.relative_to is not None and th.value is None:
        ref = th.relative_to
        required = i18n.text("explain.relative", lang, rule=i18n.rule_symbol(r.rule, lang),
                             percent=f"{ref.factor * 100:g}", set=ref.set,
                             indicator=ref.indicator) + f" ({unknown})"
    elif th is not None and not th.applies:
        required = i18n.verdict_name(Verdict.NOT_APPLICABLE, lang)
    elif th is None or not (th.confidence.has_value or r.provisional):
        required = unknown
    elif r.rule is RuleKind.ACHIEVED:
        required = i18n.verdict_name(Verdict.MET, lang)
    elif r.rule is RuleKind.BETWEEN:
        required = f"{_fmt(th.value, lang)}–{_fmt(th.upper, lang)} {unit}"
    elif r.rule is RuleKind.ONE_OF:
        required = " | ".join(th.options)
    else:
        required = f"{i18n.rule_symbol(r.rule, lang)} {_fmt(th.value, lang)} {unit}"
    line = f"{r.code} {name}: {observed} / {required} → {verdict}"
    if r.provisional and th is not None:
        candidate = th.candidate or _fmt(th.value, lang)
        line += f" [{i18n.text('explain.candidate', lang, candidate=candidate)}]"
    elif th is not None and th.confidence.has_value:
        line += f" [{i18n.confidence_name(th.confidence, lang)}]"
    if r.gap is not None:
        line += "; " + i18n.text("explain.gap", lang, gap=f"{r.gap:g}", unit=unit)
    return line
