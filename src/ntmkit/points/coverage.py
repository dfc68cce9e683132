"""How much of a points set the registry knows: its values by confidence."""

from __future__ import annotations

from collections import Counter

from ntmkit.model.enums import Confidence
from ntmkit.points.model import PointsSet
from ntmkit.registry.coverage import Coverage

__all__ = ["points_coverage"]


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
    return Coverage(
        key=ps.key, cells=len(confidences),
        by_confidence=tuple((c.value, counts[c.value]) for c in Confidence if counts[c.value]),
        indicators=len(ps.sub_indicators), criteria=len(ps.components),
        criteria_without_indicators=sum(not c.sub_indicators and not c.sub_indicators_complete
                                        for c in ps.components))
