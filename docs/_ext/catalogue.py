"""Sphinx extension: write the criteria catalogue from the registry at build time.

One page per set version (every criterion, indicator and threshold cell, with unit, source
and confidence), a page listing every unknown or uncertain cell, a coverage table, and the
table of every set version that the docs index includes.  The
pages are generated into ``docs/catalogue/`` (not kept in git), so the catalogue always shows
exactly the data the installed package holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ntmkit
from ntmkit import registry
from ntmkit.registry.coverage import cells, coverage
from real_cases import coverage_section

ORDER = [c.value for c in ntmkit.Confidence]  # each level apart, strongest first


def _slug(key: str) -> str:
    return key.replace("/", "-").replace("@", "-")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value(t: ntmkit.Threshold, kind: ntmkit.RuleKind) -> str:
    text = t.requirement(kind)
    if t.applies and not t.confidence.has_value:  # make the gap stand out on the page
        return text.replace("unknown", "**unknown**", 1)
    return text


def set_page(cs: ntmkit.CriteriaSet) -> str:
    """The Markdown catalogue page of one set version."""
    urls = cs.source_map
    lines = [
        f"# {cs.key}", "",
        f"*{cs.title_vi}* — {cs.title_en}", "",
        "| | |", "|---|---|",
        f"| Legal basis | {cs.legal_basis.act} ({cs.legal_basis.date or '—'}) |",
        *(f"| Amended by | {a.act} ({a.date or '—'}) |" for a in cs.amended_by),
        f"| Effective | {cs.effective} |",
        f"| Superseded | {cs.superseded_on or '—'}"
        f"{' by ' + cs.superseded_by.act if cs.superseded_by else ''} |",
        f"| Checked against sources | {cs.checked_on} |",
        f"| Complete | {'yes' if cs.complete else 'no — can never be met as a whole'} |",
        f"| Fingerprint | `{cs.fingerprint}` |", "",
    ]
    if cs.note:
        lines += [_cell(cs.note), ""]
    for sub in cs.region_substitutions:
        classes = ", ".join(sorted(c.value for c in sub.classes))
        lines += [f"Communes classed as {classes} use the **{sub.region.name_en}** column "
                  f"({sub.confidence.value}).", ""]
    for pillar in cs.pillars:
        lines += [f"## {pillar.name_vi} — {pillar.name_en}", ""]
        for criterion in pillar.criteria:
            lines += [f"### {criterion.code}. {criterion.name_vi} — {criterion.name_en}", ""]
            if not criterion.indicators_complete:
                lines += ["*The registry does not hold every indicator of this criterion.*", ""]
            for ind in criterion.indicators:
                lines += [
                    f"**{ind.code}** — {ind.name_vi} / {ind.name_en} "
                    f"(unit: `{ind.unit}`, rule: {ind.rule.kind.value})", "",
                    "| context | threshold | confidence | sources |", "|---|---|---|---|",
                ]
                for t in ind.rule.thresholds:
                    sources = ", ".join(f"[{s}]({urls[s].url})" if s in urls and urls[s].url
                                        else s for s in t.sources) or "—"
                    lines.append(f"| {t.when.describe()} | {_value(t, ind.rule.kind)} | "
                                 f"{t.confidence.value} | {sources} |")
                lines.append("")
    lines += ["## Sources", ""]
    for s in cs.sources:
        lines.append(f"- **{s.id}** — {_cell(s.publisher or '')} {_cell(s.about)} "
                     f"{'<' + s.url + '>' if s.url else ''}".rstrip())
    return "\n".join(lines) + "\n"


def unknowns_page(sets: list[ntmkit.CriteriaSet]) -> str:
    """Every unknown or uncertain threshold cell of every set version."""
    lines = ["# Unknown values", "",
             "Every threshold cell the registry does not know (unknown), does not trust "
             "(uncertain) or holds only as placed by reasoning (inferred: a candidate, never "
             "used). Each gives UNKNOWN verdicts. Criteria whose indicators are not in "
             "the registry at all are listed after the cells.", ""]
    for cs in sets:
        missing = [c for c in cells(cs) if not c.confidence.has_value]
        lines += [f"## {cs.key}", "", f"{len(missing)} cells.", ""]
        if missing:
            lines += ["| indicator | region / group | year | confidence |", "|---|---|---|---|"]
            lines += [f"| {c.indicator} | "
                      f"{c.region.value if c.region else f'group {c.group}'} | "
                      f"{c.year or '—'} | {c.confidence.value} |" for c in missing]
            lines.append("")
        empty = [c for c in cs.criteria.values() if not c.indicators]
        if empty:
            lines += ["Criteria without indicators in the registry: "
                      + ", ".join(f"{c.code} ({c.name_en})" for c in empty) + ".", ""]
    return "\n".join(lines) + "\n"


def coverage_page(sets: list[ntmkit.CriteriaSet]) -> str:
    """The coverage table (`ntmkit criteria coverage`)."""
    lines = ["# Coverage", "",
             "How many threshold cells (an indicator in one region, and one year for the "
             "income table) each set version knows, by confidence. *Known* counts the "
             "verified, restated, guidance and carried-forward cells; inferred cells are "
             "never known (see the confidence levels in the data-format page).", "",
             "| set | cells | known | " + " | ".join(ORDER) + " | criteria without indicators |",
             "|---|---:|---:|" + "---:|" * len(ORDER) + "---:|"]
    for cs in sets:
        cov = coverage(cs)
        counts = dict(cov.by_confidence)
        lines.append(f"| {cs.key} | {cov.cells} | {cov.known} ({cov.share_known:.0%}) | "
                     + " | ".join(str(counts.get(o, 0)) for o in ORDER)
                     + f" | {cov.criteria_without_indicators}/{cov.criteria} |")
    lines += ["", coverage_section()]
    return "\n".join(lines) + "\n"


def registry_table(sets: list[ntmkit.CriteriaSet]) -> str:
    """The docs index's table of every set version (included by ``index.md``)."""
    lines = ["| Set | Version | In force | Legal basis | Title |", "|---|---|---|---|---|"]
    for cs in sets:
        acts = "; ".join([cs.legal_basis.act] + [f"amended by {a.act}" for a in cs.amended_by])
        until = f"until {cs.superseded_on}" if cs.superseded_on else ""
        lines.append(f"| {{doc}}`{cs.id} </catalogue/{_slug(cs.key)}>` | `{cs.version}` | "
                     f"from {cs.effective} {until} | {_cell(acts)} | "
                     f"{_cell(cs.title_vi)} |")
    return "\n".join(lines) + "\n"


def write_catalogue(folder: Path) -> list[str]:
    """Write every catalogue page into *folder*; return the page names."""
    folder.mkdir(parents=True, exist_ok=True)
    sets = [registry.get(f"{s.id}@{s.version}") for s in registry.list()]
    names = []
    for cs in sets:
        name = _slug(cs.key)
        (folder / f"{name}.md").write_text(set_page(cs), encoding="utf-8")
        names.append(name)
    (folder / "unknowns.md").write_text(unknowns_page(sets), encoding="utf-8")
    (folder / "coverage.md").write_text(coverage_page(sets), encoding="utf-8")
    # Not a page of its own (.inc is not a source suffix): docs/index.md includes it.
    (folder / "registry-table.inc").write_text(registry_table(sets), encoding="utf-8")
    index = ["# Criteria catalogue", "",
             "Generated from the registry when these pages were built: every set version, "
             "every indicator and threshold, with its unit, legal source and confidence.", "",
             "```{toctree}", ":maxdepth: 1", "", "coverage", "unknowns", *names, "```", ""]
    (folder / "index.md").write_text("\n".join(index), encoding="utf-8")
    return names


def _generate(app: Any) -> None:
    write_catalogue(Path(app.srcdir) / "catalogue")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
