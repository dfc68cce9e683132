"""HTML rendering: notebook displays and a self-contained assessment report.

Everything is plain HTML with inline CSS and inline SVG charts: a report opens in any
browser without a network connection, needs no script, prints on A4 landscape, and nothing
beyond the standard library is needed to write it.  Text is escaped; every word comes from
the message catalogue (:mod:`ntmkit.i18n`, section ``report``): Vietnamese by default,
English with ``lang="en"``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ntmkit import i18n
from ntmkit._version import __version__
from ntmkit.model.enums import Region, RuleKind, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ntmkit.model.criteria import CriteriaSet, Threshold
    from ntmkit.model.results import Assessment, CriterionResult, IndicatorResult
    from ntmkit.points import PointsAssessment, PointsSet
    from ntmkit.standing import Progress
    from ntmkit.trajectory import Trajectory

__all__ = ["PROFILE_LIMIT", "assessment_html", "criteria_set_html", "points_report_html",
           "progress_html", "progress_words", "report_frame_html", "report_html",
           "trajectory_svg"]

_VERDICTS = (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN, Verdict.NOT_APPLICABLE)
_COLOURS = {Verdict.MET: "#2e7d32", Verdict.NOT_MET: "#c62828", Verdict.UNKNOWN: "#9e9e9e",
            Verdict.NOT_APPLICABLE: "#bdbdbd"}
#: Short class names of the verdicts, for the report's CSS.
_CLASS = {Verdict.MET: "met", Verdict.NOT_MET: "no", Verdict.UNKNOWN: "unk",
          Verdict.NOT_APPLICABLE: "na"}
#: The sign of a verdict in the table of values (the colour alone says nothing to a reader
#: who cannot see it).
_SIGN = {Verdict.MET: "✓", Verdict.NOT_MET: "✗", Verdict.UNKNOWN: "?",
         Verdict.NOT_APPLICABLE: "–"}
_STYLE = """
<style>
.ntmkit{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;
color:#1f2328;max-width:1100px}
.ntmkit table{border-collapse:collapse;margin:.4em 0 1em}
.ntmkit th,.ntmkit td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
.ntmkit th{background:#f6f8fa}
.ntmkit .v{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;
white-space:nowrap}
.ntmkit .muted{color:#57606a;font-size:12px}
.ntmkit code{font-size:12px}
.ntmkit h1{font-size:22px}.ntmkit h2{font-size:18px;margin-top:1.4em}
.ntmkit .warn{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:4px}
</style>
"""
_COLOUR_CSS = "".join(
    f".ntmkit .s-{_CLASS[v]}{{background:{c}}}.ntmkit .d-{_CLASS[v]}{{fill:{c}}}"
    f".ntmkit span.d-{_CLASS[v]}{{color:{c if v in (Verdict.MET, Verdict.NOT_MET) else '#57606a'}}}"
    for v, c in _COLOURS.items())
#: The layout of the full report: the page width on screen, A4 landscape on paper.
_REPORT_STYLE = """
<style>
.ntmkit.report{max-width:1680px;margin:0 auto;padding:8px 24px 32px;box-sizing:border-box;
line-height:1.4}
.ntmkit.report h1{margin:.3em 0 .5em}
.ntmkit.report h2{border-bottom:1px solid #d0d7de;padding-bottom:3px}
.ntmkit.report h3{font-size:14px;margin:0 0 4px;overflow-wrap:anywhere}
.ntmkit.report td,.ntmkit.report th{overflow-wrap:break-word}
.ntmkit .code{white-space:nowrap}
.ntmkit .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ntmkit .fp{word-break:break-all}
.ntmkit .head{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,auto);gap:0 32px;
align-items:start}
.ntmkit .head table{margin-top:0}
.ntmkit .chart{display:grid;grid-template-columns:minmax(0,1fr) 250px;gap:0 24px;
align-items:start}
.ntmkit table.bars{width:100%;margin:0}
.ntmkit table.bars th,.ntmkit table.bars td{border-width:0 0 1px;padding:3px 6px;
vertical-align:middle}
.ntmkit table.bars thead th{border-bottom:1px solid #8c959f;background:none;font-size:12px}
.ntmkit table.bars tbody th{background:none;font-weight:normal;width:38%}
.ntmkit table.bars td.bar{width:42%}
.ntmkit .track{display:flex;height:14px;background:#f6f8fa;border-radius:2px;overflow:hidden}
.ntmkit .track span{display:block;height:100%}
.ntmkit .legend{border:1px solid #d0d7de;border-radius:4px;padding:8px 12px;font-size:13px}
.ntmkit .legend h3{margin:0 0 6px}
.ntmkit .legend ul{list-style:none;margin:0;padding:0}
.ntmkit .legend li{margin:0 0 6px;padding-left:22px;text-indent:-22px}
.ntmkit .sw{display:inline-block;width:14px;height:12px;margin-right:8px;vertical-align:-1px;
border-radius:2px;text-indent:0}
.ntmkit table.wide{width:100%}
.ntmkit .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));
gap:16px 28px;margin-top:12px}
.ntmkit .card{min-width:0}
.ntmkit svg.strip{display:block;width:100%;height:auto}
.ntmkit svg.strip circle{fill-opacity:.75;stroke:#fff;stroke-width:.6}
.ntmkit svg.strip circle:hover{fill-opacity:1;stroke:#1f2328;stroke-width:1.5}
.ntmkit svg.strip .mark{stroke:#1f2328;stroke-dasharray:3,2}
.ntmkit .keys{list-style:none;margin:2px 0 0;padding:0;font-size:12px;color:#57606a}
.ntmkit details.data{margin-top:16px}
.ntmkit details.data summary{cursor:pointer;font-weight:600}
.ntmkit details.data caption{text-align:left;padding:4px 0}
.ntmkit .scroll{overflow-x:auto}
.ntmkit .tiny{font-size:12px}
.ntmkit .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@page{size:A4 landscape;margin:10mm}
@media print{
.ntmkit.report{max-width:none;padding:0;font-size:9pt}
.ntmkit.report h1{font-size:16pt;margin:0 0 .3em}
.ntmkit.report h2{font-size:13pt}
.ntmkit.report th,.ntmkit.report td{padding:2px 5px}
.ntmkit.report table.bars th,.ntmkit.report table.bars td{padding:1px 4px}
.ntmkit .track{height:10px}
.ntmkit .warn{padding:3px 8px}
.ntmkit *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.ntmkit h2,.ntmkit h3{break-after:avoid}
.ntmkit.report h2{margin-top:.8em}
.ntmkit .chart,.ntmkit .card,.ntmkit tr,.ntmkit .head{break-inside:avoid}
.ntmkit thead{display:table-header-group}
.ntmkit .chart{grid-template-columns:minmax(0,1fr) 200px}
.ntmkit .cards{grid-template-columns:repeat(2,minmax(0,1fr))}
.ntmkit details.data,.ntmkit .screen{display:none}
}
</style>
"""


def _w(key: str, lang: i18n.Lang, **values: Any) -> str:
    """A message of the report's section of the catalogue."""
    return i18n.text(f"report.{key}", lang, **values)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lang(lang: str) -> i18n.Lang:
    return i18n.check_lang(lang)


def _verdict(verdict: Verdict, lang: i18n.Lang) -> str:
    return i18n.verdict_name(verdict, lang)


def _badge(verdict: Verdict, lang: i18n.Lang, provisional: bool = False,
           basis: str = "computed") -> str:
    label = _verdict(verdict, lang)
    if provisional:
        label += f" ({_w('badge.provisional', lang)})"
    if basis in ("declared", "conflict"):
        label += f" · {_w(f'badge.{basis}', lang)}"
    dashed = ";border:1px dashed #333" if provisional else ""
    return f'<span class="v" style="background:{_COLOURS[verdict]}{dashed}">{_e(label)}</span>'


def _region(region: Region | None, lang: i18n.Lang) -> str:
    return "—" if region is None else i18n.region_name(region, lang)


def _tier(tier: object, lang: i18n.Lang) -> str:
    return i18n.text(f"common.tier.{getattr(tier, 'value', tier)}", lang)


def _unit(unit: str, lang: i18n.Lang) -> str:
    """A unit as shown after a number: nothing for counts and yes/no indicators."""
    return "" if unit in ("count", "achieved", "") else i18n.unit_name(unit, lang)


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


def _requirement(t: Threshold, kind: RuleKind, lang: i18n.Lang) -> str:
    """What a threshold asks for, in words of the catalogue (``≥ 80``, *chưa rõ* …)."""
    if not t.applies:
        return _w("does_not_apply", lang)
    if not t.confidence.has_value:
        return (_w("candidate", lang, value=t.candidate) if t.candidate
                else _w("unknown_threshold", lang))
    if t.relative_to is not None and t.value is None:
        ref = t.relative_to
        return f"≥ {ref.factor * 100:g} % × {ref.set} {ref.indicator}"
    if kind is RuleKind.ACHIEVED:
        return _verdict(Verdict.MET, lang)
    if kind is RuleKind.ONE_OF:
        return " | ".join(t.options)
    if kind is RuleKind.BETWEEN:
        return f"{t.value:g}–{t.upper:g}"
    return f"{'≤' if kind is RuleKind.AT_MOST else '≥'} {t.value:g}"


def _threshold_text(result: IndicatorResult, lang: i18n.Lang) -> str:
    t = result.threshold
    return "?" if t is None else _requirement(t, result.rule, lang)


def _value_text(r: IndicatorResult, lang: i18n.Lang) -> str:
    """The observed value as a cell shows it; values by sex show both halves."""
    if r.observed is not None and r.observed.startswith("men "):
        men, women = (part.split(" ", 1)[1] for part in r.observed.split("; ", 1))
        missing = {"missing": _w("missing", lang)}
        both = _w("by_sex", lang, men=missing.get(men, men), women=missing.get(women, women))
        return both if r.value is None else f"{r.value:g} ({both})"
    if r.value is None:
        return "—"
    if isinstance(r.value, bool):
        return _w("value.true" if r.value else "value.false", lang)
    return f"{r.value:g}" if isinstance(r.value, float) else str(r.value)


def _code(c: CriterionResult) -> str:
    """A criterion code marked * when provisional, d when declared, ! on a conflict."""
    return c.code + ("*" if c.provisional else "") + {"declared": "d", "conflict": "!"}.get(
        c.basis, "")


def assessment_html(a: Assessment, lang: str = "vi") -> str:
    """A compact HTML table of one assessment (used by ``Assessment._repr_html_``)."""
    lg = _lang(lang)
    vi = lg == "vi"
    rows = []
    for c in a.criteria.values():
        name = c.name_vi if vi else c.name_en
        rows.append(f"<tr><td><b>{_e(c.code)}</b></td><td colspan=4><b>{_e(name)}</b></td>"
                    f"<td>{_badge(c.verdict, lg, c.provisional, c.basis)}</td></tr>")
        for r in c.indicators:
            conf = (i18n.confidence_name(r.threshold.confidence, lg)
                    if r.threshold is not None else "")
            rows.append(
                f"<tr><td class=muted>{_e(r.code)}</td>"
                f"<td>{_e(r.name_vi if vi else r.name_en)}</td>"
                f"<td>{_e(_value_text(r, lg))}</td><td>{_e(_threshold_text(r, lg))} "
                f"<span class=muted>{_e(_unit(r.unit, lg))}</span></td>"
                f"<td class=muted>{_e(conf)}</td>"
                f"<td>{_badge(r.verdict, lg, r.provisional)}</td>"
                "</tr>")
    head = (f"<p><b>{_e(a.unit.name)}</b> ({_e(a.unit.code)}) — <code>{_e(a.set_id)}@"
            f"{_e(a.set_version)}</code> · {_e(_w('verdict', lg))}: "
            f"{_badge(a.verdict, lg, a.provisional)} · "
            f"{_e(_w('criteria_met', lg))}: {a.met}/{a.total} · {_e(_w('column', lg))}: "
            f"{_e(_region(a.region_column, lg))}</p>")
    table = (f"<table><tr><th>#</th><th>{_e(_w('indicator', lg))}</th>"
             f"<th>{_e(_w('value', lg))}</th><th>{_e(_w('threshold', lg))}</th>"
             f"<th>{_e(_w('confidence', lg))}</th><th>{_e(_w('verdict', lg))}</th></tr>"
             f"{''.join(rows)}</table>")
    return f'{_STYLE}<div class="ntmkit">{head}{table}</div>'


def criteria_set_html(cs: CriteriaSet, lang: str = "vi") -> str:
    """A compact HTML table of a criteria set (used by ``CriteriaSet._repr_html_``)."""
    lg = _lang(lang)
    vi = lg == "vi"
    rows = []
    for c in cs.criteria.values():
        name = c.name_vi if vi else c.name_en
        rows.append(f"<tr><td><b>{_e(c.code)}</b></td><td colspan=3><b>{_e(name)}</b>"
                    + ("" if c.indicators_complete else
                       f" <span class=muted>({_e(_w('indicators_incomplete', lg))})</span>")
                    + "</td></tr>")
        for ind in c.indicators:
            known = sum(th.confidence.has_value for th in ind.rule.thresholds)
            rows.append(f"<tr><td class=muted>{_e(ind.code)}</td>"
                        f"<td>{_e(ind.name_vi if vi else ind.name_en)}</td>"
                        f"<td>{_e(i18n.unit_name(ind.unit, lg))}</td><td class=muted>{known}/"
                        f"{len(ind.rule.thresholds)}</td></tr>")
    head = (f"<p><code>{_e(cs.key)}</code> — {_e(cs.title_vi if vi else cs.title_en)}"
            f"<br><span class=muted>{_e(_w('legal', lg))}: {_e(cs.legal_basis.act)} · "
            f"{_e(_w('fingerprint', lg))}: <code>{_e(cs.fingerprint[:19])}…</code></span></p>")
    table = (f"<table><tr><th>#</th><th>{_e(_w('indicator', lg))}</th>"
             f"<th>{_e(_w('unit', lg))}</th><th>{_e(_w('thresholds_known', lg))}</th></tr>"
             f"{''.join(rows)}</table>")
    return f'{_STYLE}<div class="ntmkit">{head}{table}</div>'


def _bar_chart(items: Sequence[tuple[str, dict[Verdict, int]]], total: int,
               lang: i18n.Lang) -> str:
    """A stacked bar per criterion (met / not met / unknown) with its counts, as a table.

    The criterion's full name wraps in its cell; each part of a bar names its verdict and
    count on hover, and the counts stand in their own columns for readers and print.
    """
    shown = [v for v in _VERDICTS
             if v is not Verdict.NOT_APPLICABLE or any(c.get(v) for _, c in items)]
    head = "".join(f'<th class="num">{_e(_verdict(v, lang))}</th>' for v in shown)
    rows = []
    for label, counts in items:
        parts = []
        for verdict in shown:
            n = counts.get(verdict, 0)
            if n:
                tip = _w("bar_tip", lang, verdict=_verdict(verdict, lang), count=n, total=total)
                parts.append(f'<span class="s-{_CLASS[verdict]}" '
                             f'style="width:{100 * n / max(total, 1):.3f}%" '
                             f'title="{_e(tip)}"></span>')
        cells = "".join(f'<td class="num">{counts.get(v, 0)}</td>' for v in shown)
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td class="bar"><div class="track">'
                    f'{"".join(parts)}</div></td>{cells}</tr>')
    return (f'<table class="bars"><caption class="sr">'
            f"{_e(_w('pass_caption', lang, total=total))}</caption><thead><tr>"
            f"<th>{_e(_w('criterion', lang))}</th><th>{_e(_w('share', lang))}</th>{head}"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _legend(lang: i18n.Lang, total: int) -> str:
    """The key of the verdict colours, set beside the chart."""
    items = "".join(
        f'<li><span class="sw s-{_CLASS[v]}"></span><b>{_e(_verdict(v, lang))}</b>: '
        f"{_e(_w(f'legend.{v.value}', lang))}</li>" for v in _VERDICTS)
    return (f'<aside class="legend"><h3>{_e(_w("legend", lang))}</h3><ul>{items}</ul>'
            f'<p class="muted">{_e(_w("pass_caption", lang, total=total))}</p></aside>')


#: A dot of a value plot: the value, its verdict and the words shown on hover.
_Dot = tuple[float, Verdict, str]
#: A threshold mark: the positions of its line(s), its label and the words shown on hover.
_Mark = tuple[tuple[float, ...], str, str]

_STACK = 6  # dots of nearly equal value stack upward, at most this many high


def _strip_plot(dots: Sequence[_Dot], marks: Sequence[_Mark], unit: str, label: str) -> str:
    """Each commune's value as a dot on one axis, with one dashed line per threshold."""
    width, pad, step = 560, 30, 7
    numbers = [v for v, _, _ in dots] + [p for at, _, _ in marks for p in at]
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - 1, high + 1

    def x(v: float) -> float:
        return pad + (v - low) / (high - low) * (width - 2 * pad)

    # Threshold labels: a few rows above the dots, so that close thresholds do not overlap.
    placed: list[tuple[float, int, _Mark]] = []
    ends: list[float] = []
    for mark in sorted(marks, key=lambda m: m[0][0]):
        at = x(mark[0][0])
        text_w = 6.2 * len(mark[1]) + 6
        row = next((i for i, end in enumerate(ends) if end < at), None)
        if row is None:
            row = len(ends) if len(ends) < 3 else min(range(len(ends)), key=ends.__getitem__)
            if row == len(ends):
                ends.append(0.0)
        ends[row] = at + text_w
        placed.append((at, row, mark))
    top = 4 + 12 * len(ends)
    axis = top + 6 + _STACK * step
    height = axis + 16
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="strip" viewBox="0 0 {width} '
             f'{height}" width="{width}" height="{height}" font-size="11" '
             f'font-family="sans-serif" role="img" aria-label="{_e(label)}">',
             f'<line x1="{pad}" y1="{axis}" x2="{width - pad}" y2="{axis}" stroke="#8c959f"/>']
    for at, row, (positions, text, tip) in placed:
        for p in positions:
            parts.append(f'<line class="mark" x1="{x(p):.1f}" y1="{12 * row + 16}" '
                         f'x2="{x(p):.1f}" y2="{axis + 4}"><title>{_e(tip)}</title></line>')
        anchor = ' text-anchor="end"' if at > width - 90 else ""
        dx = -3 if anchor else 3
        parts.append(f'<text x="{at + dx:.1f}" y="{4 + 12 * row + 9}"{anchor}>{_e(text)}'
                     f"<title>{_e(tip)}</title></text>")
    bins: Counter[int] = Counter()
    for v, verdict, tip in dots:
        cx = x(v)
        k = bins[round(cx / 6)]
        bins[round(cx / 6)] += 1
        cy = axis - 5 - (k % _STACK) * step
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy}" r="3.5" class="d-{_CLASS[verdict]}">'
                     f"<title>{_e(tip)}</title></circle>")
    parts.append(f'<text x="{pad}" y="{height - 2}" text-anchor="middle">{low:g}</text>'
                 f'<text x="{width - pad}" y="{height - 2}" text-anchor="end">'
                 f"{_e(_with_unit(f'{high:g}', unit))}</text></svg>")
    return "".join(parts)


_TIER_COLOURS = {"ntm": "#2e7d32", "ntm-advanced": "#1565c0", "ntm-model": "#6a1b9a",
                 "ntm-modern": "#ef6c00", None: "#9e9e9e"}


def progress_words(p: Progress, lang: str = "vi") -> tuple[str, str, str]:
    """The basis, the denominator and the outcome of a progress result, in words.

    The same as :meth:`ntmkit.standing.Progress.words`.
    """
    words = p.words(_lang(lang))
    return words.basis, words.denominator, words.reached


def progress_html(items: Sequence[Progress], lang: str = "vi", *, top: int = 5) -> str:
    """The "toward the targets" table: target, current count, required, closest communes."""
    lg = _lang(lang)
    vi = lg == "vi"
    rows = []
    for p in items:
        tg = p.target
        closest = ", ".join(f"{c.unit} ({len(c.criteria_not_met)})" for c in p.candidates[:top])
        share = f"{p.counted}/{p.total} ({p.share.percent:.1f} %)"
        basis, denominator, reached = progress_words(p, lg)
        rows.append(
            f"<tr><td><code>{_e(tg.id)}</code><br>{_e(tg.name_vi if vi else tg.name_en)}</td>"
            f"<td>{_e(tg.wording(lg))}</td><td>{_e(share)}</td>"
            f"<td>{_e('?' if p.required is None else p.required)}</td>"
            f"<td>{_e('?' if p.more_needed is None else p.more_needed)}</td>"
            f"<td>{_e(reached)}</td><td>{_e(basis)}; {_e(denominator)}</td>"
            f"<td>{_e(closest or '—')}</td></tr>")
    heads = "".join(f"<th>{_e(_w(key, lg))}</th>" for key in (
        "target", "wording", "current", "required", "more", "outcome", "basis", "closest"))
    return f"<table><thead><tr>{heads}</tr></thead>{''.join(rows)}</table>"


def trajectory_svg(trajectory: Trajectory, lang: str = "vi") -> str:
    """One commune's criteria met per year as a small inline SVG line, dots by tier."""
    lg = _lang(lang)
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
        tip = _w("trajectory_dot", lg, year=s.year, met=s.met, total=s.total)
        if tier:
            tip += f" · {_tier(tier, lg)}"
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(s.met):.1f}" r="4" '
                     f'fill="{_TIER_COLOURS[tier]}"><title>{_e(tip)}</title></circle>'
                     f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">{s.year}'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


#: The most communes whose profiles and values a report shows; the summary counts them all.
PROFILE_LIMIT = 1000

#: One row of the per-commune table: code, name, threshold column, criteria met, total,
#: verdict, whether it is provisional, criteria not met (text), criteria unknown (codes).
_Profile = tuple[str, str, "Region | None", int, int, Verdict, bool, str, tuple[str, ...]]


def report_html(
    assessments: Sequence[Assessment], cs: CriteriaSet, *, lang: str = "vi",
    generated: dt.datetime | None = None, progress: Sequence[Progress] = (),
    trajectories: Mapping[str, Trajectory] | None = None,
) -> str:
    """A self-contained HTML report of many assessments against one criteria set.

    Sections: summary of verdicts and tiers, the share of communes meeting each criterion
    (a bar per criterion, the legend beside it), each commune's profile (which criteria
    block it, which are unknown), the values of each numeric indicator against its
    threshold(s) (a dot per commune, named on hover and in a table), and the set version
    and fingerprint used; with *progress* (:func:`ntmkit.progress` results) a "toward the
    targets" section, and with *trajectories* (:func:`ntmkit.history`) a chart per commune
    across the years.  The page uses the window's width and prints on A4 landscape.
    """
    verdicts = Counter(a.verdict for a in assessments)
    tiers = Counter(a.tier.value for a in assessments if a.tier is not None)
    per_criterion = {code: Counter(a.criteria[code].verdict for a in assessments
                                   if code in a.criteria) for code in cs.criteria}
    profiles: list[_Profile] = []
    for a in assessments:
        failed = [_code(c) for c in a.criteria.values() if c.verdict is Verdict.NOT_MET]
        unknown = tuple(c.code for c in a.criteria.values() if c.verdict is Verdict.UNKNOWN)
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
    lg = _lang(lang)
    n = len(out)
    verdicts = Counter({Verdict(k): int(v) for k, v in out["verdict"].value_counts().items()
                        if v})
    tiers = Counter({str(k): int(v) for k, v in out["tier"].value_counts().items() if v})
    per_criterion = {code: Counter({Verdict(k): int(v) for k, v in
                                    out[f"c:{code}"].value_counts().items() if v})
                     for code in cs.criteria}
    shown = min(n, PROFILE_LIMIT)
    unknown: list[list[str]] = [[] for _ in range(shown)]
    head, first = out.iloc[:shown], frame.iloc[:shown]  # the rows the table shows
    for code in cs.criteria:
        for i, verdict in enumerate(head[f"c:{code}"].tolist()):
            if verdict == "unknown":
                unknown[i].append(code)
    provisional = (head["provisional"].tolist() if "provisional" in out
                   else [False] * shown)
    profiles: list[_Profile] = [
        (str(code), str(name), None if column is None else Region(column), int(met),
         int(total), Verdict(verdict), bool(p), failed_text, tuple(k))
        for code, name, column, met, total, verdict, p, failed_text, k in zip(
            first["code"].tolist(), first["name"].tolist(),
            head["region_column"].tolist(), head["met"].tolist(),
            head["total"].tolist(), head["verdict"].tolist(), provisional,
            list(failed)[:shown], unknown, strict=True)]
    note = ""
    if shown < n:
        note = _w("note_first", lg, shown=f"{shown:,}", total=f"{n:,}",
                  command="ntmkit assess --format csv")
    return _render(cs, lang, generated, n, verdicts, tiers, per_criterion, profiles,
                   sample, note=note, progress=progress, trajectories=trajectories)


def _distribution(code: str, cs: CriteriaSet, assessments: Sequence[Assessment],
                  lang: i18n.Lang) -> tuple[str, list[str | None]] | None:
    """One indicator's card and its column of the table of values, or None without values.

    The card holds a dot per commune, a threshold line per distinct threshold (with the
    regions it applies to) and their key; the column one cell per assessment.
    """
    ind = cs.indicators[code]
    unit = _unit(ind.unit, lang)
    dots: list[_Dot] = []
    cells: list[str | None] = []
    groups: dict[tuple[tuple[float, ...], str], list[Region | None]] = {}
    unknown = 0
    for a in assessments:
        r = a.indicators.get(code)
        if r is None or not isinstance(r.value, float):
            cells.append(None)
            continue
        t = r.threshold
        if t is not None and t.applies and t.confidence.has_value and t.value is not None:
            at: tuple[float, ...] = (t.value, t.upper) \
                if r.rule is RuleKind.BETWEEN and t.upper is not None else (t.value,)
            groups.setdefault((at, _requirement(t, r.rule, lang)), []).append(a.region_column)
            requirement = _with_unit(_requirement(t, r.rule, lang), unit)
        else:
            unknown += 1
            requirement = _w("unknown_threshold", lang)
        value = _with_unit(f"{r.value:g}", unit)
        tip = _w("dot", lang, commune=f"{a.unit.name} ({a.unit.code})" if a.unit.code
                 else a.unit.name, value=value, verdict=_verdict(r.verdict, lang),
                 threshold=requirement)
        dots.append((r.value, r.verdict, tip))
        cells.append(f'{_e(f"{r.value:g}")} <span class="d-{_CLASS[r.verdict]}">'
                     f"{_SIGN[r.verdict]}</span>")
    if not dots:
        return None
    marks: list[_Mark] = []
    keys: list[str] = []
    order = {region: i for i, region in enumerate(Region)}
    for (at, requirement), regions in sorted(groups.items()):
        named = sorted(set(regions), key=lambda r: -1 if r is None else order[r])
        said = _with_unit(requirement, unit)
        if len(groups) == 1:
            tip = f"{_w('threshold', lang)} {said}"
        else:
            tip = _w("threshold_of", lang, threshold=said,
                     regions=", ".join(_region(r, lang) for r in named))
        marks.append((at, requirement, tip))
        keys.append(tip)
    if unknown:
        keys.append(_w("threshold_unknown_for", lang, count=unknown))
    name = ind.name_vi if lang == "vi" else ind.name_en
    title = f"{code} {name}"
    extra = "" if len(groups) <= 1 else (
        f' <span class="muted">({_e(_w("thresholds_by_region", lang, count=len(groups)))})'
        "</span>")
    key_list = "".join(f"<li>{_e(k)}</li>" for k in keys)
    card = (f'<div class="card"><h3>{_e(title)}{extra}</h3>'
            f"{_strip_plot(dots, marks, unit, title)}"
            f'<ul class="keys">{key_list}</ul></div>')
    return card, cells


def _render(cs: CriteriaSet, lang: str, generated: dt.datetime | None, n: int,
            verdicts: Counter[Verdict], tiers: Counter[str],
            per_criterion_counts: dict[str, Counter[Verdict]], profile_rows: list[_Profile],
            assessments: Sequence[Assessment], note: str, progress: Sequence[Progress] = (),
            trajectories: Mapping[str, Trajectory] | None = None) -> str:
    lg = _lang(lang)
    vi = lg == "vi"

    def w(key: str, **values: Any) -> str:
        return _e(_w(key, lg, **values))

    stamp = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    summary = "".join(f'<tr><td>{_badge(v, lg)}</td><td class="num">{verdicts.get(v, 0)}</td>'
                      "</tr>" for v in (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN))
    tier_rows = "".join(f'<tr><td>{_e(_tier(tier, lg))}</td><td class="num">{k}</td></tr>'
                        for tier, k in tiers.items())
    if tier_rows:
        summary += f'<tr><th>{w("tier")}</th><th>{w("communes")}</th></tr>{tier_rows}'
    per_criterion = [(f"{code}. {criterion.name_vi if vi else criterion.name_en}",
                      dict(per_criterion_counts[code]))
                     for code, criterion in cs.criteria.items()]
    marked = False
    profiles = []
    for code, name, column, met, total, verdict, provisional, failed, unknown in profile_rows:
        marked = marked or any(item[-1:] in ("*", "d", "!") for item in failed.split(", "))
        unknown_text = (f'<b>{len(unknown)}</b> <span class="tiny">· {_e(", ".join(unknown))}'
                        "</span>" if unknown else "0")
        profiles.append(
            f'<tr><td class="code">{_e(code)}</td><td>{_e(name)}</td>'
            f"<td>{_e(_region(column, lg))}</td>"
            f'<td class="num">{met}/{total}</td><td>{_badge(verdict, lg, provisional)}</td>'
            f"<td>{_e(failed)}</td><td>{unknown_text}</td></tr>")
    if note:
        profiles.append(f'<tr><td colspan=7 class="muted">{_e(note)}</td></tr>')
    marks_note = (f'<p class="muted">{w("marks", provisional="*", declared="d", conflict="!")}'
                  "</p>" if marked else "")
    cards: list[str] = []
    columns: list[tuple[str, list[str | None]]] = []
    for code, ind in cs.indicators.items():
        if not ind.numeric:
            continue
        made = _distribution(code, cs, assessments, lg)
        if made is not None:
            cards.append(made[0])
            columns.append((code, made[1]))
    values = ""
    if columns:
        inds = [cs.indicators[c] for c, _ in columns]
        head = "".join(
            f'<th scope="col" title="{_e(i.name_vi if vi else i.name_en)}">{_e(i.code)}<br>'
            f'<span class="muted">{_e(_unit(i.unit, lg))}</span></th>' for i in inds)
        body_rows = "".join(
            f'<tr><td class="code">{_e(a.unit.code or "")}</td><th scope="row">{_e(a.unit.name)}'
            "</th>"
            + "".join(f'<td class="num">{cells[i] or ""}</td>' for _, cells in columns)
            + "</tr>" for i, a in enumerate(assessments))
        sample_note = ("" if len(assessments) >= n else '<p class="muted">'
                       f'{w("sample_note", shown=f"{len(assessments):,}", total=f"{n:,}")}</p>')
        values = (f'<details class="data"><summary>{w("values", count=len(assessments))}'
                  f'</summary>{sample_note}<div class="scroll"><table class="tiny">'
                  f'<caption class="muted">{w("values_caption")}</caption><thead><tr>'
                  f'<th>{w("code")}</th><th>{w("commune")}</th>{head}</tr></thead>'
                  f"<tbody>{body_rows}</tbody></table></div></details>")
    legal = cs.legal_basis.act + "".join(f", {x.act}" for x in cs.amended_by)
    body = f"""
<h1>{w('title')}</h1>
<p class="warn">{w('unknown_note')}</p>
<div class="head">
<table>
<tr><th>{w('set')}</th><td><code>{_e(cs.key)}</code> —
{_e(cs.title_vi if vi else cs.title_en)}</td></tr>
<tr><th>{w('legal')}</th><td>{_e(legal)}</td></tr>
<tr><th>{w('fingerprint')}</th><td><code class="fp">{_e(cs.fingerprint)}</code></td></tr>
<tr><th>{w('communes')}</th><td>{n}</td></tr>
<tr><th>{w('generated')}</th><td>{_e(stamp)} · ntmkit {_e(__version__)}</td></tr>
</table>
<section><h2 style="margin-top:0">{w('summary')}</h2>
<table><tr><th>{w('verdict')}</th><th>{w('communes')}</th></tr>{summary}</table></section>
</div>
<h2>{w('pass')}</h2>
<div class="chart">
{_bar_chart(per_criterion, n, lg)}
{_legend(lg, n)}
</div>
<h2>{w('profiles')}</h2>
<table class="wide"><thead><tr><th>{w('code')}</th><th>{w('commune')}</th>
<th>{w('column')}</th><th>{w('criteria_met')}</th><th>{w('verdict')}</th>
<th>{w('not_met')}</th><th>{w('unknown')}</th></tr></thead>
<tbody>{''.join(profiles)}</tbody></table>
{marks_note}
<h2>{w('dist')}</h2>
<p class="muted">{w('dist_note')} <span class="screen">{w('dist_hover')}</span></p>
<div class="cards">{''.join(cards)}</div>
{values}
"""
    if progress:
        body += f"<h2>{w('targets')}</h2>\n{progress_html(progress, lg)}\n"
    if trajectories:
        charts = "".join(
            f'<div style="display:inline-block;margin:0 12px 12px 0"><div>'
            f"{_e(tr.unit)} {_e(tr.name)}</div>{trajectory_svg(tr, lg)}</div>"
            for tr in trajectories.values())
        body += (f"<h2>{w('trajectory')}</h2>\n<p class=muted>"
                 f"{w('trajectory_note')}</p>\n{charts}\n")
    return (f'<!DOCTYPE html>\n<html lang="{lg}"><head><meta charset="utf-8">'
            f"<title>{w('title')} — {_e(cs.key)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{_STYLE}'
            f"{_REPORT_STYLE.replace('</style>', _COLOUR_CSS + '</style>')}"
            f'</head><body><div class="ntmkit report">{body}</div></body></html>\n')


# --- Points schemes (DTI, OCOP): a ranking table and component bars per unit -----------------


def _points_bars(a: PointsAssessment, lang: i18n.Lang) -> str:
    rows = []
    for c in a.components:
        share = c.share
        width = 0 if share is None else max(0.0, min(1.0, share)) * 200
        colour = "#1565c0" if c.scored else "#9e9e9e"
        label = f"{c.points:g}" if c.points is not None else "?"
        top = f"{c.max_points:g}" if c.max_points is not None else "?"
        mark = "" if c.scored else f" ({_w('points.not_scored', lang)})"
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
    from ntmkit.i18n.reasons import translate
    from ntmkit.points.scoring import rank_table

    lg = _lang(lang)
    vi = lg == "vi"
    names = {b.label_en: b.label_vi for b in ps.bands} if vi else {}

    def w(key: str) -> str:
        return _e(_w(key, lg))

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
            f"<span class=muted>{w('points.undecided')}: " \
            f"{_e(translate(a.band_reason, lg, names))}</span>"
        cells = "".join(
            f"<td>{'?' if r[f'p:{c}'] is None else format(r[f'p:{c}'], 'g')} "
            f"<span class=muted>({r[f'rank:{c}'] or '—'})</span></td>" for c in codes)
        rows.append(f"<tr><td>{r['rank'] or '—'}</td><td>{_e(r['code'] or '')}</td>"
                    f"<td>{_e(r['name'])}</td><td>{_e(total + share)}</td>"
                    f"<td>{band if a.band is None else _e(band)}</td>{cells}</tr>")
    warnings = "".join(f'<p class="warn">{_e(translate(text, lg, names))}</p>'
                       for text in ps.inconsistencies)
    profiles = "".join(f"<h3>{_e(results[i].unit.name)}</h3>{_points_bars(results[i], lg)}"
                       for i in order)
    maximum = "?" if ps.maximum is None else f"{ps.maximum:g}"
    body = f"""
<h1>{w('points.title')}</h1>
<table>
<tr><th>{w('set')}</th><td><code>{_e(ps.key)}</code> —
{_e(ps.title_vi if vi else ps.title_en)}</td></tr>
<tr><th>{w('legal')}</th><td>{_e(ps.legal_basis.act)}</td></tr>
<tr><th>{w('points.total')}</th><td>{_e(maximum)}</td></tr>
<tr><th>{w('fingerprint')}</th><td><code>{_e(ps.fingerprint)}</code></td></tr>
<tr><th>{w('generated')}</th><td>{_e(stamp)} · ntmkit {_e(__version__)}</td></tr>
</table>
{warnings}
<h2>{w('points.ranking')}</h2>
<table><tr><th>{w('points.rank')}</th><th>#</th><th>{w('points.unit')}</th>
<th>{w('points.total')}</th><th>{w('points.band')}</th>{head}</tr>{''.join(rows)}</table>
<p class=muted>{w('points.note')}</p>
<h2>{w('points.components')}</h2>
{profiles}
"""
    return (f'<!DOCTYPE html>\n<html lang="{lg}"><head><meta charset="utf-8">'
            f"<title>{w('points.title')} — {_e(ps.key)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{_STYLE}'
            f'</head><body><div class="ntmkit">{body}</div></body></html>\n')
