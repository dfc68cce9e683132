"""Render a :class:`PointsAssessment` as a trace (``ntmkit.points.v1``) or as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ntmkit import i18n
from ntmkit.i18n import Lang, reasons

if TYPE_CHECKING:
    from ntmkit.points.results import PointsAssessment

__all__ = ["explain", "trace"]


def trace(a: PointsAssessment) -> dict[str, Any]:
    """The JSON-compatible trace of *a* (format ``ntmkit.points.v1``).

    Like ``ntmkit.trace.v1`` it names the unit and the set (id, version, fingerprint, legal
    basis); in place of verdicts it holds each component's points and how they were obtained
    (``basis``: given, sub_indicators, merged or missing), each sub-indicator's rule, input
    and points, the total, the share of the maximum, and the band with the rule and the
    gates that placed it.
    """
    from ntmkit.points.results import POINTS_TRACE_FORMAT

    unit = a.unit
    return {
        "format": POINTS_TRACE_FORMAT,
        "unit": {"kind": type(unit).__name__.lower(), "code": getattr(unit, "code", None),
                 "name": unit.name, "edition": getattr(unit, "edition", None)},
        "points_set": {"id": a.set_id, "version": a.set_version, "fingerprint": a.fingerprint,
                       "legal_basis": a.legal_basis},
        "assessors": a.assessors,
        "components": [
            {"component": c.code, "group": c.group or None, "points": c.points,
             "max_points": c.max_points, "max_confidence": c.max_confidence or None,
             "max_sources": list(c.max_sources), "scored": c.scored, "weight": c.weight,
             "basis": c.basis, "reason": c.reason,
             "sub_indicators": [
                 {"sub_indicator": s.code, "rule": s.rule, "input": s.observed,
                  "points": s.points, "max_points": s.max_points, "reason": s.reason}
                 for s in c.sub_indicators]}
            for c in a.components],
        "total": a.total,
        "total_known": a.total_known,
        "maximum": a.maximum,
        "share": a.share,
        "band": {"code": a.band, "stars": a.stars, "by_points": a.band_by_points,
                 "known": a.band_known, "reason": a.band_reason,
                 "gates_failed": list(a.gates_failed), "edge_rule": a.edge_rule,
                 "read_at": a.banded_total},
        "inconsistencies": list(a.inconsistencies),
        "notes": list(a.notes),
    }


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def band_names(a: PointsAssessment, lang: Lang) -> dict[str, str]:
    """The labels of the bands of *a*'s points set, English label → label in *lang*."""
    if lang == "en":
        return {}
    from ntmkit.errors import NtmkitError
    from ntmkit.points import get

    try:
        ps = get(a.set_id, version=a.set_version)
    except NtmkitError:
        return {a.band_label_en: a.band_label_vi} if a.band else {}
    return {b.label_en: b.label_vi for b in ps.bands}


def explain(a: PointsAssessment, lang: Lang = "vi") -> str:
    """Render *a* as text in Vietnamese (``"vi"``, the default) or English (``"en"``).

    Every word comes from the message catalogue (:mod:`ntmkit.i18n`, sections ``explain``
    and ``points``); the reasons of points scoring are said in *lang*.
    """
    lang = i18n.check_lang(lang)
    vi = lang == "vi"
    names = band_names(a, lang)

    def why(reason: str) -> str:
        return reasons.translate(reason, lang, names)

    lines = [i18n.text("explain.head", lang, name=a.unit.name,
                       code=getattr(a.unit, "code", None) or "—", key=a.key)]
    share = "" if a.share is None else f" ({a.share:.1%})"
    total = _num(a.total) if a.total is not None else i18n.text(
        "explain.points.total_unknown", lang, known=_num(a.total_known))
    lines.append(i18n.text("explain.points.total", lang, total=total, maximum=_num(a.maximum),
                           share=share))
    if a.band is not None:
        label = a.band_label_vi if vi else a.band_label_en
        lines.append(i18n.text("explain.points.band", lang, band=label,
                               reason=why(a.band_reason)))
    else:
        lines.append(i18n.text("explain.points.band_undecided", lang,
                               reason=why(a.band_reason)))
    for c in a.components:
        mark = "" if c.scored else f" [{i18n.text('explain.points.not_scored', lang)}]"
        lines.append(f"  {c.code} {c.name_vi if vi else c.name_en}: {_num(c.points)} / "
                     f"{_num(c.max_points)}{mark}" + (f" — {why(c.reason)}" if c.reason else ""))
        for s in c.sub_indicators:
            rule = _rule(s.rule, lang)
            observed = (i18n.text("common.yes" if s.observed == "True" else "common.no", lang)
                        if s.observed in ("True", "False") else s.observed or "")
            lines.append(f"    {s.code}: {_num(s.points)} / {_num(s.max_points)} "
                         f"[{rule}] {observed} {why(s.reason)}".rstrip())
    for text in (*a.inconsistencies, *a.notes):
        lines.append("! " + i18n.text("explain.note", lang, note=why(text)))
    lines.append(i18n.text("explain.points.fingerprint", lang, fingerprint=a.fingerprint))
    return "\n".join(lines)


def _rule(kind: str, lang: Lang) -> str:
    try:
        return i18n.text(f"points.rule.{kind}", lang)
    except KeyError:
        return kind
