"""Render a :class:`PointsAssessment` as a trace (``ntmkit.points.v1``) or as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def explain(a: PointsAssessment, lang: str = "vi") -> str:
    """Render *a* as text in Vietnamese (``"vi"``) or English (``"en"``)."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    vi = lang == "vi"
    lines = [f"{a.unit.name} ({getattr(a.unit, 'code', None) or '—'}) — {a.key}"]
    share = "" if a.share is None else f" ({a.share:.1%})"
    total = _num(a.total) if a.total is not None else (
        ("chưa rõ; đã biết " if vi else "unknown; known so far ") + _num(a.total_known))
    lines.append(("Tổng điểm: " if vi else "Total: ") + f"{total} / {_num(a.maximum)}{share}")
    if a.band is not None:
        label = a.band_label_vi if vi else a.band_label_en
        lines.append(("Hạng: " if vi else "Band: ") + f"{label} ({a.band_reason})")
    else:
        lines.append(("Hạng: chưa xác định" if vi else "Band: undecided") + f" ({a.band_reason})")
    for c in a.components:
        mark = "" if c.scored else (" [không tính điểm]" if vi else " [not scored]")
        lines.append(f"  {c.code} {c.name_vi if vi else c.name_en}: {_num(c.points)} / "
                     f"{_num(c.max_points)}{mark}" + (f" — {c.reason}" if c.reason else ""))
        for s in c.sub_indicators:
            lines.append(f"    {s.code}: {_num(s.points)} / {_num(s.max_points)} "
                         f"[{s.rule}] {s.observed or ''} {s.reason}".rstrip())
    for text in (*a.inconsistencies, *a.notes):
        lines.append(f"! {text}")
    lines.append(("Phiên bản: " if vi else "Fingerprint: ") + a.fingerprint)
    return "\n".join(lines)
