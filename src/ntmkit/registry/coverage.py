"""How much of a criteria set the registry knows: threshold cells by confidence."""

from __future__ import annotations

from collections import Counter

import attrs

from ntmkit.model.criteria import Context, CriteriaSet
from ntmkit.model.enums import Confidence, Region

__all__ = ["Cell", "Coverage", "cells", "coverage"]


@attrs.frozen
class Cell:
    """One threshold cell: an indicator in one region (and year); its threshold's confidence."""

    indicator: str
    region: Region | None
    year: int | None
    confidence: Confidence
    value: float | None
    group: int | None = None


@attrs.frozen
class Coverage:
    """Counts of a set's threshold cells by confidence.

    ``by_confidence`` holds one count per level, each level apart (``guidance`` and
    ``inferred`` included), strongest first; see :meth:`count`.

    A *cell* is an indicator in one region (and, for year-dependent indicators, one year) —
    or, for sets whose values are per commune group (2026–2030), one group: the unit a
    criteria table is written in.  ``criteria_without_indicators`` counts the
    criteria whose indicators the registry does not hold at all (their cells cannot even be
    listed).
    """

    key: str
    cells: int
    by_confidence: tuple[tuple[str, int], ...]
    indicators: int
    criteria: int
    criteria_without_indicators: int

    @property
    def known(self) -> int:
        """The cells whose threshold can decide a verdict.

        ``guidance`` cells count (a ministry's guidance act states the value); ``inferred``,
        ``uncertain`` and ``unknown`` cells never do.
        """
        return sum(n for c, n in self.by_confidence if Confidence(c).has_value)

    def count(self, confidence: Confidence | str) -> int:
        """The number of cells of one confidence (0 when there are none)."""
        wanted = Confidence(confidence).value
        return sum(n for c, n in self.by_confidence if c == wanted)

    @property
    def share_known(self) -> float:
        """``known / cells`` (0 for a set with no cells)."""
        return self.known / self.cells if self.cells else 0.0


def cells(cs: CriteriaSet) -> list[Cell]:
    """Every threshold cell of *cs*, in table order."""
    years: list[int | None] = [None]
    if cs.years is not None:
        years = list(range(cs.years[0], cs.years[1] + 1))
    out = []
    for ind in cs.indicators.values():
        if cs.groups:
            # Values per commune group: one cell per group (and year), for every region.
            for group in cs.groups:
                for year in years if ind.year_dependent else [None]:
                    found = ind.rule.candidates(Context(Region.RED_RIVER_DELTA, year,
                                                        group=group))
                    if len(found) == 1:
                        t = found[0]
                        out.append(Cell(ind.code, None, year, t.confidence, t.value, group))
            continue
        for region in Region:
            for year in years if ind.year_dependent else [None]:
                found = ind.rule.candidates(Context(region, year))
                if len(found) != 1:
                    continue
                t = found[0]
                out.append(Cell(ind.code, region, year, t.confidence, t.value))
    return out


def coverage(cs: CriteriaSet) -> Coverage:
    """Count the cells of *cs* by confidence.

    >>> from ntmkit import registry
    >>> c = coverage(registry.get("commune/ntm@2022-03-08"))
    >>> c.cells > c.known > 0
    True
    """
    listed = cells(cs)
    counts = Counter(c.confidence.value for c in listed)
    order = [c.value for c in Confidence]
    return Coverage(
        key=cs.key,
        cells=len(listed),
        by_confidence=tuple((c, counts[c]) for c in order if counts[c]),
        indicators=len(cs.indicators),
        criteria=len(cs.criteria),
        criteria_without_indicators=sum(not c.indicators for c in cs.criteria.values()),
    )
