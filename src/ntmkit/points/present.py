"""Points results for people and files: reading a table of units, a ranking table, CSV.

Used by ``ntmkit assess`` and ``ntmkit report`` when ``--set`` names a points set.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ntmkit import i18n
from ntmkit.errors import ObservationFileError
from ntmkit.i18n import Lang
from ntmkit.points.model import PointsSet
from ntmkit.points.results import PointsAssessment
from ntmkit.points.scoring import rank_table

__all__ = ["points_csv", "points_set_text", "points_table", "read_rows"]


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV file (header row) or a JSON file (a list of objects).

    Raises :class:`~ntmkit.errors.ObservationFileError` naming the file when it cannot be
    read or has the wrong shape.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ObservationFileError(f"{path}: cannot read: {exc}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ObservationFileError(f"{path}: not valid JSON: {exc}") from None
        rows = data.get("units") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ObservationFileError(f"{path}: expected a list of objects (one per unit), or "
                                       '{"units": [...]}')
        return rows
    if path.suffix.lower() != ".csv":
        raise ObservationFileError(f"{path}: expected a .csv or .json file")
    return list(csv.DictReader(io.StringIO(text)))


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{round(value, digits):g}"


def points_table(ps: PointsSet, results: Sequence[PointsAssessment], lang: Lang = "vi") -> str:
    """A ranking table, best total first.

    Columns: rank, unit, total (and share of the maximum), band, and each component's points
    with its rank in brackets.
    """
    vi = i18n.check_lang(lang) == "vi"
    rows = rank_table(results)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["rank"] is None,
                                                    rows[i]["rank"] or 0, i))
    codes = [c.code for c in ps.components]
    head = ["#", *(i18n.text(f"points.{k}", lang) for k in ("code", "name", "total", "band")),
            *codes]
    table = [head]
    for i in order:
        r, a = rows[i], results[i]
        share = f" ({a.share:.1%})" if a.share is not None else ""
        total = _num(a.total) if a.total is not None else f"≥ {_num(a.total_known)}?"
        band = (a.band_label_vi if vi else a.band_label_en) if a.band else (
            f"({a.band_by_points}?)" if a.band_by_points else "—")
        cells = [f"{_num(r[f'p:{c}'])} ({r[f'rank:{c}'] or '—'})" for c in codes]
        table.append([str(r["rank"] or "—"), str(r["code"] or ""), str(r["name"]),
                      total + share, band, *cells])
    widths = [max(len(row[k]) for row in table) for k in range(len(head))]
    lines = []
    for n, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    maxima = ", ".join(f"{c.code} {_num(c.max_points)}" + ("" if c.scored else "*")
                       for c in ps.components)
    title = (f"{ps.key} ({ps.legal_basis.act}) — {ps.title_vi if vi else ps.title_en}\n"
             + i18n.text("points.fingerprint", lang, fingerprint=ps.fingerprint) + "\n"
             + i18n.text("points.maxima", lang) + f": {_num(ps.maximum)}; {maxima}\n")
    notes = [i18n.text("points.table_note", lang)]
    notes += [f"! {text}" for text in ps.inconsistencies]
    return title + "\n" + "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


def points_csv(ps: PointsSet, results: Sequence[PointsAssessment]) -> str:
    """One row per unit: identity, set, fingerprint, total, share, band, ranks, points."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    codes = [c.code for c in ps.components]
    writer.writerow(["code", "name", "set", "fingerprint", "total", "total_known", "share",
                     "band", "band_known", "rank", *(f"p:{c}" for c in codes),
                     *(f"rank:{c}" for c in codes)])
    for r, a in zip(rank_table(results), results, strict=True):
        writer.writerow([r["code"], r["name"], ps.key, ps.fingerprint,
                         "" if a.total is None else a.total, a.total_known,
                         "" if a.share is None else a.share, a.band or "", a.band_known,
                         r["rank"] or "", *("" if r[f"p:{c}"] is None else r[f"p:{c}"]
                                            for c in codes),
                         *(r[f"rank:{c}"] or "" for c in codes)])
    return buffer.getvalue()


def points_set_text(ps: PointsSet, lang: Lang = "vi") -> str:
    """A points set for people: components, sub-indicators and rules, bands, with sources.

    In Vietnamese (the default) or English; confidence levels by their names in *lang*.
    """
    vi = i18n.check_lang(lang) == "vi"

    def conf(level: object) -> str:
        return i18n.confidence_name(level, lang)

    lines = [f"{ps.key} — {ps.title_vi if vi else ps.title_en}",
             i18n.text("points.set_head", lang, act=ps.legal_basis.act, effective=ps.effective,
                       checked=ps.checked_on, fingerprint=ps.fingerprint)]
    if ps.total_points is not None:
        lines.append(i18n.text("points.set_total", lang, total=_num(ps.total_points.value),
                               confidence=conf(ps.total_points.confidence)))
    lines.append("")
    for c in ps.components:
        scored = "" if c.scored else i18n.text("points.not_scored", lang)
        lines.append("  " + i18n.text("points.component", lang, code=c.code,
                                      name=c.name_vi if vi else c.name_en,
                                      max=_num(c.max_points), confidence=conf(c.confidence),
                                      scored=scored))
        for s in c.sub_indicators:
            kind = s.rule.kind.value if s.rule is not None else "points"
            lines.append("    " + i18n.text("points.sub", lang, code=s.code,
                                            name=s.name_vi if vi else s.name_en,
                                            max=_num(s.max_points),
                                            rule=i18n.text(f"points.rule.{kind}", lang),
                                            confidence=conf(s.confidence)))
    for b in ps.bands:
        gates = (i18n.text("points.gates", lang, codes=", ".join(b.gates)) if b.gates else
                 i18n.text("points.gates_unknown", lang) if not b.gates_known else "")
        lines.append("  " + i18n.text("points.set_band", lang,
                                      band=b.label_vi if vi else b.label_en,
                                      min=_num(b.min_points), confidence=conf(b.confidence),
                                      gates=gates))
    lines += [f"! {text}" for text in ps.inconsistencies]
    return "\n".join(lines) + "\n"
