"""How much of a criteria set the registry knows: threshold cells by confidence.

A *cell* is one threshold the registry must know for an indicator to be judged: the
indicator in one context of the axes along which its threshold may differ.  Those axes are

- **region** (the seven socio-economic regions, after any region substitution) — when the
  set writes values per region (some threshold of the set names a region) and the
  indicator's rule takes a value (anything but a yes/no condition), or when one of the
  indicator's own thresholds names a region;
- **commune group** (the groups of ``CriteriaSet.groups``, 2026–2030) — on the same terms:
  when the set's values are per group and the rule takes a value, or when one of the
  indicator's thresholds names a group;
- **year** (each year of ``CriteriaSet.years``) — when the indicator is ``year_dependent``;
- **commune class** — the context of no class, and each class one of the indicator's
  thresholds names.

An axis that does not apply counts once: a yes/no condition written for every region is one
cell, and so is every indicator of a set without regional values (a district set).  The
same cells are counted by :func:`coverage`, listed by the fill-in template
(:func:`ntmkit.io.fill.template_rows`, one row per cell; ``only_unknown`` lists the cells
that are not :attr:`Cell.known`) and shown by the docs' catalogue.

A criterion that holds no indicator has no cells: it cannot be decided from values at all.
:class:`Coverage` counts and lists those criteria apart (``empty_criteria``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import attrs

from ntmkit.model.criteria import Condition, Context, CriteriaSet, Indicator, Threshold
from ntmkit.model.enums import CommuneClass, Confidence, Region, RuleKind

__all__ = ["Cell", "Coverage", "cells", "coverage", "writes_regional_values"]


@attrs.frozen
class Cell:
    """One threshold cell: an indicator in one context, and the threshold the set holds there.

    ``region``, ``year``, ``group`` and ``commune_class`` are ``None`` along an axis on which
    the indicator's threshold does not differ (``region=None``: the same in every region).
    ``threshold`` is ``None`` when no single threshold matches the context; the cell is then
    ``unknown``.
    """

    indicator: str
    region: Region | None
    year: int | None
    confidence: Confidence
    value: float | None
    group: int | None = None
    commune_class: CommuneClass | None = None
    threshold: Threshold | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def known(self) -> bool:
        """Whether the cell's threshold can decide a verdict (see :attr:`Coverage.known`)."""
        return self.confidence.has_value

    @property
    def condition(self) -> Condition:
        """The cell's context as the ``when`` of a threshold written for exactly this cell."""
        return Condition(region=self.region, year=self.year, commune_class=self.commune_class,
                         group=self.group)


@attrs.frozen
class Coverage:
    """Counts of a set's threshold cells by confidence, and the criteria without indicators.

    ``by_confidence`` holds one count per level, each level apart (``guidance`` and
    ``inferred`` included), strongest first; see :meth:`count`.  A *cell* is defined in
    :mod:`ntmkit.registry.coverage`.

    ``empty_criteria`` lists the codes of the criteria that hold no indicator in the registry
    (``criteria_without_indicators`` counts them): they have no cells, and no value can decide
    them — unknown content that :attr:`known` and :attr:`share_known` cannot show.
    ``criteria_decidable`` counts the criteria whose indicators the registry holds in full and
    whose every cell is known (``None`` where it is not counted, as for points sets).
    """

    key: str
    cells: int
    by_confidence: tuple[tuple[str, int], ...]
    indicators: int
    criteria: int
    criteria_without_indicators: int
    empty_criteria: tuple[str, ...] = ()
    criteria_decidable: int | None = None

    @property
    def known(self) -> int:
        """The cells whose threshold can decide a verdict.

        ``guidance`` cells count (a ministry's guidance act states the value); ``inferred``,
        ``uncertain`` and ``unknown`` cells never do.
        """
        return sum(n for c, n in self.by_confidence if Confidence(c).has_value)

    @property
    def unknown(self) -> int:
        """The cells whose threshold cannot decide a verdict (``cells - known``)."""
        return self.cells - self.known

    def count(self, confidence: Confidence | str) -> int:
        """The number of cells of one confidence (0 when there are none)."""
        wanted = Confidence(confidence).value
        return sum(n for c, n in self.by_confidence if c == wanted)

    @property
    def share_known(self) -> float:
        """``known / cells`` (0 for a set with no cells).

        It says nothing of the criteria without indicators; see ``empty_criteria``.
        """
        return self.known / self.cells if self.cells else 0.0


def _axis(named: set[object], applies: bool, values: list[object]) -> list[object]:
    return values if named or applies else [None]


def _indicator_cells(cs: CriteriaSet, ind: Indicator, regional: bool) -> Iterator[Cell]:
    named: dict[str, set[object]] = {"region": set(), "year": set(), "commune_class": set(),
                                     "group": set()}
    for t in ind.rule.thresholds:
        for axis, seen in named.items():
            value = getattr(t.when, axis)
            if value is not None:
                seen.add(value)
    takes_value = ind.rule.kind is not RuleKind.ACHIEVED
    regions = _axis(named["region"], regional and takes_value, list(Region))
    groups = _axis(named["group"], bool(cs.groups) and takes_value, list(cs.groups or ()))
    years: list[object] = [None]
    if ind.year_dependent:
        years = (list(range(cs.years[0], cs.years[1] + 1)) if cs.years is not None
                 else sorted(named["year"], key=str))
    classes: list[object] = [None, *sorted(named["commune_class"], key=str)]
    for region in regions:
        for group in groups:
            for commune_class in classes:
                for year in years:
                    yield _cell(ind, region, year, group, commune_class)


def _cell(ind: Indicator, region: object, year: object, group: object,
          commune_class: object) -> Cell:
    assert region is None or isinstance(region, Region)
    assert year is None or isinstance(year, int)
    assert group is None or isinstance(group, int)
    assert commune_class is None or isinstance(commune_class, CommuneClass)
    context = Context(region, year, frozenset([commune_class] if commune_class else []), group)
    found = ind.rule.candidates(context)
    t = found[0] if len(found) == 1 else None
    return Cell(ind.code, region, year, t.confidence if t else Confidence.UNKNOWN,
                t.value if t else None, group, commune_class, t)


def writes_regional_values(cs: CriteriaSet) -> bool:
    """Whether *cs* writes thresholds per region (some threshold names a region)."""
    return bool(cs.region_substitutions) or any(
        t.when.region is not None for i in cs.indicators.values() for t in i.rule.thresholds)


def cells(cs: CriteriaSet) -> list[Cell]:
    """Every threshold cell of *cs*, in table order (indicator, region, group, class, year).

    >>> from ntmkit import registry
    >>> district = cells(registry.get("district/ntm@2024-03-01"))
    >>> len(district) == len(registry.get("district/ntm@2024-03-01").indicators)
    True
    """
    regional = writes_regional_values(cs)
    return [c for ind in cs.indicators.values() for c in _indicator_cells(cs, ind, regional)]


def coverage(cs: CriteriaSet) -> Coverage:
    """Count the cells of *cs* by confidence, and list the criteria without indicators.

    >>> from ntmkit import registry
    >>> c = coverage(registry.get("commune/ntm@2022-03-08"))
    >>> c.cells > c.known > 0
    True
    >>> district = coverage(registry.get("district/ntm@2024-03-01"))
    >>> district.known == district.cells, len(district.empty_criteria), district.criteria
    (True, 6, 13)
    """
    listed = cells(cs)
    counts = Counter(c.confidence.value for c in listed)
    unknown_indicators = {c.indicator for c in listed if not c.known}
    empty = tuple(code for code, c in cs.criteria.items() if not c.indicators)
    decidable = sum(bool(c.indicators) and c.indicators_complete
                    and not any(i.code in unknown_indicators for i in c.indicators)
                    for c in cs.criteria.values())
    return Coverage(
        key=cs.key,
        cells=len(listed),
        by_confidence=tuple((c.value, counts[c.value]) for c in Confidence if counts[c.value]),
        indicators=len(cs.indicators),
        criteria=len(cs.criteria),
        criteria_without_indicators=len(empty),
        empty_criteria=empty,
        criteria_decidable=decidable,
    )
