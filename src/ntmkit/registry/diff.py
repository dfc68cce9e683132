"""Compare two criteria-set versions indicator by indicator."""

from __future__ import annotations

import json
from typing import Any

import attrs

from ntmkit.model.criteria import (
    Condition,
    CriteriaSet,
    Indicator,
    Threshold,
    canonical_value,
)

__all__ = ["Change", "SetDiff", "diff"]


@attrs.frozen
class Change:
    """One difference: *what* changed at *where*, from *old* to *new* (``None`` = absent).

    *old* and *new* are JSON-compatible (numbers, text, lists, dicts).
    """

    where: str
    what: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.old!r} → {self.new!r}"


@attrs.frozen
class SetDiff:
    """What changed between set version *old* and *new*.

    ``added`` and ``removed`` list indicator codes; ``changes`` lists every changed field of
    an indicator kept in both, threshold by threshold, and of the set itself.
    """

    old: str
    new: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        """Whether the two versions mean the same."""
        return not (self.added or self.removed or self.changes)

    def __str__(self) -> str:
        lines = [f"{self.old} → {self.new}"]
        lines += [f"+ indicator {c}" for c in self.added]
        lines += [f"- indicator {c}" for c in self.removed]
        lines += [f"~ {c}" for c in self.changes]
        if self.empty:
            lines.append("(no differences)")
        return "\n".join(lines)


_THRESHOLD_FIELDS = ("value", "upper", "options", "applies", "confidence", "sources",
                     "legal_ref", "candidate", "note")
_INDICATOR_FIELDS = ("criterion", "name_vi", "name_en", "unit", "year_dependent", "minimum",
                     "maximum", "code_confidence")
_SET_FIELDS = ("effective", "superseded_on", "years", "criteria_count", "complete", "requires",
               "region_substitutions", "legal_basis", "amended_by")


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
        out.append(Change(f"indicator {code}", "rule", a.rule.kind.value, b.rule.kind.value))
    for when in [*old, *(w for w in new if w not in old)]:
        where = f"indicator {code} [{when.describe()}]"
        if when not in new:
            out.append(Change(where, "threshold removed", _plain(old[when].value), None))
        elif when not in old:
            out.append(Change(where, "threshold added", None, _plain(new[when].value)))
        else:
            for name in _THRESHOLD_FIELDS:
                x, y = getattr(old[when], name), getattr(new[when], name)
                if x != y:
                    out.append(Change(where, name, _plain(x), _plain(y)))
    return out


def diff(old: CriteriaSet, new: CriteriaSet) -> SetDiff:
    """List what changed from *old* to *new*: indicators added, removed and changed.

    >>> from ntmkit import registry
    >>> d = registry.diff(registry.get("commune/ntm", version="2022-03-08"),
    ...                   registry.get("commune/ntm", version="2024-03-01"))
    >>> d.added, d.removed
    (('15.e_health_records', '17.clean_water', '18.4'), ())
    """
    changes: list[Change] = []
    for name in _SET_FIELDS:
        x, y = getattr(old, name), getattr(new, name)
        if x != y:
            changes.append(Change("set", name, _plain(x), _plain(y)))
    for code in old.indicators:
        if code in new.indicators:
            a, b = old.indicators[code], new.indicators[code]
            for name in _INDICATOR_FIELDS:
                x, y = getattr(a, name), getattr(b, name)
                if x != y:
                    changes.append(Change(f"indicator {code}", name, _plain(x), _plain(y)))
            changes.extend(_threshold_changes(code, a, b))
    return SetDiff(
        old=old.key,
        new=new.key,
        added=tuple(c for c in new.indicators if c not in old.indicators),
        removed=tuple(c for c in old.indicators if c not in new.indicators),
        changes=tuple(changes),
    )
