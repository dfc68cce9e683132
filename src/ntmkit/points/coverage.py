"""How much of a points set the registry knows: its values by confidence."""

from __future__ import annotations

from collections import Counter

from ntmkit.model.enums import Confidence
from ntmkit.points.model import PointsSet
from ntmkit.registry.coverage import Coverage

__all__ = ["check_points_confidence", "points_coverage"]


def points_coverage(ps: PointsSet) -> Coverage:
    """Count the values of *ps* by confidence, as :func:`ntmkit.registry.coverage` does.

    A points set's cells are its values: the total, each component's and sub-indicator's
    maximum, and each band's lower edge.  ``criteria`` counts components, ``indicators``
    sub-indicators, and ``criteria_without_indicators`` the components whose sub-indicators
    the registry does not hold.

    >>> from ntmkit import points
    >>> c = points_coverage(points.get("province/dti@2022-05-20"))
    >>> c.cells, c.known
    (10, 9)
    """
    confidences: list[Confidence] = []
    if ps.total_points is not None:
        confidences.append(ps.total_points.confidence)
    for c in ps.components:
        confidences.append(c.confidence)
        confidences.extend(s.confidence for s in c.sub_indicators)
    confidences.extend(b.confidence for b in ps.bands)
    counts = Counter(c.value for c in confidences)
    empty = tuple(c.code for c in ps.components
                  if not c.sub_indicators and not c.sub_indicators_complete)
    return Coverage(
        key=ps.key, cells=len(confidences),
        by_confidence=tuple((c.value, counts[c.value]) for c in Confidence if counts[c.value]),
        indicators=len(ps.sub_indicators), criteria=len(ps.components),
        criteria_without_indicators=len(empty), empty_criteria=empty)


def check_points_confidence(ps: PointsSet) -> list[str]:
    """The places where *ps* breaks a confidence rule (empty when it keeps them all).

    The rules of :func:`ntmkit.registry.confidence.check_confidence`, applied to every value
    of a points set: ``verified`` cites the act's own text or two publishers, ``restated``
    and ``guidance`` cite a source, ``inferred`` cites its sources and keeps its value as a
    candidate; every source names its publisher.

    >>> from ntmkit import points
    >>> check_points_confidence(points.get("product/ocop@2019-08-21"))
    []
    """
    from ntmkit.model.enums import SourceKind
    from ntmkit.registry.confidence import same_publisher

    found = ps.source_map
    problems: list[str] = []

    def check(where: str, confidence: Confidence, ids: tuple[str, ...],
              candidate: str | None) -> None:
        cited = [found[i] for i in ids if i in found]
        if confidence is Confidence.VERIFIED:
            publishers: list[str] = []
            for s in cited:
                if s.publisher.strip() and not any(same_publisher(s.publisher, p)
                                                   for p in publishers):
                    publishers.append(s.publisher)
            if len(publishers) < 2 and not any(s.kind is SourceKind.LEGAL_TEXT for s in cited):
                problems.append(f"{ps.key} {where}: verified needs the act's own text or two "
                                f"sources of different publishers; it cites {len(publishers)}")
        elif confidence in (Confidence.RESTATED, Confidence.GUIDANCE) and not cited:
            problems.append(f"{ps.key} {where}: {confidence.value} needs a source")
        elif confidence is Confidence.INFERRED and (not cited or not candidate):
            problems.append(f"{ps.key} {where}: inferred needs its sources and a candidate")

    for name in ("total_points", "averaging", "validity_months", "merge_rule_confidence"):
        v = getattr(ps, name)
        if v is not None:
            check(name, v.confidence, v.sources, v.candidate)
    for c in ps.components:
        check(f"component {c.code}", c.confidence, c.sources, c.candidate)
        for s in c.sub_indicators:
            check(f"sub-indicator {s.code}", s.confidence, s.sources, s.candidate)
    for b in ps.bands:
        check(f"band {b.code}", b.confidence, b.sources, b.candidate)
    problems.extend(f"{ps.key} source {s.id}: publisher is missing"
                    for s in ps.sources if not s.publisher.strip())
    return problems
