"""A criteria-set diff as people read it: values first, then rules as sentences, then provenance.

``ntmkit criteria diff`` prints :func:`render`; tools use ``--format json``
(:meth:`ntmkit.registry.SetDiff.as_json`).
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from typing import Any

from ntmkit import i18n
from ntmkit.i18n import Lang
from ntmkit.model.criteria import Condition
from ntmkit.model.enums import CommuneClass, Region
from ntmkit.registry.diff import Change, SetDiff

__all__ = ["render"]

WIDTH = 100

#: Fields whose old and new text is in one language: in the other, the change is named
#: without quoting the text (a Vietnamese reader is told the English name was edited).
_OTHER_LANGUAGE = {"vi": frozenset({"name_en", "title_en"}), "en": frozenset()}


def _w(key: str, lang: Lang, **fields: Any) -> str:
    return i18n.text(f"diff.{key}", lang, **fields)


def _field(name: str, lang: Lang) -> str:
    try:
        return i18n.text(f"diff.field.{name}", lang)
    except KeyError:
        return name


def _join(names: list[str], lang: Lang) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + i18n.text("common.and", lang) + names[-1]


def _context(when: Condition | None, lang: Lang) -> str:
    return "" if when is None else i18n.context_name(when, lang)


def _value(value: Any, what: str, lang: Lang, unit: str = "") -> str:
    """A value of a change as a person reads it (no raw dicts)."""
    if value is None:
        return (_w("unknown", lang) if what in ("value", "upper")
                else f"({i18n.text('common.none', lang)})")
    if isinstance(value, bool):
        return i18n.text("common.yes" if value else "common.no", lang)
    if what in ("confidence", "code_confidence") and isinstance(value, str):
        return i18n.confidence_name(value, lang)
    if what == "rule" and isinstance(value, str):
        return i18n.rule_symbol(value, lang)
    if what == "unit" and isinstance(value, str):
        return i18n.unit_name(value, lang)
    if isinstance(value, dict):
        if {"set", "indicator", "factor"} <= value.keys():
            return f"{value['factor'] * 100:g} % × {value['set']} {value['indicator']}"
        if "url" in value and "id" in value:
            return f"{value['id']} ({value['url']})"  # a source: its id and address
        if "act" in value:
            return str(value["act"]) + (f" ({value['date']})" if value.get("date") else "")
        return "; ".join(f"{k}={_value(v, k, lang)}" for k, v in value.items()
                         if v not in (None, ""))
    if isinstance(value, list):
        return (", ".join(_value(v, what, lang) for v in value)
                or f"({i18n.text('common.none', lang)})")
    if isinstance(value, float):
        value = f"{value:g}"
    text = str(value)
    return f"{text} {unit}" if unit and what in ("value", "upper", "threshold added",
                                                 "threshold removed") else text


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_long_words=True) or [indent]


def _region(code: str, lang: Lang) -> str:
    return i18n.region_name(Region(code), lang)


def _class_names(classes: set[str], lang: Lang) -> list[str]:
    return sorted(i18n.class_name(CommuneClass(c), lang) for c in classes)


def _substitution_sentences(change: Change, lang: Lang) -> list[str]:
    old = {s["region"]: set(s["classes"]) for s in change.old}
    new = {s["region"]: set(s["classes"]) for s in change.new}
    out = []
    for region in [*new, *(r for r in old if r not in new)]:
        name = _region(region, lang)
        if region not in old:
            names = _join(_class_names(new[region], lang), lang)
            out.append(_w("sub_new", lang, names=names, region=name) + ".")
        elif region not in new:
            names = _join(_class_names(old[region], lang), lang)
            out.append(_w("sub_dropped", lang, names=names, region=name) + ".")
        else:
            parts = []
            for key, classes in (("sub_now", new[region] - old[region]),
                                 ("sub_gone", old[region] - new[region]),
                                 ("sub_kept", new[region] & old[region])):
                if classes:
                    parts.append(_w(key, lang, names=_join(_class_names(classes, lang), lang)))
            out.append(_w("region_sub", lang, region=name) + ": " + "; ".join(parts) + ".")
    return out


def _sentence(change: Change, lang: Lang) -> list[str]:
    if change.what == "region_substitutions":
        return _substitution_sentences(change, lang)
    if change.what == "amended_by":
        olds = {_value(a, "amended_by", lang) for a in change.old or []}
        news = {_value(a, "amended_by", lang) for a in change.new or []}
        out = []
        if news - olds:
            out.append(_w("amend_added", lang, acts=_join(sorted(news - olds), lang)) + ".")
        if olds - news:
            out.append(_w("amend_removed", lang, acts=_join(sorted(olds - news), lang)) + ".")
        return out
    subject = "" if change.where == "set" else _where(change, lang) + " — "
    what = _field(change.what, lang)
    what = what[0].upper() + what[1:] if not subject else what
    if change.what in _OTHER_LANGUAGE[lang]:
        return [subject + _w("changed_text", lang, what=what) + "."]
    return [subject + _w("changed", lang, what=what, old=_value(change.old, change.what, lang),
                         new=_value(change.new, change.what, lang)) + "."]


def _where(change: Change, lang: Lang) -> str:
    if change.indicator is not None:
        head = _w("indicator", lang, code=change.indicator)
        return head + (f" [{_context(change.context, lang)}]" if change.context else "")
    if change.where.startswith("criterion "):
        return _w("criterion", lang, code=change.where.split(" ", 1)[1])
    if change.where.startswith("region substitution ["):
        code = change.where[len("region substitution ["):-1]
        return _w("substitution", lang, region=_region(code, lang))
    return change.where


def _indicator_head(d: SetDiff, code: str, lang: Lang) -> str:
    label = d.label(code)
    if label is None:
        return code
    name = label.name_vi if lang == "vi" else label.name_en
    return f"{code} {name} ({i18n.unit_name(label.unit, lang)})"


def _values(d: SetDiff, lang: Lang) -> list[str]:
    changes = d.of_kind("value")
    n = len(changes) + len(d.added) + len(d.removed)
    if not n:
        return [f"{_w('values', lang)}: {_w('no_change', lang)}"]
    lines = [f"{_w('values', lang)} ({_w('count', lang, n=n)}):"]
    for code in d.added:
        lines += _wrap(f"+ {_indicator_head(d, code, lang)} — {_w('added_ind', lang)}", "  ")
    for code in d.removed:
        lines += _wrap(f"- {_indicator_head(d, code, lang)} — {_w('removed_ind', lang)}", "  ")
    by_indicator: dict[str | None, list[Change]] = defaultdict(list)
    for c in changes:
        by_indicator[c.indicator].append(c)
    for key, group in by_indicator.items():
        label = d.label(key) if key else None
        unit = i18n.unit_name(label.unit, lang) if label else ""
        lines += _wrap(_indicator_head(d, key, lang) if key else _w("values", lang), "  ")
        for c in group:
            ctx = _context(c.context, lang) if c.context is not None else ""
            if c.what == "threshold added":
                text = f"{_w('thr_added', lang)}: {_value(c.new, 'value', lang, unit)}"
            elif c.what == "threshold removed":
                text = f"{_w('thr_removed', lang)} ({_value(c.old, 'value', lang, unit)})"
            else:
                text = (f"{_field(c.what, lang)}: {_value(c.old, c.what, lang, unit)} → "
                        f"{_value(c.new, c.what, lang, unit)}")
            lines += _wrap(f"{ctx}: {text}" if ctx else text, "    ")
    return lines


def _structure(d: SetDiff, lang: Lang) -> list[str]:
    changes = d.of_kind("structure")
    sentences: list[str] = []
    if d.criteria_added:
        sentences.append(_w("added_crit", lang, codes=", ".join(d.criteria_added)))
    if d.criteria_removed:
        sentences.append(_w("removed_crit", lang, codes=", ".join(d.criteria_removed)))
    for c in changes:
        sentences += _sentence(c, lang)
    if not sentences:
        return [f"{_w('structure', lang)}: {_w('no_change', lang)}"]
    lines = [f"{_w('structure', lang)} ({_w('count', lang, n=len(sentences))}):"]
    for s in sentences:
        lines += _wrap(f"- {s}", "  ")
    return lines


def _provenance(d: SetDiff, lang: Lang, full: bool) -> list[str]:
    changes = d.of_kind("provenance")
    if not changes:
        return [f"{_w('provenance', lang)}: {_w('no_change', lang)}"]
    head = f"{_w('provenance', lang)} ({_w('count', lang, n=len(changes))}"
    lines = [head + ("):" if full else f"; {_w('see_all', lang)}):")]
    if full:
        for c in changes:
            lines += _wrap(f"- {_where(c, lang)} — {_field(c.what, lang)}: "
                           f"{_value(c.old, c.what, lang)} → {_value(c.new, c.what, lang)}", "  ")
        return lines
    by_field = Counter(c.what for c in changes)
    for what, n in by_field.most_common():
        detail = ""
        if what == "confidence":
            moves = Counter((c.old, c.new) for c in changes if c.what == what)
            detail = ": " + "; ".join(
                f"{_value(o, what, lang)} → {_value(n_, what, lang)} {k}"
                for (o, n_), k in moves.most_common())
        lines += _wrap(f"- {_field(what, lang)}: {n}{detail}", "  ")
    return lines


def render(d: SetDiff, lang: Lang = "vi", full: bool = False) -> str:
    """*d* as text of at most 100 characters a line, in ``"vi"`` or ``"en"``.

    Every word comes from the message catalogue (:mod:`ntmkit.i18n`, section ``diff``, with
    the names of regions, commune classes, confidence levels and units of ``common`` and
    ``units``).

    Value changes come first, indicator by indicator and context by context (old → new); then
    rule and structure changes as sentences; then provenance (confidence, sources, notes),
    counted, or listed in full when *full*.

    >>> from ntmkit import registry
    >>> d = registry.diff(registry.get("commune/ntm@2022-03-08"),
    ...                   registry.get("commune/ntm@2024-03-01"))
    >>> print(render(d, "en").splitlines()[0])
    Changes commune/ntm@2022-03-08 → commune/ntm@2024-03-01
    """
    lang = i18n.check_lang(lang)
    lines = [_w("title", lang, old=d.old, new=d.new), ""]
    lines += [*_values(d, lang), "", *_structure(d, lang), "", *_provenance(d, lang, full)]
    return "\n".join(lines) + "\n"
