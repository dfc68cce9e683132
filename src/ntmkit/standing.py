"""Progress against a target: how many units count, how many are needed, who is closest.

:func:`progress` reads the units in one of four forms and keeps the basis apart, as the
roll-ups do (:mod:`ntmkit.rollup`):

* assessments (:class:`~ntmkit.Assessment`, or a frame from :func:`ntmkit.assess_frame`):
  *computed* eligibility, with the candidates closest to counting;
* recognitions (:class:`~ntmkit.rollup.Recognition`): *recognised* units on a date;
* declared tiers (a mapping of unit code to :class:`~ntmkit.Tier` or ``None``): what an
  office reports, *declared*.

The target count is computed in integers: "trên 30 %" of 139 communes needs 42, not 41.7.

>>> from ntmkit import targets, Tier
>>> declared = {f"{i:03}": Tier.MODEL if i < 36 else Tier.ADVANCED if i < 102 else Tier.NTM
...             for i in range(139)}
>>> p = progress(targets.target("province/hung-yen/communes-model"), declared)
>>> p.counted, p.total, p.required, p.more_needed, p.basis
(36, 139, 42, 6, 'declared')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from ntmkit import i18n
from ntmkit.errors import InvalidValue, UnknownIndicator
from ntmkit.gaps import IndicatorGap, Undecided, assessment_gaps, criteria_lacking, set_tier
from ntmkit.i18n import Lang
from ntmkit.model.enums import Level, Tier, Verdict
from ntmkit.model.results import Assessment, Share
from ntmkit.rollup import Recognition
from ntmkit.targets import Comparison, Target

if TYPE_CHECKING:
    from ntmkit.model.criteria import CriteriaSet
    from ntmkit.registry import CriteriaRegistry

__all__ = ["Candidate", "Progress", "ProgressWords", "blocking", "progress", "progress_words"]

_ORDER = {Tier.NTM: 0, Tier.ADVANCED: 1, Tier.MODEL: 2, Tier.MODERN: 1}


def _gives(held: Tier, wanted: Tier) -> bool:
    # A higher tier of the same ladder gives the lower ones (kiểu mẫu ⊂ nâng cao ⊂ NTM).
    return held is wanted or wanted is Tier.NTM or (wanted is Tier.ADVANCED
                                                     and held is Tier.MODEL)


@attrs.frozen
class Candidate:
    """A unit that does not count yet, and what it lacks.

    ``criteria_not_met`` and ``criteria_unknown`` are criterion codes (a prerequisite set's
    written ``<set id>:<code>``); ``distance`` is the sum of the relative distances of its
    unmet indicators (see :class:`~ntmkit.gaps.IndicatorGap`); ``gaps`` are ordered by
    relative distance and ``unknowns`` are the indicators that cannot be decided.
    """

    unit: str
    name: str
    verdict: Verdict
    criteria_not_met: tuple[str, ...] = ()
    criteria_unknown: tuple[str, ...] = ()
    distance: float = 0.0
    gaps: tuple[IndicatorGap, ...] = ()
    unknowns: tuple[Undecided, ...] = ()

    @property
    def sort_key(self) -> tuple[int, float, int, str]:
        """How little it lacks: criteria not met, then distance, then unknown criteria."""
        return (len(self.criteria_not_met), self.distance, len(self.criteria_unknown),
                self.unit)


class ProgressWords(NamedTuple):
    """A progress result in words (:meth:`Progress.words`)."""

    #: How the units were counted: recognised, computed from data, declared.
    basis: str
    #: Over which units: "tất cả xã", "xã đạt Nông thôn mới", …
    denominator: str
    #: Whether the target is reached: reached, not reached, undecided.
    reached: str


def progress_words(p: Progress, lang: Lang = "vi") -> ProgressWords:
    """``p.words(lang)``: the basis, the denominator and the outcome of *p* in words."""
    return p.words(lang)


@attrs.frozen
class Progress:
    """Where a set of units stands against a target.

    ``basis`` is ``"recognised"``, ``"computed"`` or ``"declared"``.  ``among`` is the
    denominator: ``None`` for every unit of the level, else the tier the units must hold to
    be counted in it; ``total`` is its size, and ``denominator_unknown`` the units whose
    place in it is unknown.  ``counted`` units hold what the target counts, ``unknown``
    may.  ``required`` is the number the target needs (``None`` when its value is
    unknown), ``more_needed`` how many more, ``reached`` True/False, or ``None`` when
    unknown units decide it.  ``candidates`` (from assessments only) are ordered by how
    little they lack.
    """

    target: Target
    basis: str
    among: Tier | None
    total: int
    counted: int
    unknown: int
    required: int | None
    more_needed: int | None
    reached: bool | None
    denominator_unknown: int = 0
    on: dt.date | None = None
    candidates: tuple[Candidate, ...] = ()

    @property
    def share(self) -> Share:
        """The count as a :class:`~ntmkit.Share` (exact; ``percent`` for display)."""
        return Share(met=self.counted, total=self.total, unknown=self.unknown,
                     basis=self.basis)

    @property
    def approximate(self) -> bool:
        """Whether the target reads "about" (*khoảng*): counted as at least."""
        return self.target.comparison is Comparison.ABOUT

    @property
    def denominator(self) -> str:
        """The denominator with the tier's code: ``"all communes"``, ``"communes holding ntm"``.

        For people, :meth:`words` names it in Vietnamese or English.
        """
        units = i18n.text(f"progress.units.{self.target.level.value}", "en")
        if self.among is None:
            return i18n.text("progress.all", "en", units=units)
        return i18n.text("progress.among", "en", units=units, tier=self.among.value)

    def words(self, lang: Lang = "vi") -> ProgressWords:
        """The basis, the denominator and the outcome in words, in *lang*.

        >>> from ntmkit import targets
        >>> p = progress(targets.target("province/hung-yen/communes-advanced"),
        ...              {"001": "ntm-advanced", "002": "ntm"})
        >>> tuple(p.words("vi"))
        ('kê khai', 'tất cả xã', 'Chưa đạt')
        >>> tuple(p.words("en"))
        ('declared', 'all communes', 'not reached')
        """
        units = i18n.text(f"progress.units.{self.target.level.value}", lang)
        if self.among is None:
            denominator = i18n.text("progress.all", lang, units=units)
        else:
            denominator = i18n.text("progress.among", lang, units=units,
                                    tier=i18n.text(f"common.tier.{self.among.value}", lang))
        reached = {True: "true", False: "false", None: "none"}[self.reached]
        return ProgressWords(i18n.text(f"progress.basis.{self.basis}", lang), denominator,
                             i18n.text(f"progress.reached.{reached}", lang))

    def cheapest(self) -> tuple[Candidate, ...] | None:
        """The fewest candidates that would reach the target, those lacking least first.

        Empty when the target is reached; ``None`` when the candidates are too few (or the
        target's value is unknown).
        """
        if self.more_needed is None:
            return None
        if self.more_needed == 0:
            return ()
        if len(self.candidates) < self.more_needed:
            return None
        return self.candidates[:self.more_needed]


def _verdicts_from_assessments(
    items: Sequence[Assessment], target: Target, registry: CriteriaRegistry | None,
    sets: Sequence[CriteriaSet],
) -> tuple[dict[str, Verdict], dict[str, Verdict], dict[str, Candidate]]:
    by_unit: dict[str, list[Assessment]] = {}
    for a in items:
        by_unit.setdefault(str(a.unit.code), []).append(a)
    counted: dict[str, Verdict] = {}
    member: dict[str, Verdict] = {}
    candidates: dict[str, Candidate] = {}
    for code, assessments in by_unit.items():
        # A set's prerequisites were assessed with it: an advanced assessment also says
        # whether the commune meets NTM.
        pool = [p for a in assessments for p in (a, *a.prerequisites)]
        tiers = [(a, set_tier(a, registry, sets)) for a in pool]
        if target.among is not None:
            member[code] = _tier_status(tiers, target.among)
        if target.tier is not None:
            counted[code] = _tier_status(tiers, target.tier)
            own = [a for a, t in tiers if t is target.tier]
            if counted[code] is not Verdict.MET:
                candidates[code] = _candidate(own[0] if own else assessments[0],
                                              counted[code], with_gaps=bool(own))
        else:
            assert target.indicator is not None
            counted[code], source = _indicator_status(assessments, target)
            if counted[code] is not Verdict.MET:
                candidates[code] = _indicator_candidate(source, counted[code], target)
    return counted, member, candidates


def _tier_status(tiers: list[tuple[Assessment, Tier]], wanted: Tier) -> Verdict:
    if any(a.verdict is Verdict.MET and _gives(t, wanted) for a, t in tiers):
        return Verdict.MET
    # Failing a set of this tier, or of a tier below it on the same ladder, rules it out.
    if any(a.verdict is Verdict.NOT_MET and (t is wanted or (
            t is not Tier.MODERN and wanted is not Tier.MODERN
            and _ORDER[t] <= _ORDER[wanted])) for a, t in tiers):
        return Verdict.NOT_MET
    return Verdict.UNKNOWN


def _indicator_status(assessments: list[Assessment],
                      target: Target) -> tuple[Verdict, Assessment]:
    assert target.indicator is not None
    ref = target.indicator
    pool: list[Assessment] = []
    for a in assessments:
        pool.append(a)
        pool.extend(a.prerequisites)
    for a in pool:
        if a.set_id == ref.set:
            if ref.code not in a.indicators:
                raise UnknownIndicator(f"target {target.id} counts indicator {ref.code} of "
                                       f"{ref.set}, which {a.set_id}@{a.set_version} does not "
                                       "have")
            verdict = a.indicators[ref.code].verdict
            return (Verdict.NOT_MET if verdict is Verdict.NOT_APPLICABLE else verdict), a
    raise InvalidValue(f"target {target.id} counts indicator {ref.code} of {ref.set}: give "
                       f"assessments against {ref.set} (unit {assessments[0].unit.code} has "
                       f"{', '.join(a.set_id for a in assessments)})")


def _candidate(a: Assessment, verdict: Verdict, *, with_gaps: bool) -> Candidate:
    if not with_gaps:
        return Candidate(str(a.unit.code), a.unit.name, verdict)
    gaps, unknowns = assessment_gaps(a)
    failed, unknown = criteria_lacking(a)
    return Candidate(str(a.unit.code), a.unit.name, verdict, failed, unknown,
                     sum(g.relative for g in gaps if g.relative is not None), gaps, unknowns)


def _indicator_candidate(a: Assessment, verdict: Verdict, target: Target) -> Candidate:
    assert target.indicator is not None
    gaps, unknowns = assessment_gaps(a)
    key = f"{a.set_id}@{a.set_version}"
    mine = tuple(g for g in gaps if g.indicator == target.indicator.code and g.set_key == key)
    undecided = tuple(u for u in unknowns
                      if u.indicator == target.indicator.code and u.set_key == key)
    r = a.indicators[target.indicator.code]
    return Candidate(str(a.unit.code), a.unit.name, verdict,
                     (r.criterion,) if verdict is Verdict.NOT_MET else (),
                     (r.criterion,) if verdict is Verdict.UNKNOWN else (),
                     sum(g.relative for g in mine if g.relative is not None), mine, undecided)


def _verdicts_from_frame(
    frame: Any, target: Target, registry: CriteriaRegistry | None, frame_tier: Tier | None,
) -> tuple[dict[str, Verdict], dict[str, Verdict], dict[str, Candidate]]:
    # Whole columns at once: the statuses are computed as arrays of verdict names, and only
    # the rows that do not count are turned into candidates one by one.
    import numpy as np

    from ntmkit import registry as _registry

    reg = registry if registry is not None else _registry.default()
    codes = [str(c) for c in frame.index]
    if len(set(codes)) != len(codes):
        raise InvalidValue("the frame's index must name each unit once (use the unit codes "
                           "as the index of the frame given to assess_frame)")
    n = len(codes)
    held = (frame["tier"].astype(object).where(frame["tier"].notna(), "").astype(str)
            .to_numpy() if "tier" in frame else np.full(n, "", dtype=object))
    if frame_tier is None and (target.tier is not None or target.among is not None):
        seen = {Tier(t) for t in set(held) if t}
        if len(seen) != 1:
            raise InvalidValue("cannot tell which tier's set the frame was assessed against: "
                               "pass frame_tier=")
        frame_tier = seen.pop()
    requires: dict[Tier, Any] = {}
    for column in frame.columns:
        if str(column).startswith("requires:"):
            tier = reg.get(str(column)[len("requires:"):]).tier
            if tier is not None:
                requires[tier] = frame[column].astype(str).to_numpy()
    verdicts = frame["verdict"].astype(str).to_numpy()

    def status(wanted: Tier) -> Any:
        givers = [t.value for t in Tier if _gives(t, wanted)]
        met = np.isin(held, givers)
        for tier, column in requires.items():
            if _gives(tier, wanted):
                met |= column == "met"
        if frame_tier is wanted:
            out = np.where(verdicts == "not_applicable", "not_met", verdicts)
        elif wanted in requires:
            out = np.where(requires[wanted] == "not_met", "not_met", "unknown")
        elif frame_tier is not None and _ORDER[frame_tier] < _ORDER[wanted] \
                and frame_tier is not Tier.MODERN and wanted is not Tier.MODERN:
            out = np.where(verdicts == "not_met", "not_met", "unknown")
        else:
            out = np.full(n, "unknown", dtype=object)
        return np.where(met, "met", out)

    if target.tier is not None:
        counts = status(target.tier)
        own = frame_tier is target.tier
    else:
        assert target.indicator is not None
        column = f"v:{target.indicator.code}"
        if column not in frame:
            raise UnknownIndicator(f"target {target.id} counts indicator "
                                   f"{target.indicator.code}: the frame has no {column!r} "
                                   f"column (assess against {target.indicator.set})")
        raw = frame[column].astype(str).to_numpy()
        counts = np.where(raw == "not_applicable", "not_met", raw)
        own = False
        criterion = _criterion_of(reg, target.indicator.set, target.indicator.code)
    member_names = status(target.among) if target.among is not None else None
    as_verdict = {v.value: v for v in Verdict}
    counted = {code: as_verdict[v] for code, v in zip(codes, counts, strict=True)}
    member = ({} if member_names is None else
              {code: as_verdict[v] for code, v in zip(codes, member_names, strict=True)})
    criteria = [c for c in frame.columns if str(c).startswith("c:")]
    matrix = frame[criteria].to_numpy(dtype=object) if criteria and own else None
    not_met = matrix == "not_met" if matrix is not None else None
    undecided = matrix == "unknown" if matrix is not None else None
    labels = np.array([str(c)[2:] for c in criteria], dtype=object)
    names = frame["name"].astype(str).to_numpy() if "name" in frame else codes
    candidates: dict[str, Candidate] = {}
    for i in np.flatnonzero(counts != "met"):
        failed: tuple[str, ...] = ()
        unknown: tuple[str, ...] = ()
        if not_met is not None and undecided is not None:
            failed = tuple(labels[not_met[i]])
            unknown = tuple(labels[undecided[i]])
        elif target.indicator is not None:
            failed = (criterion,) if counts[i] == "not_met" else ()
            unknown = (criterion,) if counts[i] == "unknown" else ()
        candidates[codes[i]] = Candidate(codes[i], str(names[i]), counted[codes[i]],
                                         failed, unknown)
    return counted, member, candidates


def _criterion_of(registry: CriteriaRegistry, set_id: str, code: str) -> str:
    """The criterion of indicator *code* in the registry's versions of *set_id* (else *code*)."""
    for version in reversed(registry.versions(set_id)):
        cs = registry.get(set_id, version=version)
        if code in cs.indicators:
            return cs.indicators[code].criterion
    return code


def progress(
    target: Target | str,
    units: Any,
    *,
    on: dt.date | None = None,
    children: Iterable[str] | None = None,
    total: int | None = None,
    registry: CriteriaRegistry | None = None,
    frame_tier: Tier | str | None = None,
    sets: Iterable[CriteriaSet] = (),
) -> Progress:
    """How far *units* are from *target* (a :class:`~ntmkit.targets.Target` or its id).

    *units* is a sequence of :class:`~ntmkit.Assessment` (several per unit are fine: one
    per set of the ladder), a frame from :func:`ntmkit.assess_frame` (index = unit codes;
    *frame_tier* names the tier of its set when no row reached it), a sequence of
    :class:`~ntmkit.rollup.Recognition` (give *on*, and *children* — the unit codes — or
    *total*), or a mapping of unit code to declared tier (``None`` for none; *total* may
    add units not listed, which hold no tier).  *sets* lists sets of your own (derived
    sets) whose tiers no registry knows.

    >>> from ntmkit import targets
    >>> t = targets.target("province/hung-yen/communes-advanced")
    >>> declared = {f"{i:03}": "ntm-advanced" if i < 102 else "ntm" for i in range(139)}
    >>> p = progress(t, declared)
    >>> p.required, p.more_needed, p.reached, p.denominator
    (139, 37, False, 'all communes')
    """
    if isinstance(target, str):
        from ntmkit import targets as _targets

        target = _targets.target(target)
    counted: dict[str, Verdict]
    member: dict[str, Verdict] = {}
    candidates: dict[str, Candidate] = {}
    extra = 0
    if _is_frame(units):
        basis = "computed"
        counted, member, candidates = _verdicts_from_frame(
            units, target, registry, None if frame_tier is None else Tier(frame_tier))
    elif isinstance(units, Mapping):
        basis = "declared"
        counted, member = {}, {}
        for code, raw in units.items():
            try:
                tier = None if raw is None else Tier(raw)
            except ValueError:
                raise InvalidValue(f"unit {code}: unknown tier {raw!r}; use one of "
                                   f"{', '.join(t.value for t in Tier)} or None") from None
            if target.tier is None:
                raise InvalidValue(f"target {target.id} counts an indicator: declared tiers "
                                   "cannot count it; give assessments")
            counted[str(code)] = Verdict.MET if tier is not None and _gives(
                tier, target.tier) else Verdict.NOT_MET
            if target.among is not None:
                member[str(code)] = Verdict.MET if tier is not None and _gives(
                    tier, target.among) else Verdict.NOT_MET
        extra = _extra(total, len(counted))
    else:
        items = list(units)
        if (items and all(isinstance(u, Recognition) for u in items)) or (
                not items and (children is not None or total is not None)):
            basis = "recognised"
            if on is None:
                raise InvalidValue("counting recognitions needs on= (the date they are "
                                   "counted on)")
            if target.tier is None:
                raise InvalidValue(f"target {target.id} counts an indicator: recognitions "
                                   "cannot count it; give assessments")
            codes = list(dict.fromkeys(children)) if children is not None else list(
                dict.fromkeys(r.unit for r in items))
            counted = dict.fromkeys(codes, Verdict.NOT_MET)
            for r in items:
                if r.unit in counted and r.holds(target.tier, on):
                    counted[r.unit] = Verdict.MET
            if target.among is not None:
                member = dict.fromkeys(codes, Verdict.NOT_MET)
                for r in items:
                    if r.unit in member and r.holds(target.among, on):
                        member[r.unit] = Verdict.MET
            extra = _extra(total, len(codes)) if children is None else 0
            if children is not None and total is not None and total != len(codes):
                raise InvalidValue(f"children lists {len(codes)} units but total is {total}")
        elif all(isinstance(u, Assessment) for u in items):
            basis = "computed"
            wrong = sorted({type(a.unit).__name__ for a in items
                            if type(a.unit).__name__.lower() != target.level.value})
            if wrong:
                raise InvalidValue(f"target {target.id} counts {target.level.value}s, but the "
                                   f"assessments are of {', '.join(wrong)} units")
            counted, member, candidates = _verdicts_from_assessments(items, target, registry,
                                                                     tuple(sets))
        else:
            kinds = sorted({type(u).__name__ for u in items})
            raise InvalidValue(f"progress() takes assessments, recognitions, a mapping of "
                               f"declared tiers or an assess_frame result, not {kinds}")
    if not counted and not extra:
        raise InvalidValue(f"no units to count toward {target.id}: give at least one unit "
                           "(or total=)")
    return _count(target, basis, counted, member, candidates, extra, on)


def _is_frame(units: Any) -> bool:
    return hasattr(units, "columns") and hasattr(units, "index") and "verdict" in units.columns


def _extra(total: int | None, listed: int) -> int:
    if total is None:
        return 0
    if total < listed:
        raise InvalidValue(f"total ({total}) is smaller than the {listed} units given")
    return total - listed


def _count(target: Target, basis: str, counted: Mapping[str, Verdict],
           member: Mapping[str, Verdict], candidates: Mapping[str, Candidate], extra: int,
           on: dt.date | None) -> Progress:
    if target.among is None:
        pool = list(counted)
        denominator_unknown = 0
        total = len(pool) + extra
    else:
        pool = [c for c in counted if member.get(c) is Verdict.MET]
        denominator_unknown = sum(member.get(c) is Verdict.UNKNOWN for c in counted)
        total = len(pool)
    n_counted = sum(counted[c] is Verdict.MET for c in pool)
    n_unknown = sum(counted[c] is Verdict.UNKNOWN for c in pool)
    required = target.required(total)
    more = None if required is None else max(0, required - n_counted)
    reached: bool | None
    if required is None or denominator_unknown:
        reached = None
    elif n_counted >= required:
        reached = True
    elif n_counted + n_unknown < required:
        reached = False
    else:
        reached = None
    chosen = sorted((candidates[c] for c in pool if c in candidates),
                    key=lambda c: c.sort_key)
    return Progress(target=target, basis=basis, among=target.among, total=total,
                    counted=n_counted, unknown=n_unknown, required=required,
                    more_needed=more, reached=reached,
                    denominator_unknown=denominator_unknown, on=on,
                    candidates=tuple(chosen))


def blocking(
    units: Any, tier: Tier | str, *, percent: int = 100, level: Level | str = "commune",
    among: Tier | str | None = None, **kwargs: Any,
) -> Progress:
    """The units that block a share-of-children condition, ordered by how little they lack.

    "A district meets NTM when 100 % of its communes do": ``blocking(assessments, "ntm")``
    lists the district's communes that are not NTM, fewest criteria lacking first, and
    ``.cheapest()`` the fewest that would close the gap.  *kwargs* go to :func:`progress`.
    """
    # The caller states the condition: its value is given, not taken from a source.
    ad_hoc = Target(code=f"{percent}%-{Tier(tier).value}", name_vi="", name_en="",
                    level=level, tier=tier, percent=percent, among=among,
                    confidence="verified")
    return progress(ad_hoc, units, **kwargs)
