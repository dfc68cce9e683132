"""Results of scoring a unit against a points set: per sub-indicator, per component, total."""

from __future__ import annotations

import fractions
from collections.abc import Mapping
from typing import Any

import attrs

from ntmkit.i18n import Lang
from ntmkit.model.criteria import to_tuple
from ntmkit.model.places import Commune, District, Province, Village

__all__ = [
    "POINTS_TRACE_FORMAT",
    "ComponentResult",
    "PointsAssessment",
    "Product",
    "Ratio",
    "SubIndicatorResult",
]

#: The format id of :meth:`PointsAssessment.trace`; a change of shape gets a new id.
POINTS_TRACE_FORMAT = "ntmkit.points.v1"


@attrs.frozen
class Product:
    """A product rated by a scheme such as OCOP (*sản phẩm OCOP*).

    >>> Product(code="HD-001", name="Vải thiều Thanh Hà", group="Thực phẩm").name
    'Vải thiều Thanh Hà'
    """

    code: str
    name: str
    group: str = ""
    owner: str = ""
    commune: str | None = None
    edition: str | None = None


#: What a points set can score.
PointsUnit = Commune | District | Province | Village | Product


@attrs.frozen
class Ratio:
    """The observation of a ratio rule: ``a`` out of ``b`` (points = a / b × maximum).

    >>> Ratio(3, 4)
    Ratio(a=3, b=4)
    """

    a: float
    b: float


@attrs.frozen
class SubIndicatorResult:
    """The points of one sub-indicator (``None`` when they cannot be computed)."""

    code: str
    component: str
    points: float | None
    max_points: float | None
    rule: str
    observed: str | None = None
    reason: str = ""
    exact: fractions.Fraction | None = attrs.field(default=None, repr=False)


@attrs.frozen
class ComponentResult:
    """The points of one component, how they were obtained, and whether they count.

    ``max_confidence`` and ``max_sources`` (URLs) say where the component's maximum comes
    from.

    ``basis`` is ``"given"`` (the component's points were observed directly),
    ``"sub_indicators"`` (added up from its sub-indicators), ``"merged"`` (the mean of
    former units' points) or ``"missing"``.
    """

    code: str
    name_vi: str
    name_en: str
    points: float | None
    max_points: float | None
    scored: bool
    weight: float
    basis: str
    group: str = ""
    sub_indicators: tuple[SubIndicatorResult, ...] = attrs.field(default=(), converter=to_tuple)
    reason: str = ""
    max_confidence: str = ""
    max_sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    exact: fractions.Fraction | None = attrs.field(default=None, repr=False)

    @property
    def share(self) -> float | None:
        """``points / max_points`` (``None`` when either is unknown or the maximum is 0)."""
        if self.points is None or not self.max_points:
            return None
        return self.points / self.max_points


@attrs.frozen
class PointsAssessment:
    """The result of scoring one unit against one points-set version.

    ``total`` adds the weighted points of the scored components (``None`` when one of them
    is unknown; ``total_known`` then adds those that are known); ``share`` is ``total``
    over the scheme's maximum.  ``band`` is the grade or star class reached, after gates;
    ``band_by_points`` the one the total alone reaches; ``band_known`` is ``False`` when the
    band cannot be decided (``band_reason`` says why).  ``assessors`` is how many scores were
    averaged (OCOP councils average their members' scores).
    """

    unit: PointsUnit
    set_id: str
    set_version: str
    fingerprint: str
    components: tuple[ComponentResult, ...] = attrs.field(converter=to_tuple)
    total: float | None
    total_known: float
    maximum: float | None
    share: float | None
    band: str | None = None
    band_label_vi: str = ""
    band_label_en: str = ""
    stars: int | None = None
    band_by_points: str | None = None
    band_known: bool = False
    band_reason: str = ""
    gates_failed: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    assessors: int = 1
    edge_rule: str = "lower_edge"
    banded_total: float | None = None
    legal_basis: str = ""
    inconsistencies: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    exact_total: fractions.Fraction | None = attrs.field(default=None, repr=False)

    @property
    def component_map(self) -> Mapping[str, ComponentResult]:
        """Component results by code."""
        return {c.code: c for c in self.components}

    @property
    def key(self) -> str:
        """``id@version`` of the points set used."""
        return f"{self.set_id}@{self.set_version}"

    def trace(self) -> dict[str, Any]:
        """The JSON-compatible trace (format ``ntmkit.points.v1``)."""
        from ntmkit.points.explain import trace

        return trace(self)

    def explain(self, lang: Lang = "vi") -> str:
        """Render the result for people, in Vietnamese (``"vi"``, the default) or English."""
        from ntmkit.points.explain import explain

        return explain(self, lang=lang)
