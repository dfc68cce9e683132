"""Compare two criteria-set versions indicator by indicator.

Every :class:`Change` has a *kind*: ``"value"`` (what a commune must reach: threshold values,
thresholds added or removed, units and bounds), ``"structure"`` (rules, criteria, names, dates,
legal basis, region substitutions) or ``"provenance"`` (confidence, sources, notes). People
read values first; :mod:`ntmkit.diff_text` renders a diff in that order.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from ntmkit.model.criteria import (
    Condition,
    CriteriaSet,
    Criterion,
    Indicator,
    RegionSubstitution,
    Threshold,
    canonical_value,
)

__all__ = ["KINDS", "Change", "IndicatorLabel", "SetDiff", "diff"]

#: The kinds of change, in the order people read them.
KINDS = ("value", "structure", "provenance")

_VALUE_FIELDS = frozenset({"value", "upper", "options", "applies", "candidate", "relative_to",
                           "threshold added", "threshold removed", "unit", "minimum", "maximum"})
_PROVENANCE_FIELDS = frozenset({"confidence", "sources", "note", "legal_ref", "code_confidence",
                                "name_vi_reconstructed", "checked_on"})


def _kind_of(change: Change) -> str:
    if change.what in _VALUE_FIELDS:
        return "value"
    if change.what in _PROVENANCE_FIELDS:
        return "provenance"
    return "structure"


@attrs.frozen
class Change:
    """One difference: *what* changed at *where*, from *old* to *new* (``None`` = absent).

    *old* and *new* are JSON-compatible (numbers, text, lists, dicts).  *kind* is one of
    :data:`KINDS` (worked out from *what* when not given); *indicator* and *context* say which
    indicator and which threshold context a change belongs to, where it belongs to one.

    >>> Change("indicator 10", "confidence", "verified", "carried_forward").kind
    'provenance'
    """

    where: str
    what: str
    old: Any
    new: Any
    kind: str = attrs.field(default=attrs.Factory(_kind_of, takes_self=True))
    indicator: str | None = None
    context: Condition | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.old!r} → {self.new!r}"


@attrs.frozen
class IndicatorLabel:
    """The names and unit of an indicator a diff mentions, for people reading the diff."""

    code: str
    name_vi: str
    name_en: str
    unit: str


@attrs.frozen
class SetDiff:
    """What changed between set version *old* and *new*.

    ``added`` and ``removed`` list indicator codes; ``changes`` lists every changed field of
    an indicator kept in both, threshold by threshold, and of the set itself.
    ``criteria_added`` and ``criteria_removed`` list criterion codes; ``labels`` names every
    indicator the diff mentions (from the newer set where it has it).
    """

    old: str
    new: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[Change, ...]
    criteria_added: tuple[str, ...] = ()
    criteria_removed: tuple[str, ...] = ()
    labels: tuple[IndicatorLabel, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the two versions mean the same."""
        return not (self.added or self.removed or self.changes or self.criteria_added
                    or self.criteria_removed)

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        """The changes of one kind (``"value"``, ``"structure"`` or ``"provenance"``)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return tuple(c for c in self.changes if c.kind == kind)

    def label(self, code: str) -> IndicatorLabel | None:
        """The names and unit of indicator *code*, if the diff mentions it."""
        return next((x for x in self.labels if x.code == code), None)

    def as_json(self) -> dict[str, Any]:
        """A JSON-compatible form for tools (``ntmkit criteria diff --format json``)."""
        return {
            "old": self.old,
            "new": self.new,
            "indicators_added": list(self.added),
            "indicators_removed": list(self.removed),
            "criteria_added": list(self.criteria_added),
            "criteria_removed": list(self.criteria_removed),
            "changes": [
                {"kind": c.kind, "where": c.where, "what": c.what, "indicator": c.indicator,
                 "context": None if c.context is None else _plain(c.context),
                 "old": c.old, "new": c.new}
                for kind in KINDS for c in self.of_kind(kind)
            ],
            "labels": {x.code: {"name_vi": x.name_vi, "name_en": x.name_en, "unit": x.unit}
                       for x in self.labels},
        }

    def __str__(self) -> str:
        lines = [f"{self.old} → {self.new}"]
        lines += [f"+ criterion {c}" for c in self.criteria_added]
        lines += [f"- criterion {c}" for c in self.criteria_removed]
        lines += [f"+ indicator {c}" for c in self.added]
        lines += [f"- indicator {c}" for c in self.removed]
        lines += [f"~ {c}" for kind in KINDS for c in self.of_kind(kind)]
        if self.empty:
            lines.append("(no differences)")
        return "\n".join(lines)


_THRESHOLD_FIELDS = ("value", "upper", "options", "applies", "relative_to", "candidate",
                     "confidence", "sources", "legal_ref", "note")
_INDICATOR_FIELDS = ("criterion", "name_vi", "name_en", "unit", "year_dependent", "minimum",
                     "maximum", "by_sex", "applies_if", "children", "code_confidence", "note")
_CRITERION_FIELDS = ("name_vi", "name_en", "indicators_complete", "confidence", "sources",
                     "note")
_SET_FIELDS = ("title_vi", "title_en", "effective", "superseded_on", "superseded_by", "years",
               "criteria_count", "groups", "complete", "requires", "legal_basis", "amended_by",
               "checked_on", "sources", "note")


def _default(value: Any) -> Any:
    if attrs.has(type(value)):
        return attrs.asdict(value, value_serializer=canonical_value)
    return canonical_value(None, None, value)


def _plain(value: Any) -> Any:
    """A JSON-compatible copy of *value* (enums by value, dates as ISO text, tuples as lists)."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _threshold_changes(code: str, a: Indicator, b: Indicator) -> list[Change]:
    out: list[Change] = []
    old: dict[Condition, Threshold] = {t.when: t for t in a.rule.thresholds}
    new: dict[Condition, Threshold] = {t.when: t for t in b.rule.thresholds}
    if a.rule.kind != b.rule.kind:
        out.append(Change(f"indicator {code}", "rule", a.rule.kind.value, b.rule.kind.value,
                          indicator=code))
    for when in [*old, *(w for w in new if w not in old)]:
        where = f"indicator {code} [{when.describe()}]"
        if when not in new:
            out.append(Change(where, "threshold removed", _plain(old[when].value), None,
                              indicator=code, context=when))
        elif when not in old:
            out.append(Change(where, "threshold added", None, _plain(new[when].value),
                              indicator=code, context=when))
        else:
            for name in _THRESHOLD_FIELDS:
                x, y = getattr(old[when], name), getattr(new[when], name)
                if x != y:
                    out.append(Change(where, name, _plain(x), _plain(y), indicator=code,
                                      context=when))
    return out


def _substitution_changes(old: CriteriaSet, new: CriteriaSet) -> list[Change]:
    """Which classes go to which region's column (structure), and the provenance of each."""

    def meaning(subs: tuple[RegionSubstitution, ...]) -> list[dict[str, Any]]:
        return [_plain({"classes": s.classes, "region": s.region}) for s in subs]

    out: list[Change] = []
    if meaning(old.region_substitutions) != meaning(new.region_substitutions):
        out.append(Change("set", "region_substitutions", meaning(old.region_substitutions),
                          meaning(new.region_substitutions)))
    before = {s.region: s for s in old.region_substitutions}
    for s in new.region_substitutions:
        was = before.get(s.region)
        if was is None:
            continue
        for name in ("confidence", "sources", "note"):
            x, y = getattr(was, name), getattr(s, name)
            if x != y:
                out.append(Change(f"region substitution [{s.region.value}]", name, _plain(x),
                                  _plain(y)))
    return out


def _criterion_changes(a: Criterion, b: Criterion, pillar_a: str, pillar_b: str) -> list[Change]:
    where = f"criterion {a.code}"
    out = [Change(where, name, _plain(getattr(a, name)), _plain(getattr(b, name)))
           for name in _CRITERION_FIELDS if getattr(a, name) != getattr(b, name)]
    if pillar_a != pillar_b:
        out.append(Change(where, "pillar", pillar_a, pillar_b))
    return out


def diff(old: CriteriaSet, new: CriteriaSet) -> SetDiff:
    """List what changed from *old* to *new*: indicators added, removed and changed.

    >>> from ntmkit import registry
    >>> d = registry.diff(registry.get("commune/ntm", version="2022-03-08"),
    ...                   registry.get("commune/ntm", version="2024-03-01"))
    >>> d.added, d.removed
    (('15.e_health_records', '17.clean_water', '18.4'), ())
    >>> [c.what for c in d.of_kind("structure") if c.what == "region_substitutions"]
    ['region_substitutions']
    """
    changes: list[Change] = []
    for name in _SET_FIELDS:
        x, y = getattr(old, name), getattr(new, name)
        if x != y:
            changes.append(Change("set", name, _plain(x), _plain(y)))
    changes.extend(_substitution_changes(old, new))
    pillar_of_old = {c.code: p.code for p in old.pillars for c in p.criteria}
    pillar_of_new = {c.code: p.code for p in new.pillars for c in p.criteria}
    for code, criterion in old.criteria.items():
        if code in new.criteria:
            changes.extend(_criterion_changes(criterion, new.criteria[code],
                                              pillar_of_old[code], pillar_of_new[code]))
    for code in old.indicators:
        if code in new.indicators:
            a, b = old.indicators[code], new.indicators[code]
            for name in _INDICATOR_FIELDS:
                x, y = getattr(a, name), getattr(b, name)
                if x != y:
                    changes.append(Change(f"indicator {code}", name, _plain(x), _plain(y),
                                          indicator=code))
            changes.extend(_threshold_changes(code, a, b))
    added = tuple(c for c in new.indicators if c not in old.indicators)
    removed = tuple(c for c in old.indicators if c not in new.indicators)
    mentioned = {*added, *removed, *(c.indicator for c in changes if c.indicator)}
    labels = tuple(
        IndicatorLabel(code, i.name_vi, i.name_en, i.unit)
        for code in [*old.indicators, *added] if code in mentioned
        for i in [new.indicators.get(code) or old.indicators[code]]
    )
    return SetDiff(
        old=old.key,
        new=new.key,
        added=added,
        removed=removed,
        changes=tuple(changes),
        criteria_added=tuple(c for c in new.criteria if c not in old.criteria),
        criteria_removed=tuple(c for c in old.criteria if c not in new.criteria),
        labels=labels,
    )
