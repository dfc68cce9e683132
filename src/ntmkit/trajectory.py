"""A commune's history: a panel of yearly observations, each assessed with the set in force.

:func:`history` takes one row per commune and year and returns each commune's
:class:`Trajectory`: the criteria met each year, the tier gained or lost, the indicators
that fell below a threshold after the commune held its tier (what the revocation checks of
18/2022/QĐ-TTg look at — the check itself is run each year the commune holds a tier), and
the year-on-year change of income against the threshold, which rises every year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ntmkit.errors import InvalidValue
from ntmkit.gaps import LADDER, TierGap, in_force, next_tier, set_tier
from ntmkit.model.criteria import CriteriaSet
from ntmkit.model.enums import Tier, Verdict
from ntmkit.model.places import Commune
from ntmkit.model.results import Assessment
from ntmkit.rollup import Recognition, RevocationCheck, revocation_check

if TYPE_CHECKING:
    from ntmkit.registry import CriteriaRegistry
    from ntmkit.scoring import Strict, ThresholdPolicy

__all__ = ["Regression", "TierChange", "Trajectory", "YearState", "history"]

_ORDER = {Tier.NTM: 0, Tier.ADVANCED: 1, Tier.MODEL: 2, Tier.MODERN: 1}


@attrs.frozen
class Regression:
    """An indicator met one year and not met the next, while the commune held a tier."""

    year: int
    set_key: str
    indicator: str
    criterion: str
    previous: float | bool | str | None
    value: float | bool | str | None
    threshold: float | None


@attrs.frozen
class TierChange:
    """The tier reached changed between two consecutive observed years."""

    year: int
    before: Tier | None
    after: Tier | None

    @property
    def gained(self) -> bool:
        """Whether the commune moved up the ladder."""
        return _rank(self.after) > _rank(self.before)


def _rank(tier: Tier | None) -> int:
    return -1 if tier is None else _ORDER[tier]


@attrs.frozen
class YearState:
    """One year of a trajectory.

    ``reached`` is the tier the year's data reach; ``held`` the tier the commune holds
    (its recognition on 31 December when recognitions are given, otherwise the highest
    tier reached in an earlier year).  ``met``/``total`` count the criteria of the first
    set of the ladder.  ``income`` is the income indicator's value, ``income_threshold``
    the threshold of the set of the held tier (of the first set while none is held),
    ``income_thresholds`` the threshold of each tier's set that year, and the ``*_change``
    fields the change from the previous observed year (the threshold's for the same tier).
    ``revocation`` is the revocation check of the held tier's test set (the NTM set for
    NTM, the advanced set for advanced and model), ``None`` while no tier is held.
    """

    year: int
    reached: Tier | None
    held: Tier | None
    met: int
    total: int
    gap: TierGap
    assessments: tuple[Assessment, ...]
    income: float | None = None
    income_threshold: float | None = None
    income_thresholds: Mapping[Tier, float] = attrs.field(factory=dict)
    income_change: float | None = None
    threshold_change: float | None = None
    revocation: RevocationCheck | None = None

    @property
    def income_margin(self) -> float | None:
        """``income - income_threshold`` (negative: below the threshold)."""
        if self.income is None or self.income_threshold is None:
            return None
        return self.income - self.income_threshold


@attrs.frozen
class Trajectory:
    """A commune's years, tier changes and regressions, oldest first."""

    unit: str
    name: str
    years: tuple[YearState, ...]
    changes: tuple[TierChange, ...]
    regressions: tuple[Regression, ...]

    @property
    def lost(self) -> tuple[TierChange, ...]:
        """The changes that moved the commune down the ladder."""
        return tuple(c for c in self.changes if not c.gained)


def _rows(panel: Any) -> list[tuple[Commune, int, Mapping[str, object]]]:
    out = []
    for n, row in enumerate(panel):
        if hasattr(row, "commune") and hasattr(row, "observations"):
            unit, year, obs = row.commune, row.year, row.observations
        else:
            try:
                unit, year, obs = row
            except (TypeError, ValueError):
                raise InvalidValue(f"panel row {n}: give (commune, year, observations) or an "
                                   "observation record with a year") from None
        if not isinstance(year, int) or isinstance(year, bool):
            raise InvalidValue(f"panel row {n} ({getattr(unit, 'code', '?')}): no year; every "
                               "row of a panel needs one")
        if not isinstance(unit, Commune):
            raise InvalidValue(f"panel row {n}: expected a Commune, got "
                               f"{type(unit).__name__}")
        out.append((unit, year, obs))
    return out


def history(
    panel: Iterable[Any],
    *,
    ladder: Sequence[str | CriteriaSet] = LADDER,
    recognitions: Iterable[Recognition] = (),
    income: str = "10",
    registry: CriteriaRegistry | None = None,
    strict: Strict = "warn", thresholds: ThresholdPolicy = "published",
) -> dict[str, Trajectory]:
    """Assess a panel (one row per commune and year) and return each commune's trajectory.

    *panel* rows are ``(Commune, year, observations)`` or observation records with a year
    (:func:`ntmkit.io.read_observations`).  Each row is assessed against every set of
    *ladder* — a set id takes the version in force on 31 December of the row's year (a
    set with no version in force that year is left out); ``"id@version"`` and a
    :class:`~ntmkit.CriteriaSet` are used as they are.  *recognitions* say which tier
    each commune holds; without them a tier reached one year counts as held from the next.
    *strict* and *thresholds* are passed to :func:`ntmkit.assess`.  Returns trajectories
    by commune code, in the panel's order.
    """
    from ntmkit import registry as _registry
    from ntmkit.scoring import assess, observable_indicators

    reg = registry if registry is not None else _registry.default()
    rows = _rows(panel)
    recs: dict[str, list[Recognition]] = {}
    for r in recognitions:
        recs.setdefault(r.unit, []).append(r)
    by_unit: dict[str, list[tuple[Commune, int, Mapping[str, object]]]] = {}
    for unit, year, obs in rows:
        by_unit.setdefault(str(unit.code), []).append((unit, year, obs))
    out: dict[str, Trajectory] = {}
    for code, items in by_unit.items():
        items.sort(key=lambda r: r[1])
        years = [y for _, y, _ in items]
        if len(set(years)) != len(years):
            raise InvalidValue(f"commune {code}: two rows for the same year")
        states: list[YearState] = []
        changes: list[TierChange] = []
        regressions: list[Regression] = []
        best_so_far: Tier | None = None
        for unit, year, obs in items:
            on = dt.date(year, 12, 31)
            try:
                sets = in_force(ladder, on, reg)
            except InvalidValue:
                raise InvalidValue(f"commune {code}, {year}: no set of the ladder is in "
                                   "force that year") from None
            assessments = []
            for cs in sets:
                known = observable_indicators(cs, reg)
                subset = {k: v for k, v in obs.items() if k in known}
                assessments.append(assess(unit, subset, cs, year=year, registry=reg,
                                          strict=strict, thresholds=thresholds))
            gap = next_tier(assessments, registry=reg, sets=sets)
            tiers = {id(a): set_tier(a, reg, sets) for a in assessments}
            held = _held(recs.get(code, []), on) if code in recs else best_so_far
            first = assessments[0]
            state = _state(year, gap, held, first, assessments, tiers, income,
                           states[-1] if states else None)
            if states and states[-1].reached != gap.reached:
                changes.append(TierChange(year, states[-1].reached, gap.reached))
            if states and held is not None:
                regressions.extend(_regressions(year, states[-1], state, held, tiers))
            states.append(state)
            if gap.reached is not None and _rank(gap.reached) > _rank(best_so_far):
                best_so_far = gap.reached
        unit0 = items[0][0]
        out[code] = Trajectory(code, unit0.name, tuple(states), tuple(changes),
                               tuple(regressions))
    return out


def _held(recognitions: list[Recognition], on: dt.date) -> Tier | None:
    best: Tier | None = None
    for tier in (Tier.NTM, Tier.ADVANCED, Tier.MODEL):
        if any(r.holds(tier, on) for r in recognitions):
            best = tier
    return best


def _test_set(assessments: Sequence[Assessment], tiers: Mapping[int, Tier],
              held: Tier) -> Assessment | None:
    # 18/2022: NTM communes are tested on the NTM set; nâng cao and kiểu mẫu on nâng cao.
    wanted = Tier.NTM if held is Tier.NTM else Tier.ADVANCED
    return next((a for a in assessments if tiers[id(a)] is wanted), None)


def _state(year: int, gap: TierGap, held: Tier | None, first: Assessment,
           assessments: Sequence[Assessment], tiers: Mapping[int, Tier], income: str,
           previous: YearState | None) -> YearState:
    value: float | None = None
    thresholds: dict[Tier, float] = {}
    for a in assessments:
        r = a.indicators.get(income)
        if r is None:
            continue
        if value is None and isinstance(r.value, float):
            value = r.value
        t = r.threshold
        if t is not None and t.confidence.has_value and t.value is not None:
            thresholds[tiers[id(a)]] = t.value
    tier = held if held in thresholds else tiers[id(first)]
    if held is Tier.MODEL and Tier.MODEL not in thresholds:
        tier = Tier.ADVANCED
    threshold = thresholds.get(tier)
    before = None if previous is None else previous.income_thresholds.get(tier)
    revocation = None
    if held is not None:
        test = _test_set(assessments, tiers, held)
        if test is not None:
            revocation = revocation_check(test)
    return YearState(
        year=year, reached=gap.reached, held=held, met=first.met, total=first.total,
        gap=gap, assessments=tuple(assessments), income=value, income_threshold=threshold,
        income_thresholds=thresholds,
        income_change=None if previous is None or previous.income is None or value is None
        else value - previous.income,
        threshold_change=None if before is None or threshold is None else threshold - before,
        revocation=revocation)


def _regressions(year: int, before: YearState, now: YearState, held: Tier,
                 tiers: Mapping[int, Tier]) -> list[Regression]:
    test = _test_set(now.assessments, tiers, held)
    if test is None:
        return []
    previous = next((a for a in before.assessments if a.set_id == test.set_id), None)
    if previous is None:
        return []
    out = []
    for code, r in test.indicators.items():
        old = previous.indicators.get(code)
        if old is not None and old.verdict is Verdict.MET and r.verdict is Verdict.NOT_MET:
            t = r.threshold
            out.append(Regression(year, f"{test.set_id}@{test.set_version}", code,
                                  r.criterion, old.value, r.value,
                                  t.value if t is not None else None))
    return out
