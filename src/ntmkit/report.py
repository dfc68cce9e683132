"""HTML rendering: notebook displays and a self-contained assessment report.

Everything is plain HTML with inline CSS and inline SVG charts: a report opens in any
browser without a network connection, and nothing beyond the standard library is needed to
write it.  Text is escaped; labels are Vietnamese by default, English with ``lang="en"``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ntmkit._version import __version__
from ntmkit.model.enums import Region, RuleKind, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ntmkit.model.criteria import CriteriaSet
    from ntmkit.model.results import Assessment, CriterionResult, IndicatorResult
    from ntmkit.points import PointsAssessment, PointsSet
    from ntmkit.standing import Progress
    from ntmkit.trajectory import Trajectory

__all__ = ["PROFILE_LIMIT", "assessment_html", "criteria_set_html", "points_report_html",
           "progress_html", "progress_words", "report_frame_html", "report_html",
           "trajectory_svg"]

_COLOURS = {Verdict.MET: "#2e7d32", Verdict.NOT_MET: "#c62828", Verdict.UNKNOWN: "#9e9e9e",
            Verdict.NOT_APPLICABLE: "#bdbdbd"}
_STYLE = """
<style>
.ntmkit{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;
color:#1f2328;max-width:1100px}
.ntmkit table{border-collapse:collapse;margin:.4em 0 1em}
.ntmkit th,.ntmkit td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
.ntmkit th{background:#f6f8fa}
.ntmkit .v{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.ntmkit .muted{color:#57606a;font-size:12px}
.ntmkit code{font-size:12px}
.ntmkit h1{font-size:22px}.ntmkit h2{font-size:18px;margin-top:1.4em}
.ntmkit .warn{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:4px}
</style>
"""
_T = {
    "vi": {"verdict": "Kết luận", "criteria_met": "Tiêu chí đạt", "indicator": "Chỉ tiêu",
           "value": "Giá trị", "threshold": "Ngưỡng", "confidence": "Độ tin cậy",
           "criterion": "Tiêu chí", "commune": "Xã", "column": "Cột ngưỡng",
           "not_met": "Tiêu chí chưa đạt", "unknown_n": "Số tiêu chí chưa rõ",
           "title": "Báo cáo đánh giá nông thôn mới", "summary": "Tổng hợp",
           "pass": "Tỷ lệ xã đạt theo tiêu chí", "profiles": "Từng xã",
           "dist": "Phân bố chỉ tiêu so với ngưỡng", "version": "Bộ tiêu chí",
           "fingerprint": "Dấu vân tay", "generated": "Tạo lúc",
           "unknown_note": "Nhiều ngưỡng của bộ tiêu chí chưa được công bố trong các nguồn "
                           "đã tra cứu: các chỉ tiêu đó được ghi là Chưa rõ, không bao giờ "
                           "tính là Đạt.",
           "communes": "Số xã", "tier": "Hạng", "unit": "Đơn vị", "legal": "Căn cứ",
           "units": "xã", "gap": "Khoảng cách", "by_region": "ngưỡng theo vùng",
           "targets": "Tiến độ so với mục tiêu", "target": "Mục tiêu", "current": "Hiện có",
           "required": "Cần đạt", "more": "Còn thiếu", "closest": "Xã gần đạt nhất",
           "basis": "Cơ sở; mẫu số", "outcome": "Kết quả",
           "trajectory": "Diễn biến qua các năm",
           "trajectory_note": "Số tiêu chí đạt mỗi năm; chấm màu: hạng đạt được năm đó "
                              "(xám: chưa đạt hạng nào)."},
    "en": {"verdict": "Verdict", "criteria_met": "Criteria met", "indicator": "Indicator",
           "value": "Value", "threshold": "Threshold", "confidence": "Confidence",
           "criterion": "Criterion", "commune": "Commune", "column": "Threshold column",
           "not_met": "Criteria not met", "unknown_n": "Criteria unknown",
           "title": "New Rural Development assessment report", "summary": "Summary",
           "pass": "Share of communes meeting each criterion", "profiles": "Communes",
           "dist": "Indicator values against thresholds", "version": "Criteria set",
           "fingerprint": "Fingerprint", "generated": "Generated",
           "unknown_note": "Many thresholds of this set are not in the published sources "
                           "searched: those indicators are UNKNOWN, never counted as met.",
           "communes": "Communes", "tier": "Tier", "unit": "Unit", "legal": "Legal basis",
           "units": "communes", "gap": "Gap", "by_region": "thresholds by region",
           "targets": "Toward the targets", "target": "Target", "current": "Current",
           "required": "Required", "more": "More needed", "closest": "Closest communes",
           "basis": "Basis; denominator", "outcome": "Outcome",
           "trajectory": "Trajectory over the years",
           "trajectory_note": "Criteria met each year; dot colour: the tier reached that "
                              "year (grey: none)."},
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(verdict: Verdict, lang: str, provisional: bool = False, basis: str = "computed") -> str:
    label = verdict.label_vi if lang == "vi" else verdict.label_en
    vi = lang == "vi"
    if provisional:
        label += " (tạm tính)" if vi else " (provisional)"
    if basis == "declared":
        label += " · khai báo" if vi else " · declared"
    elif basis == "conflict":
        label += " · mâu thuẫn" if vi else " · conflict"
    dashed = ";border:1px dashed #333" if provisional else ""
    return f'<span class="v" style="background:{_COLOURS[verdict]}{dashed}">{_e(label)}</span>'


def _region(region: Region | None, lang: str) -> str:
    if region is None:
        return "—"
    return region.name_vi if lang == "vi" else region.name_en


def _lang(lang: str) -> dict[str, str]:
    if lang not in _T:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    return _T[lang]


def _threshold_text(result: IndicatorResult, lang: str) -> str:
    t = result.threshold
    return "?" if t is None else t.requirement(result.rule, lang)


def _value_text(r: IndicatorResult, lang: str) -> str:
    """The observed value as a cell shows it; values by sex show both halves."""
    if r.observed is not None and r.observed.startswith("men "):
        men, women = (part.split(" ", 1)[1] for part in r.observed.split("; ", 1))
        missing = {"missing": "thiếu" if lang == "vi" else "missing"}
        men, women = missing.get(men, men), missing.get(women, women)
        both = f"nam {men}; nữ {women}" if lang == "vi" else f"men {men}; women {women}"
        return both if r.value is None else f"{r.value:g} ({both})"
    if r.value is None:
        return "—"
    if isinstance(r.value, bool):
        return "Đạt" if r.value else "Chưa đạt"
    return f"{r.value:g}" if isinstance(r.value, float) else str(r.value)


def _code(c: CriterionResult) -> str:
    """A criterion code marked * when provisional, d when declared, ! on a conflict."""
    return c.code + ("*" if c.provisional else "") + {"declared": "d", "conflict": "!"}.get(
        c.basis, "")


def assessment_html(a: Assessment, lang: str = "vi") -> str:
    """A compact HTML table of one assessment (used by ``Assessment._repr_html_``)."""
    t = _lang(lang)
    rows = []
    for c in a.criteria.values():
        name = c.name_vi if lang == "vi" else c.name_en
        rows.append(f"<tr><td><b>{_e(c.code)}</b></td><td colspan=4><b>{_e(name)}</b></td>"
                    f"<td>{_badge(c.verdict, lang, c.provisional, c.basis)}</td></tr>")
        for r in c.indicators:
            value = _value_text(r, lang)
            conf = r.threshold.confidence.value if r.threshold is not None else ""
            rows.append(
                f"<tr><td class=muted>{_e(r.code)}</td>"
                f"<td>{_e(r.name_vi if lang == 'vi' else r.name_en)}</td>"
                f"<td>{_e(value)}</td><td>{_e(_threshold_text(r, lang))} "
                f"<span class=muted>{_e(r.unit if r.rule is not RuleKind.ACHIEVED else '')}"
                f"</span></td><td class=muted>{_e(conf)}</td>"
                f"<td>{_badge(r.verdict, lang, r.provisional)}</td>"
                "</tr>")
    head = (f"<p><b>{_e(a.unit.name)}</b> ({_e(a.unit.code)}) — <code>{_e(a.set_id)}@"
            f"{_e(a.set_version)}</code> · {_e(t['verdict'])}: "
            f"{_badge(a.verdict, lang, a.provisional)} · "
            f"{_e(t['criteria_met'])}: {a.met}/{a.total} · {_e(t['column'])}: "
            f"{_e(_region(a.region_column, lang))}</p>")
    table = (f"<table><tr><th>#</th><th>{_e(t['indicator'])}</th><th>{_e(t['value'])}</th>"
             f"<th>{_e(t['threshold'])}</th><th>{_e(t['confidence'])}</th>"
             f"<th>{_e(t['verdict'])}</th></tr>{''.join(rows)}</table>")
    return f'{_STYLE}<div class="ntmkit">{head}{table}</div>'


def criteria_set_html(cs: CriteriaSet, lang: str = "vi") -> str:
    """A compact HTML table of a criteria set (used by ``CriteriaSet._repr_html_``)."""
    t = _lang(lang)
    rows = []
    for c in cs.criteria.values():
        name = c.name_vi if lang == "vi" else c.name_en
        rows.append(f"<tr><td><b>{_e(c.code)}</b></td><td colspan=3><b>{_e(name)}</b>"
                    + ("" if c.indicators_complete else " <span class=muted>(…)</span>")
                    + "</td></tr>")
        for ind in c.indicators:
            known = sum(th.confidence.has_value for th in ind.rule.thresholds)
            rows.append(f"<tr><td class=muted>{_e(ind.code)}</td>"
                        f"<td>{_e(ind.name_vi if lang == 'vi' else ind.name_en)}</td>"
                        f"<td>{_e(ind.unit)}</td><td class=muted>{known}/"
                        f"{len(ind.rule.thresholds)}</td></tr>")
    head = (f"<p><code>{_e(cs.key)}</code> — {_e(cs.title_vi if lang == 'vi' else cs.title_en)}"
            f"<br><span class=muted>{_e(t['legal'])}: {_e(cs.legal_basis.act)} · "
            f"{_e(t['fingerprint'])}: <code>{_e(cs.fingerprint[:19])}…</code></span></p>")
    table = (f"<table><tr><th>#</th><th>{_e(t['indicator'])}</th><th>{_e(t['unit'])}</th>"
             f"<th>{_e(t['threshold'])}</th></tr>{''.join(rows)}</table>")
    return f'{_STYLE}<div class="ntmkit">{head}{table}</div>'


def _bar_chart(items: Sequence[tuple[str, dict[Verdict, int]]], total: int) -> str:
    """A horizontal stacked bar per item (met / not met / unknown), as inline SVG."""
    width, bar, gap, label_w = 760, 16, 6, 250
    height = len(items) * (bar + gap) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" font-size="11" font-family="sans-serif">']
    scale = (width - label_w - 60) / max(total, 1)
    for i, (label, counts) in enumerate(items):
        y = i * (bar + gap) + 4
        parts.append(f'<text x="0" y="{y + bar - 4}">{_e(label)}</text>')
        x = float(label_w)
        for verdict in (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN, Verdict.NOT_APPLICABLE):
            n = counts.get(verdict, 0)
            if n:
                w = n * scale
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                             f'fill="{_COLOURS[verdict]}"><title>{verdict.value}: {n}</title>'
                             "</rect>")
                x += w
        met = counts.get(Verdict.MET, 0)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 4}">{met}/{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _strip_plot(values: list[tuple[float, Verdict]], threshold: float | None, unit: str) -> str:
    """Each commune's value as a dot on one axis, with the threshold as a line (inline SVG)."""
    width, height, pad = 640, 46, 40
    numbers = [v for v, _ in values] + ([threshold] if threshold is not None else [])
    low, high = min(numbers), max(numbers)
    if high == low:
        high = low + 1
    def x(v: float) -> float:
        return pad + (v - low) / (high - low) * (width - 2 * pad)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-size="10" font-family="sans-serif">',
             f'<line x1="{pad}" y1="24" x2="{width - pad}" y2="24" stroke="#d0d7de"/>']
    for v, verdict in values:
        parts.append(f'<circle cx="{x(v):.1f}" cy="24" r="4" fill="{_COLOURS[verdict]}" '
                     f'fill-opacity=".7"><title>{v:g} {_e(unit)}</title></circle>')
    if threshold is not None:
        parts.append(f'<line x1="{x(threshold):.1f}" y1="8" x2="{x(threshold):.1f}" y2="40" '
                     f'stroke="#1f2328" stroke-dasharray="3,2"/><text x="{x(threshold) + 3:.1f}" '
                     f'y="10">{threshold:g}</text>')
    parts.append(f'<text x="{pad}" y="44">{low:g}</text><text x="{width - pad}" y="44" '
                 f'text-anchor="end">{high:g} {_e(unit)}</text></svg>')
    return "".join(parts)


_TIER_COLOURS = {"ntm": "#2e7d32", "ntm-advanced": "#1565c0", "ntm-model": "#6a1b9a",
                 "ntm-modern": "#ef6c00", None: "#9e9e9e"}


def progress_words(p: Progress, lang: str = "vi") -> tuple[str, str, str]:
    """The basis, the denominator and the outcome of a progress result, in words."""
    vi = lang == "vi"
    pick = 0 if vi else 1
    basis = {"recognised": ("đã công nhận", "recognised"),
             "computed": ("tính từ số liệu", "computed from data"),
             "declared": ("kê khai", "declared")}[p.basis][pick]
    level = {"commune": ("xã", "communes"), "district": ("huyện", "districts"),
             "province": ("tỉnh", "provinces"), "village": ("thôn", "villages")}[
        p.target.level.value][pick]
    if p.among is None:
        denominator = f"tất cả {level}" if vi else f"all {level}"
    else:
        held = p.among.label_vi if vi else p.among.label_en
        denominator = f"{level} đạt {held}" if vi else f"{level} holding {held}"
    reached = {True: ("Đạt", "reached"), False: ("Chưa đạt", "not reached"),
               None: ("Chưa rõ", "undecided")}[p.reached][pick]
    return basis, denominator, reached


def progress_html(items: Sequence[Progress], lang: str = "vi", *, top: int = 5) -> str:
    """The "toward the targets" table: target, current count, required, closest communes."""
    t = _lang(lang)
    vi = lang == "vi"
    rows = []
    for p in items:
        tg = p.target
        closest = ", ".join(f"{c.unit} ({len(c.criteria_not_met)})" for c in p.candidates[:top])
        share = f"{p.counted}/{p.total} ({p.share.percent:.1f} %)"
        basis, denominator, reached = progress_words(p, lang)
        rows.append(
            f"<tr><td><code>{_e(tg.id)}</code><br>{_e(tg.name_vi if vi else tg.name_en)}</td>"
            f"<td>{_e(tg.wording(lang))}</td><td>{_e(share)}</td>"
            f"<td>{_e('?' if p.required is None else p.required)}</td>"
            f"<td>{_e('?' if p.more_needed is None else p.more_needed)}</td>"
            f"<td>{_e(reached)}</td><td>{_e(basis)}; {_e(denominator)}</td>"
            f"<td>{_e(closest or '—')}</td></tr>")
    return (f"<table><tr><th>{_e(t['target'])}</th><th></th><th>{_e(t['current'])}</th>"
            f"<th>{_e(t['required'])}</th><th>{_e(t['more'])}</th><th>{_e(t['outcome'])}</th>"
            f"<th>{_e(t['basis'])}</th>"
            f"<th>{_e(t['closest'])}</th></tr>{''.join(rows)}</table>")


def trajectory_svg(trajectory: Trajectory) -> str:
    """One commune's criteria met per year as a small inline SVG line, dots by tier."""
    years = trajectory.years
    width, height, pad = 260, 90, 24
    top = max([y.total for y in years] + [1])
    span = max(len(years) - 1, 1)

    def x(i: int) -> float:
        return pad + i * (width - 2 * pad) / span

    def y(v: int) -> float:
        return height - pad - v * (height - 2 * pad) / top

    points = " ".join(f"{x(i):.1f},{y(s.met):.1f}" for i, s in enumerate(years))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-size="10" font-family="sans-serif" role="img">',
             f"<title>{_e(trajectory.unit)} {_e(trajectory.name)}</title>",
             f'<polyline points="{points}" fill="none" stroke="#57606a"/>']
    for i, s in enumerate(years):
        tier = s.reached.value if s.reached is not None else None
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(s.met):.1f}" r="4" '
                     f'fill="{_TIER_COLOURS[tier]}"><title>{s.year}: {s.met}/{s.total}'
                     f'{" " + _e(tier) if tier else ""}</title></circle>'
                     f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">{s.year}'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


#: The most communes whose profiles and values a report shows; the summary counts them all.
PROFILE_LIMIT = 1000

#: One row of the per-commune table: code, name, threshold column, criteria met, total,
#: verdict, whether it is provisional, criteria not met (text), number of criteria unknown.
_Profile = tuple[str, str, "Region | None", int, int, Verdict, bool, str, int]


def report_html(
    assessments: Sequence[Assessment], cs: CriteriaSet, *, lang: str = "vi",
    generated: dt.datetime | None = None, progress: Sequence[Progress] = (),
    trajectories: Mapping[str, Trajectory] | None = None,
) -> str:
    """A self-contained HTML report of many assessments against one criteria set.

    Sections: summary of verdicts and tiers, the share of communes meeting each criterion
    (bar chart), each commune's profile (which criteria block it), the distribution of key
    indicators against their thresholds, and the set version and fingerprint used; with
    *progress* (:func:`ntmkit.progress` results) a "toward the targets" section, and with
    *trajectories* (:func:`ntmkit.history`) a chart per commune across the years.
    """
    verdicts = Counter(a.verdict for a in assessments)
    tiers = Counter(a.tier.value for a in assessments if a.tier is not None)
    per_criterion = {code: Counter(a.criteria[code].verdict for a in assessments
                                   if code in a.criteria) for code in cs.criteria}
    profiles: list[_Profile] = []
    for a in assessments:
        failed = [_code(c) for c in a.criteria.values() if c.verdict is Verdict.NOT_MET]
        unknown = sum(c.verdict is Verdict.UNKNOWN for c in a.criteria.values())
        profiles.append((a.unit.code or "", a.unit.name, a.region_column, a.met, a.total,
                         a.verdict, a.provisional, ", ".join(failed) or "—", unknown))
    return _render(cs, lang, generated, len(assessments), verdicts, tiers, per_criterion,
                   profiles, assessments, note="", progress=progress,
                   trajectories=trajectories)


def report_frame_html(
    out: Any, frame: Any, cs: CriteriaSet, *, failed: Sequence[str],
    sample: Sequence[Assessment], lang: str = "vi", generated: dt.datetime | None = None,
    progress: Sequence[Progress] = (), trajectories: Mapping[str, Trajectory] | None = None,
) -> str:
    """The report of :func:`report_html` from an :func:`ntmkit.assess_frame` result.

    *out* is the result, *frame* its input (``code`` and ``name`` columns), *failed* the
    criteria not met per row as text.  The summary and the chart count every row; the
    per-commune table lists at most :data:`PROFILE_LIMIT` rows, and the value
    distributions show the communes of *sample* (their full assessments), with a note
    saying so, so that a report of a whole country stays small.
    """
    n = len(out)
    verdicts = Counter({Verdict(k): int(v) for k, v in out["verdict"].value_counts().items()
                        if v})
    tiers = Counter({str(k): int(v) for k, v in out["tier"].value_counts().items() if v})
    per_criterion = {code: Counter({Verdict(k): int(v) for k, v in
                                    out[f"c:{code}"].value_counts().items() if v})
                     for code in cs.criteria}
    unknown = sum((out[f"c:{c}"].to_numpy() == "unknown").astype(int) for c in cs.criteria) \
        if cs.criteria else [0] * n
    shown = min(n, PROFILE_LIMIT)
    provisional = (out["provisional"].tolist()[:shown] if "provisional" in out
                   else [False] * shown)
    profiles: list[_Profile] = [
        (str(code), str(name), None if column is None else Region(column), int(met),
         int(total), Verdict(verdict), bool(p), failed_text, int(k))
        for code, name, column, met, total, verdict, p, failed_text, k in zip(
            frame["code"].tolist()[:shown], frame["name"].tolist()[:shown],
            out["region_column"].tolist()[:shown], out["met"].tolist()[:shown],
            out["total"].tolist()[:shown], out["verdict"].tolist()[:shown], provisional,
            list(failed)[:shown], list(unknown)[:shown], strict=True)]
    note = ""
    if shown < n:
        note = (f"{shown:,} / {n:,} xã đầu tiên; phần tổng hợp tính tất cả. Danh sách đầy đủ: "
                "ntmkit assess --format csv." if lang == "vi" else
                f"The first {shown:,} of {n:,} communes; the summary counts them all. Every "
                "commune: ntmkit assess --format csv.")
    return _render(cs, lang, generated, n, verdicts, tiers, per_criterion, profiles,
                   sample, note=note, progress=progress, trajectories=trajectories)


def _render(cs: CriteriaSet, lang: str, generated: dt.datetime | None, n: int,
            verdicts: Counter[Verdict], tiers: Counter[str],
            per_criterion_counts: dict[str, Counter[Verdict]], profile_rows: list[_Profile],
            assessments: Sequence[Assessment], note: str, progress: Sequence[Progress] = (),
            trajectories: Mapping[str, Trajectory] | None = None) -> str:
    from ntmkit.model.enums import Tier

    t = _lang(lang)
    vi = lang == "vi"
    stamp = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    summary = "".join(f"<tr><td>{_badge(v, lang)}</td><td>{verdicts.get(v, 0)}</td></tr>"
                      for v in (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN))
    summary += "".join(f"<tr><td>{_e(Tier(tier).label_vi if vi else Tier(tier).label_en)}"
                       f"</td><td>{k}</td></tr>" for tier, k in tiers.items())
    per_criterion = []
    for code, criterion in cs.criteria.items():
        name = criterion.name_vi if vi else criterion.name_en
        label = f"{code}. {name}"
        per_criterion.append((label if len(label) <= 38 else label[:37] + "…",
                              dict(per_criterion_counts[code])))
    profiles = [
        f"<tr><td>{_e(code)}</td><td>{_e(name)}</td><td>{_e(_region(column, lang))}</td>"
        f"<td>{met}/{total}</td><td>{_badge(verdict, lang, provisional)}</td>"
        f"<td>{_e(failed)}</td><td>{unknown}</td></tr>"
        for code, name, column, met, total, verdict, provisional, failed, unknown
        in profile_rows]
    if note:
        profiles.append(f'<tr><td colspan=7 class="muted">{_e(note)}</td></tr>')
    distributions = []
    for code, ind in cs.indicators.items():
        if not ind.numeric:
            continue
        points = [(r.value, r.verdict) for a in assessments
                  if (r := a.indicators.get(code)) is not None and isinstance(r.value, float)]
        if not points:
            continue
        thresholds = {r.threshold.value for a in assessments
                      if (r := a.indicators.get(code)) is not None and r.threshold is not None
                      and r.threshold.confidence.has_value and r.threshold.value is not None}
        line = next(iter(thresholds)) if len(thresholds) == 1 else None
        note = "" if len(thresholds) <= 1 else (
            f" <span class=muted>({len(thresholds)} {_e(t['by_region'])})</span>")
        name = ind.name_vi if vi else ind.name_en
        distributions.append(f"<h3>{_e(code)} {_e(name)}{note}</h3>"
                             + _strip_plot(points, line, ind.unit))
    legal = cs.legal_basis.act + "".join(f", {x.act}" for x in cs.amended_by)
    body = f"""
<h1>{_e(t['title'])}</h1>
<p class="warn">{_e(t['unknown_note'])}</p>
<table>
<tr><th>{_e(t['version'])}</th><td><code>{_e(cs.key)}</code> —
{_e(cs.title_vi if vi else cs.title_en)}</td></tr>
<tr><th>{_e(t['legal'])}</th><td>{_e(legal)}</td></tr>
<tr><th>{_e(t['fingerprint'])}</th><td><code>{_e(cs.fingerprint)}</code></td></tr>
<tr><th>{_e(t['communes'])}</th><td>{n}</td></tr>
<tr><th>{_e(t['generated'])}</th><td>{_e(stamp)} · ntmkit {_e(__version__)}</td></tr>
</table>
<h2>{_e(t['summary'])}</h2>
<table><tr><th>{_e(t['verdict'])}</th><th>{_e(t['communes'])}</th></tr>{summary}</table>
<h2>{_e(t['pass'])}</h2>
{_bar_chart(per_criterion, n)}
<p>{' '.join(_badge(v, lang) for v in (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN))}</p>
<h2>{_e(t['profiles'])}</h2>
<table><tr><th>#</th><th>{_e(t['commune'])}</th><th>{_e(t['column'])}</th>
<th>{_e(t['criteria_met'])}</th><th>{_e(t['verdict'])}</th><th>{_e(t['not_met'])}</th>
<th>{_e(t['unknown_n'])}</th></tr>{''.join(profiles)}</table>
<h2>{_e(t['dist'])}</h2>
{''.join(distributions)}
"""
    if progress:
        body += f"<h2>{_e(t['targets'])}</h2>\n{progress_html(progress, lang)}\n"
    if trajectories:
        charts = "".join(
            f'<div style="display:inline-block;margin:0 12px 12px 0"><div>'
            f"{_e(tr.unit)} {_e(tr.name)}</div>{trajectory_svg(tr)}</div>"
            for tr in trajectories.values())
        body += (f"<h2>{_e(t['trajectory'])}</h2>\n<p class=muted>"
                 f"{_e(t['trajectory_note'])}</p>\n{charts}\n")
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{_e(t['title'])} — {_e(cs.key)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{_STYLE}'
            f'</head><body><div class="ntmkit">{body}</div></body></html>\n')


# --- Points schemes (DTI, OCOP): a ranking table and component bars per unit -----------------

_PT = {
    "vi": {"title": "Báo cáo chấm điểm", "ranking": "Bảng xếp hạng", "rank": "Hạng",
           "unit": "Đơn vị", "total": "Tổng điểm", "band": "Xếp loại",
           "components": "Điểm thành phần", "undecided": "chưa xác định",
           "not_scored": "không tính điểm",
           "note": "Điểm chưa rõ không bao giờ được tính là 0; "
                   "hạng bằng nhau dùng chung thứ hạng."},
    "en": {"title": "Points report", "ranking": "Ranking", "rank": "Rank", "unit": "Unit",
           "total": "Total", "band": "Band", "components": "Component points",
           "undecided": "undecided", "not_scored": "not scored",
           "note": "Unknown points are never counted as 0; equal values share a rank."},
}


def _points_bars(a: PointsAssessment, lang: str) -> str:
    rows = []
    for c in a.components:
        share = c.share
        width = 0 if share is None else max(0.0, min(1.0, share)) * 200
        colour = "#1565c0" if c.scored else "#9e9e9e"
        label = f"{c.points:g}" if c.points is not None else "?"
        top = f"{c.max_points:g}" if c.max_points is not None else "?"
        mark = "" if c.scored else f" ({_PT[lang]['not_scored']})"
        rows.append(f'<tr><td>{_e(c.code)}</td><td>{_e(c.name_vi if lang == "vi" else c.name_en)}'
                    f'{_e(mark)}</td><td><svg width="204" height="12"><rect x="0" y="1" '
                    f'width="200" height="10" fill="#eaeef2"/><rect x="0" y="1" '
                    f'width="{width:.1f}" height="10" fill="{colour}"/></svg></td>'
                    f"<td>{_e(label)} / {_e(top)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def points_report_html(
    results: Sequence[PointsAssessment], ps: PointsSet, *, lang: str = "vi",
    generated: dt.datetime | None = None,
) -> str:
    """A self-contained HTML report of units scored against a points set.

    Sections: the set (legal basis, fingerprint, stated inconsistencies), the ranking table
    (rank in total and per component, total, share, band) and each unit's component bars.
    """
    from ntmkit.points.scoring import rank_table

    t, base = _PT["vi" if lang == "vi" else "en"], _lang(lang)
    vi = lang == "vi"
    stamp = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    table = rank_table(results)
    order = sorted(range(len(table)), key=lambda i: (table[i]["rank"] is None,
                                                     table[i]["rank"] or 0, i))
    codes = [c.code for c in ps.components]
    head = "".join(f"<th>{_e(c)}</th>" for c in codes)
    rows = []
    for i in order:
        r, a = table[i], results[i]
        total = "?" if a.total is None else f"{a.total:g}"
        share = "" if a.share is None else f" ({a.share:.1%})"
        band = (a.band_label_vi if vi else a.band_label_en) if a.band else \
            f"<span class=muted>{_e(t['undecided'])}: {_e(a.band_reason)}</span>"
        cells = "".join(
            f"<td>{'?' if r[f'p:{c}'] is None else format(r[f'p:{c}'], 'g')} "
            f"<span class=muted>({r[f'rank:{c}'] or '—'})</span></td>" for c in codes)
        rows.append(f"<tr><td>{r['rank'] or '—'}</td><td>{_e(r['code'] or '')}</td>"
                    f"<td>{_e(r['name'])}</td><td>{_e(total + share)}</td>"
                    f"<td>{band if a.band is None else _e(band)}</td>{cells}</tr>")
    warnings = "".join(f'<p class="warn">{_e(text)}</p>' for text in ps.inconsistencies)
    profiles = "".join(f"<h3>{_e(results[i].unit.name)}</h3>{_points_bars(results[i], lang)}"
                       for i in order)
    maximum = "?" if ps.maximum is None else f"{ps.maximum:g}"
    body = f"""
<h1>{_e(t['title'])}</h1>
<table>
<tr><th>{_e(base['version'])}</th><td><code>{_e(ps.key)}</code> —
{_e(ps.title_vi if vi else ps.title_en)}</td></tr>
<tr><th>{_e(base['legal'])}</th><td>{_e(ps.legal_basis.act)}</td></tr>
<tr><th>{_e(t['total'])}</th><td>{_e(maximum)}</td></tr>
<tr><th>{_e(base['fingerprint'])}</th><td><code>{_e(ps.fingerprint)}</code></td></tr>
<tr><th>{_e(base['generated'])}</th><td>{_e(stamp)} · ntmkit {_e(__version__)}</td></tr>
</table>
{warnings}
<h2>{_e(t['ranking'])}</h2>
<table><tr><th>{_e(t['rank'])}</th><th>#</th><th>{_e(t['unit'])}</th><th>{_e(t['total'])}</th>
<th>{_e(t['band'])}</th>{head}</tr>{''.join(rows)}</table>
<p class=muted>{_e(t['note'])}</p>
<h2>{_e(t['components'])}</h2>
{profiles}
"""
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{_e(t['title'])} — {_e(ps.key)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{_STYLE}'
            f'</head><body><div class="ntmkit">{body}</div></body></html>\n')
