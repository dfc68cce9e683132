"""Sphinx extension: write the criteria catalogue from the registry at build time.

One page per set version (every criterion, indicator and threshold, with unit, source and
confidence), a page listing every unknown cell, a coverage table, and the table of every set
version that the docs index includes.  The pages are generated into ``docs/catalogue/`` (not
kept in git), so the catalogue always shows exactly the data the installed package holds.

Every page is Vietnamese first with English beside it (``tiếng Việt · *English*``): the words
come from :mod:`ntmkit.i18n` (sections ``catalogue`` and ``coverage``), and so do the names of
regions, confidence levels, rule symbols and units.  Each function takes *langs*; with
``("vi",)`` it renders the Vietnamese text alone (what the tests check for English words).
Notes and source descriptions are held in English in the registry and appear on the English
side only.  Cells are counted by :func:`ntmkit.registry.coverage.cells`, as the command line
and the fill-in template count them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ntmkit
from ntmkit import i18n, registry
from ntmkit.i18n import Lang
from ntmkit.model.criteria import Condition
from ntmkit.registry.coverage import cells, coverage
from real_cases import coverage_section

LANGS: tuple[Lang, ...] = i18n.LANGS


def _slug(key: str) -> str:
    return key.replace("/", "-").replace("@", "-")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: object) -> str:
    """A code (indicator, criterion, source id) as a code span: never read as words."""
    return f"`{text}`"


def _both(texts: Sequence[str]) -> str:
    """Vietnamese first, then the English in italics (once when both read the same)."""
    vi, *rest = texts
    others = [t for t in rest if t and t != vi]
    return " · ".join([vi, *(f"*{t}*" for t in others)])


def _say(langs: Sequence[Lang], key: str, **fields: Any) -> str:
    return _both([i18n.text(key, lang, **fields) for lang in langs])


def _pair(langs: Sequence[Lang], vi: str, en: str) -> str:
    """A name the data holds in both languages."""
    return _both([vi if lang == "vi" else en for lang in langs])


def _context(when: Condition, lang: Lang) -> str:
    parts = []
    if when.region is not None:
        parts.append(i18n.region_name(when.region, lang))
    if when.group is not None:
        parts.append(i18n.text("common.group", lang, group=when.group))
    if when.commune_class is not None:
        parts.append(i18n.text("catalogue.class", lang,
                               name=i18n.class_name(when.commune_class, lang)))
    if when.year is not None:
        parts.append(i18n.text("common.year", lang, year=when.year))
    return ", ".join(parts) or i18n.region_name("everywhere", lang)


def _requirement(t: ntmkit.Threshold, kind: ntmkit.RuleKind, lang: Lang) -> str:
    if not t.applies:
        return i18n.verdict_name(ntmkit.Verdict.NOT_APPLICABLE, lang)
    if not t.confidence.has_value:
        text = f"**{i18n.text('common.threshold_unknown', lang)}**"  # the gap stands out
        if t.candidate:
            text += f" ({i18n.text('catalogue.candidate', lang, candidate=_code(t.candidate))})"
        return text
    symbol = i18n.rule_symbol(kind, lang)
    if t.relative_to is not None and t.value is None:
        r = t.relative_to
        return i18n.text("catalogue.relative", lang, symbol=symbol, factor=f"{r.factor * 100:g}",
                         indicator=r.indicator, set=r.set)
    if kind is ntmkit.RuleKind.ACHIEVED:
        return symbol
    if kind is ntmkit.RuleKind.ONE_OF:
        return f"{symbol} {', '.join(t.options)}"
    if kind is ntmkit.RuleKind.BETWEEN:
        return f"{symbol} {t.value:g}–{t.upper:g}"
    return f"{symbol} {t.value:g}"


def _share(share: float) -> str:
    return f"{share:.0%}".replace("%", "\u00a0%")  # a no-break space: "42 %" on one line


def set_page(cs: ntmkit.CriteriaSet, langs: Sequence[Lang] = LANGS) -> str:
    """The Markdown catalogue page of one set version."""
    urls = cs.source_map
    listed = cells(cs)
    cov = coverage(cs)

    def row(key: str, value: str) -> str:
        return f"| {_say(langs, f'catalogue.{key}')} | {_cell(value)} |"

    superseded = "—"
    if cs.superseded_on:
        superseded = (_say(langs, "catalogue.superseded_by", date=cs.superseded_on,
                           act=cs.superseded_by.act) if cs.superseded_by
                      else str(cs.superseded_on))
    lines = [
        f"# {cs.key}", "",
        _pair(langs, cs.title_vi, cs.title_en), "",
        "| | |", "|---|---|",
        row("legal_basis", f"{cs.legal_basis.act} ({cs.legal_basis.date or '—'})"),
        *(row("amended_by", f"{a.act} ({a.date or '—'})") for a in cs.amended_by),
        row("effective", str(cs.effective)),
        row("superseded", superseded),
        row("checked", str(cs.checked_on)),
        row("complete", _say(langs, "common.yes") if cs.complete
            else _say(langs, "catalogue.complete.no")),
        row("cells", _say(langs, "catalogue.cells.value", cells=cov.cells, known=cov.known,
                          share=_share(cov.share_known))),
        row("empty_criteria", f"{len(cov.empty_criteria)}/{cov.criteria}"
            + (": " + ", ".join(map(_code, cov.empty_criteria)) if cov.empty_criteria else "")),
        row("fingerprint", f"`{cs.fingerprint}`"), "",
    ]
    if cs.note and "en" in langs:
        lines += [f"{_say(langs, 'catalogue.note')}: *{_cell(cs.note)}*", ""]
    for sub in cs.region_substitutions:
        lines += [_both([i18n.text(
            "catalogue.substitution", lang,
            classes=", ".join(sorted(i18n.class_name(c, lang) for c in sub.classes)),
            region=f"**{i18n.region_name(sub.region, lang)}**",
            confidence=i18n.confidence_name(sub.confidence, lang)) for lang in langs]), ""]
    by_indicator: dict[str, list[Any]] = {}
    for c in listed:
        by_indicator.setdefault(c.indicator, []).append(c)
    header = " | ".join(_say(langs, f"catalogue.column.{k}")
                        for k in ("context", "threshold", "confidence", "sources"))
    for pillar in cs.pillars:
        lines += [f"## {_pair(langs, pillar.name_vi, pillar.name_en)}", ""]
        for criterion in pillar.criteria:
            lines += [f"### {_code(criterion.code)} "
                      f"{_pair(langs, criterion.name_vi, criterion.name_en)}", ""]
            if not criterion.indicators:
                lines += [f"> {_say(langs, 'catalogue.empty')}", ""]
            elif not criterion.indicators_complete:
                lines += [f"> {_say(langs, 'catalogue.incomplete')}", ""]
            for ind in criterion.indicators:
                mine = by_indicator.get(ind.code, [])
                unit = _both([i18n.unit_name(ind.unit, lang) for lang in langs])
                rule = _both([i18n.rule_symbol(ind.rule.kind, lang) for lang in langs])
                counted = _say(langs, "catalogue.cells_of", cells=len(mine),
                               unknown=sum(not c.known for c in mine))
                lines += [
                    f"**{_code(ind.code)}** — {_pair(langs, ind.name_vi, ind.name_en)} "
                    f"({_say(langs, 'units.label')}: {unit}; {_say(langs, 'catalogue.rule')}: "
                    f"{rule}; {counted})", "",
                    f"| {header} |", "|---|---|---|---|",
                ]
                for t in ind.rule.thresholds:
                    sources = ", ".join(f"[{_code(s)}]({urls[s].url})"
                                        if s in urls and urls[s].url else _code(s)
                                        for s in t.sources) or "—"
                    context = _both([_context(t.when, lang) for lang in langs])
                    wants = _both([_requirement(t, ind.rule.kind, lang) for lang in langs])
                    confidence = _both([i18n.confidence_name(t.confidence, lang)
                                        for lang in langs])
                    lines.append(f"| {context} | {wants} | {confidence} | {sources} |")
                lines.append("")
    lines += [f"## {_say(langs, 'catalogue.sources')}", ""]
    for s in cs.sources:
        about = f" — *{_cell(' '.join(filter(None, (s.publisher, s.about))))}*" \
            if "en" in langs and (s.publisher or s.about) else ""
        lines.append(f"- {_code(s.id)}{' <' + s.url + '>' if s.url else ''}{about}")
    return "\n".join(lines) + "\n"


def unknowns_page(sets: list[ntmkit.CriteriaSet], langs: Sequence[Lang] = LANGS) -> str:
    """Every cell that is not known, and every criterion without indicators, per set version."""
    lines = [f"# {_say(langs, 'catalogue.unknowns.title')}", "",
             _say(langs, "catalogue.unknowns.intro"), ""]
    header = " | ".join(_say(langs, f"catalogue.column.{k}")
                        for k in ("indicator", "context", "confidence"))
    for cs in sets:
        listed = cells(cs)
        missing = [c for c in listed if not c.known]
        lines += [f"## {cs.key}", "",
                  _say(langs, "catalogue.unknowns.count", count=len(missing), cells=len(listed)),
                  ""]
        if missing:
            lines += [f"| {header} |", "|---|---|---|"]
            lines += [f"| {_code(c.indicator)} | {_both([_context(c.condition, g) for g in langs])} | "
                      f"{_both([i18n.confidence_name(c.confidence, g) for g in langs])} |"
                      for c in missing]
            lines.append("")
        empty = [c for c in cs.criteria.values() if not c.indicators]
        if empty:
            lines += [f"{_say(langs, 'coverage.empty')}", ""]
            lines += [f"- {_code(c.code)} {_pair(langs, c.name_vi, c.name_en)}" for c in empty]
            lines.append("")
    return "\n".join(lines) + "\n"


def coverage_page(sets: list[ntmkit.CriteriaSet], langs: Sequence[Lang] = LANGS,
                  *, with_cases: bool = True) -> str:
    """The coverage table (``ntmkit criteria coverage``), and the real communes' share."""
    covs = [coverage(cs) for cs in sets]
    levels = [c for c in ntmkit.Confidence if any(cov.count(c) for cov in covs)]
    heads = ([_say(langs, f"coverage.column.{k}") for k in ("set", "cells", "known")]
             + [_both([i18n.confidence_name(c, g) for g in langs]) for c in levels]
             + [_say(langs, f"coverage.column.{k}") for k in ("decidable", "empty")])
    lines = [f"# {_say(langs, 'catalogue.coverage.title')}", "",
             _say(langs, "catalogue.coverage.intro"), "",
             _say(langs, "coverage.cell"), "", _say(langs, "coverage.known"), "",
             _say(langs, "coverage.decidable"), "",
             "| " + " | ".join(heads) + " |",
             "|---|" + "---:|" * (len(heads) - 2) + "---|"]
    for cs, cov in zip(sets, covs, strict=True):
        empty = f"{len(cov.empty_criteria)}/{cov.criteria}" + (
            ": " + ", ".join(map(_code, cov.empty_criteria)) if cov.empty_criteria else "")
        lines.append(f"| {{doc}}`{cs.key} <{_slug(cs.key)}>` | {cov.cells} | "
                     f"{cov.known} ({_share(cov.share_known)}) | "
                     + " | ".join(str(cov.count(c)) for c in levels)
                     + f" | {cov.criteria_decidable}/{cov.criteria} | {empty} |")
    if with_cases:
        lines += ["", coverage_section()]
    return "\n".join(lines) + "\n"


def registry_table(sets: list[ntmkit.CriteriaSet], langs: Sequence[Lang] = LANGS) -> str:
    """The docs index's table of every set version (included by ``index.md``)."""
    heads = [_say(langs, f"catalogue.registry.{k}") for k in ("set", "version", "in_force")]
    heads.insert(3, _say(langs, "catalogue.legal_basis"))
    heads.append(_say(langs, "catalogue.registry.title"))
    lines = ["| " + " | ".join(heads) + " |", "|---|---|---|---|---|"]
    for cs in sets:
        acts = "; ".join([cs.legal_basis.act] + [
            f"{_say(langs, 'catalogue.amended_by')} {a.act}" for a in cs.amended_by])
        span = [i18n.text("catalogue.registry.from", g, date=cs.effective)
                + (" " + i18n.text("catalogue.registry.until", g, date=cs.superseded_on)
                   if cs.superseded_on else "") for g in langs]
        lines.append(f"| {{doc}}`{cs.id} </catalogue/{_slug(cs.key)}>` | `{cs.version}` | "
                     f"{_both(span)} | {_cell(acts)} | "
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
    index = [f"# {_say(LANGS, 'catalogue.title')}", "", _say(LANGS, "catalogue.intro"), "",
             "```{toctree}", ":maxdepth: 1", "", "coverage", "unknowns", *names, "```", ""]
    (folder / "index.md").write_text("\n".join(index), encoding="utf-8")
    return names


def _generate(app: Any) -> None:
    write_catalogue(Path(app.srcdir) / "catalogue")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
