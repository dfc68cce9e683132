"""Points schemes: digital transformation indices (DTI), OCOP star ratings.

A points set is a set kind of its own (format ``ntmkit.points-set.v1``), shipped in
``ntmkit/registry/points/`` next to the criteria sets::

    >>> import datetime as dt
    >>> from ntmkit import points
    >>> ocop = points.get("product/ocop", on=dt.date(2024, 6, 1))
    >>> ocop.legal_basis.act, [c.max_points for c in ocop.components]
    ('148/QĐ-TTg', [40.0, 25.0, 35.0])
    >>> r = points.score(points.Product("P1", "Example"), {"A": 38, "B": 24, "C": 33}, ocop)
    >>> r.total, r.band, r.band_known
    (95.0, None, False)

(5 stars by points, but the registry does not know 148's mandatory criteria of the class, so
the class cannot be confirmed: ``r.band_by_points`` is ``"5"``.)
"""

from __future__ import annotations

from ntmkit.points.loader import (
    PointsRegistry,
    build_points_set,
    check_points_set,
    default,
    get,
    load,
)
from ntmkit.points.model import (
    POINTS_FORMAT,
    Band,
    Component,
    EdgeRule,
    MergeRule,
    PointsRule,
    PointsRuleKind,
    PointsSet,
    Step,
    SubIndicator,
    Valued,
)
from ntmkit.points.results import (
    POINTS_TRACE_FORMAT,
    ComponentResult,
    PointsAssessment,
    Product,
    Ratio,
    SubIndicatorResult,
)
from ntmkit.points.scoring import RankRow, merge, rank, rank_table, score

__all__ = [
    "POINTS_FORMAT",
    "POINTS_TRACE_FORMAT",
    "Band",
    "Component",
    "ComponentResult",
    "EdgeRule",
    "MergeRule",
    "PointsAssessment",
    "PointsRegistry",
    "PointsRule",
    "PointsRuleKind",
    "PointsSet",
    "Product",
    "RankRow",
    "Ratio",
    "Step",
    "SubIndicator",
    "SubIndicatorResult",
    "Valued",
    "build_points_set",
    "check_points_set",
    "default",
    "get",
    "load",
    "merge",
    "rank",
    "rank_table",
    "score",
]
