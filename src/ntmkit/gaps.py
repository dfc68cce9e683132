"""Gap analysis: what separates a unit from the next tier, and how far.

* :func:`assessment_gaps` lists an assessment's unmet indicators (with those of its
  prerequisite sets), each with its distance in the indicator's unit and as a share of the
  threshold, ordered by that share, and its unknown indicators apart;
* :func:`next_tier` reads one commune's assessments along the ladder
  (NTM → nâng cao → kiểu mẫu) and says which tier it holds, which is next, and what it lacks;
* :func:`tier_gaps` assesses a commune along the ladder and calls :func:`next_tier`;
* :func:`gaps_frame` gives the same figures as columns for :func:`ntmkit.assess_frame`.

The relative distance of a yes/no (or one-of) indicator that is not met is 1: the whole
requirement is missing.  A numeric indicator whose threshold is 0 has no relative distance
(``None``) and sorts after the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ntmkit.errors import InvalidValue
from ntmkit.i18n import Lang
from ntmkit.model.enums import RuleKind, Tier, Verdict
from ntmkit.model.results import Assessment, IndicatorResult

if TYPE_CHECKING:
    import pandas as pd

    from ntmkit.model.criteria import CriteriaSet
    from ntmkit.model.places import Commune
    from ntmkit.registry import CriteriaRegistry
    from ntmkit.scoring import Strict, ThresholdPolicy

__all__ = [
    "LADDER",
    "IndicatorGap",
    "TierGap",
    "Undecided",
    "assessment_gaps",
    "criteria_lacking",
    "gaps_frame",
    "in_force",
    "next_tier",
    "set_tier",
    "tier_gaps",
]

#: The commune ladders, lowest first (each tier requires the one before): NTM → nâng cao →
#: kiểu mẫu in 2021–2025, NTM → hiện đại (pilot) from 2026.  Looked up by date, a set with no
#: version in force is left out, so one ladder serves both periods.
LADDER = ("commune/ntm", "commune/ntm-advanced", "commune/ntm-model", "commune/ntm-modern")
_ORDER = {Tier.NTM: 0, Tier.ADVANCED: 1, Tier.MODEL: 2, Tier.MODERN: 1}


@attrs.frozen
class IndicatorGap:
    """An unmet indicator: how far its value is from the threshold.

    ``distance`` is in ``unit`` (always positive); ``relative`` is ``distance`` as a share
    of the threshold (0.1 = 10 % short), 1 for an unmet yes/no indicator, ``None`` when
    the threshold is 0 or unknown.  ``set_key`` names the set the indicator belongs to (a
    prerequisite set's indicators appear with that set's key).
    """

    set_key: str
    indicator: str
    criterion: str
    name_vi: str
    name_en: str
    value: float | bool | str | None
    threshold: float | None
    distance: float | None
    relative: float | None
    unit: str
    rule: RuleKind

    @property
    def sort_key(self) -> tuple[bool, float]:
        """Ordering: by relative distance, those without one last."""
        return (self.relative is None, self.relative or 0.0)


@attrs.frozen
class Undecided:
    """An indicator whose verdict is UNKNOWN, and why ("cannot be decided without …")."""

    set_key: str
    indicator: str
    criterion: str
    name_vi: str
    name_en: str
    reason: str

    def reason_text(self, lang: Lang = "vi") -> str:
        """:attr:`reason` said in *lang* (Vietnamese by default), from the message catalogue.

        >>> Undecided("commune/ntm@2024-03-01", "10", "10", "", "", "no data").reason_text()
        'chưa có số liệu'
        """
        from ntmkit.i18n import reasons

        return reasons.translate(self.reason, lang)


def _relative(r: IndicatorResult) -> float | None:
    if r.rule in (RuleKind.ACHIEVED, RuleKind.ONE_OF):
        return 1.0
    t = r.threshold
    if r.gap is None or t is None or t.value is None or t.value == 0:
        return None
    base = t.value
    if r.rule is RuleKind.BETWEEN and isinstance(r.value, float) and t.upper is not None \
            and r.value > t.upper:
        base = t.upper
    return abs(r.gap / base) if base else None


def _walk(a: Assessment, seen: set[str]) -> Iterable[tuple[str, Assessment]]:
    key = f"{a.set_id}@{a.set_version}"
    if key in seen:
        return
    seen.add(key)
    yield key, a
    for pre in a.prerequisites:
        yield from _walk(pre, seen)


def assessment_gaps(assessment: Assessment) -> tuple[tuple[IndicatorGap, ...],
                                                     tuple[Undecided, ...]]:
    """The unmet indicators of *assessment* and its prerequisites, and the unknown ones.

    Unmet indicators come ordered by relative distance (closest first); unknown
    indicators are listed apart, in table order, each with the reason it is undecided.
    """
    gaps: list[IndicatorGap] = []
    unknown: list[Undecided] = []
    for key, a in _walk(assessment, set()):
        for r in a.indicators.values():
            if r.verdict is Verdict.NOT_MET:
                t = r.threshold
                gaps.append(IndicatorGap(
                    set_key=key, indicator=r.code, criterion=r.criterion, name_vi=r.name_vi,
                    name_en=r.name_en, value=r.value,
                    threshold=t.value if t is not None else None, distance=r.gap,
                    relative=_relative(r), unit=r.unit, rule=r.rule))
            elif r.verdict is Verdict.UNKNOWN:
                unknown.append(Undecided(key, r.code, r.criterion, r.name_vi, r.name_en,
                                         r.reason))
        for c in a.criteria.values():
            if c.verdict is Verdict.UNKNOWN and not c.indicators_complete:
                unknown.append(Undecided(key, "", c.code, c.name_vi, c.name_en,
                                         "indicators not in the registry"))
    gaps.sort(key=lambda g: g.sort_key)
    return tuple(gaps), tuple(unknown)


def criteria_lacking(assessment: Assessment) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Criteria not met and criteria unknown, over *assessment* and its prerequisites.

    A prerequisite set's criteria are written ``<set id>:<code>``.
    """
    failed: list[str] = []
    unknown: list[str] = []
    for n, (_, a) in enumerate(_walk(assessment, set())):
        prefix = "" if n == 0 else f"{a.set_id}:"
        for c in a.criteria.values():
            if c.verdict is Verdict.NOT_MET:
                failed.append(prefix + c.code)
            elif c.verdict is Verdict.UNKNOWN:
                unknown.append(prefix + c.code)
    return tuple(failed), tuple(unknown)


@attrs.frozen
class TierGap:
    """Where one commune stands on the ladder and what the next tier asks of it.

    ``reached`` is the highest tier whose set (and every set below it) is met; ``next``
    the tier above (``None`` at the top); ``verdict`` the verdict on the next tier's set.
    ``gaps`` are ordered by relative distance; ``unknowns`` are the indicators without
    which the next tier cannot be decided.
    """

    unit: str
    name: str
    reached: Tier | None
    next: Tier | None
    set_key: str | None
    verdict: Verdict | None
    criteria_not_met: tuple[str, ...]
    criteria_unknown: tuple[str, ...]
    gaps: tuple[IndicatorGap, ...]
    unknowns: tuple[Undecided, ...]


def next_tier(assessments: Iterable[Assessment], *,
              registry: CriteriaRegistry | None = None,
              sets: Iterable[CriteriaSet] = ()) -> TierGap:
    """One commune's position on the ladder, from its assessments against the ladder's sets.

    The assessments may come in any order; each must be of the same unit and against a set
    with a tier (found among *sets*, else in *registry*, the shipped one by default).  A
    tier is reached when its set and every set below it are met.
    """
    items = list(assessments)
    known = tuple(sets)
    tiers = {id(a): set_tier(a, registry, known) for a in items}
    items.sort(key=lambda a: _ORDER[tiers[id(a)]])
    if not items:
        raise InvalidValue("next_tier needs at least one assessment")
    codes = {a.unit.code for a in items}
    if len(codes) > 1:
        raise InvalidValue(f"next_tier takes one unit's assessments, got units "
                           f"{', '.join(sorted(map(str, codes)))}")
    reached: Tier | None = None
    for a in items:
        if a.verdict is not Verdict.MET:
            gaps, unknowns = assessment_gaps(a)
            failed, unknown = criteria_lacking(a)
            return TierGap(str(a.unit.code), a.unit.name, reached, tiers[id(a)],
                           f"{a.set_id}@{a.set_version}", a.verdict, failed, unknown,
                           gaps, unknowns)
        reached = tiers[id(a)]
    top = items[-1]
    return TierGap(str(top.unit.code), top.unit.name, reached, None, None, None, (), (), (), ())


def set_tier(a: Assessment, registry: CriteriaRegistry | None = None,
             sets: Iterable[CriteriaSet] = ()) -> Tier:
    """The tier of the set *a* was assessed against.

    Looked up among *sets* (for derived sets, which no registry holds), then in *registry*
    (the shipped one by default).
    """
    from ntmkit import registry as _registry
    from ntmkit.errors import NtmkitError

    if a.tier is not None:
        return a.tier
    for cs in sets:
        if cs.id == a.set_id and cs.version == a.set_version and cs.tier is not None:
            return cs.tier
    reg = registry if registry is not None else _registry.default()
    try:
        tier = reg.get(f"{a.set_id}@{a.set_version}").tier
    except NtmkitError:
        tier = None
    if tier is None:
        raise InvalidValue(f"{a.set_id}@{a.set_version} has no tier in the registry: assess "
                           "against the sets of a ladder (commune/ntm, commune/ntm-advanced, "
                           "commune/ntm-model), or pass the registry that holds your sets")
    return tier


def tier_gaps(
    unit: Commune, observations: Mapping[str, object], *, year: int | None = None,
    on: dt.date | None = None, ladder: Sequence[str | CriteriaSet] = LADDER,
    registry: CriteriaRegistry | None = None, strict: Strict = "warn",
    thresholds: ThresholdPolicy = "published",
) -> TierGap:
    """Assess *unit* along *ladder* and return its :class:`TierGap`.

    *ladder* holds set ids (resolved for *on*, or 31 December of *year*) or sets.

    Observations for indicators a set does not have are left out of that set's assessment;
    *strict* and *thresholds* are passed to :func:`ntmkit.assess`.
    """
    from ntmkit import registry as _registry
    from ntmkit.scoring import assess

    reg = registry if registry is not None else _registry.default()
    when = on if on is not None else dt.date(year, 12, 31) if year is not None else None
    sets = in_force(ladder, when, reg)
    out = []
    for cs in sets:
        from ntmkit.scoring import observable_indicators

        known = observable_indicators(cs, reg)
        subset = {k: v for k, v in observations.items() if k in known}
        out.append(assess(unit, subset, cs, year=year, on=on, registry=reg,
                          strict=strict, thresholds=thresholds))
    return next_tier(out, registry=reg, sets=sets)


def in_force(ladder: Sequence[str | CriteriaSet], when: dt.date | None,
             registry: CriteriaRegistry) -> list[CriteriaSet]:
    """The sets of *ladder* for the date *when*.

    A set id takes the version in force on *when* (a set with none is left out);
    ``"id@version"`` and a :class:`~ntmkit.CriteriaSet` are used as they are.
    """
    from ntmkit.errors import UnknownCriteriaSet

    out: list[CriteriaSet] = []
    for s in ladder:
        if not isinstance(s, str):
            out.append(s)
        elif "@" in s:
            out.append(registry.get(s))
        elif when is None:
            raise InvalidValue("give year= or on= to pick the sets in force, or pin each set "
                               "as 'id@version'")
        else:
            try:
                out.append(registry.get(s, on=when))
            except UnknownCriteriaSet:
                continue
    if not out:
        raise InvalidValue(f"no set of the ladder ({', '.join(map(str, ladder))}) is in force "
                           f"on {when}")
    return out


def gaps_frame(
    frame: Any, criteria_set: CriteriaSet, *, assessed: Any = None, **kwargs: Any,
) -> pd.DataFrame:
    """Gap columns for a frame of communes (one row per commune, as for ``assess_frame``).

    *assessed* is the result of :func:`ntmkit.assess_frame` on *frame* (computed here with
    *kwargs* when not given).  Returns, on the same index: ``lacking`` (criteria not met),
    ``unknown`` (criteria unknown), ``distance`` (the sum of the relative distances of the
    unmet numeric indicators), ``nearest`` (the unmet indicator closest to its threshold),
    ``rel:<indicator>`` (each unmet numeric indicator's distance as a share of its
    threshold) and ``rank`` (1 = lacks least: fewest criteria not met, then smallest
    distance).  A prerequisite set that is not met (``requires:`` columns) counts as one
    criterion more.  Values must be in the indicators' units.
    """
    import numpy as np
    import pandas as pd

    from ntmkit.batch import assess_frame

    if assessed is None:
        assessed = assess_frame(frame, criteria_set, **kwargs)
    criteria = [c for c in assessed.columns if str(c).startswith("c:")]
    lacking = (assessed[criteria] == "not_met").sum(axis=1).astype(np.int64)
    prerequisites = [c for c in assessed.columns if str(c).startswith("requires:")]
    if prerequisites:
        lacking = lacking + (assessed[prerequisites].astype(str) == "not_met").sum(axis=1)
    unknown = (assessed[criteria] == "unknown").sum(axis=1).astype(np.int64)
    rel: dict[str, Any] = {}
    for code, ind in criteria_set.indicators.items():
        column = f"gap:{code}"
        if column not in assessed.columns or ind.rule.kind not in (RuleKind.AT_LEAST,
                                                                    RuleKind.AT_MOST):
            continue
        if code in frame.columns:
            value = pd.to_numeric(frame[code], errors="coerce").to_numpy(dtype=float)
        elif f"{code}:men" in frame.columns:
            value = np.minimum(
                pd.to_numeric(frame[f"{code}:men"], errors="coerce").to_numpy(dtype=float),
                pd.to_numeric(frame[f"{code}:women"], errors="coerce").to_numpy(dtype=float))
        else:
            continue
        gap = assessed[column].to_numpy(dtype=float)
        threshold = value + gap if ind.rule.kind is RuleKind.AT_LEAST else value - gap
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(threshold != 0, gap / np.abs(threshold), np.nan)
        rel[f"rel:{code}"] = share
    rel_frame = pd.DataFrame(rel, index=assessed.index)
    distance = rel_frame.sum(axis=1, min_count=1).fillna(0.0) if rel else \
        pd.Series(0.0, index=assessed.index)
    nearest = pd.Series(None, index=assessed.index, dtype=object)
    if rel:
        closest = rel_frame.fillna(np.inf).idxmin(axis=1).str.slice(4)
        nearest = closest.where(rel_frame.notna().any(axis=1), None)
    out = pd.DataFrame({"lacking": lacking, "unknown": unknown, "distance": distance,
                        "nearest": nearest}, index=assessed.index)
    order = np.lexsort((out["unknown"].to_numpy(), out["distance"].to_numpy(),
                        out["lacking"].to_numpy()))
    rank = np.empty(len(out), dtype=np.int64)
    rank[order] = np.arange(1, len(out) + 1)
    out["rank"] = rank
    return pd.concat([out, rel_frame], axis=1)
