"""Links between schemes: OCOP ratings as observations, and delegated criteria.

Two kinds of link, both data (``ntmkit/registry/points/links/links.toml``):

* **OCOP observations.**  Some indicators are met by having an OCOP-rated product: the
  advanced commune set's 13.2 (a rating still valid), Đồng Tháp's smart village (a product of
  4 stars or more).  :func:`ocop_observations` turns a list of :class:`OcopRating` into the
  yes/no observations of those indicators for a date.
* **Delegated criteria.**  A model commune (319/QĐ-TTg) needs at least one smart village and
  at least one outstanding field, *by the province's criteria*: the national set points to a
  provincial set.  :func:`delegated_results` assesses the commune (or its villages) against
  the provincial sets bound for its province (:class:`Binding`) and counts those met; with no
  set bound the indicator is UNKNOWN.  :func:`assess_delegated` does both steps.  The reason
  of each delegated indicator (and so the trace) names the bound set, or says none is bound.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import importlib.resources
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ntmkit.errors import CriteriaDataError, InvalidContext, InvalidValue, NtmkitError
from ntmkit.model.criteria import Context, CriteriaSet, Source, to_tuple
from ntmkit.model.enums import Confidence, RuleKind, Verdict
from ntmkit.model.places import Commune, Village
from ntmkit.model.results import Assessment, IndicatorResult

if TYPE_CHECKING:
    from ntmkit.points.results import PointsAssessment
    from ntmkit.registry import CriteriaRegistry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "Binding",
    "Delegation",
    "OcopLink",
    "OcopRating",
    "assess_delegated",
    "delegated_results",
    "delegations",
    "ocop_links",
    "ocop_observations",
]


@attrs.frozen
class OcopRating:
    """A product's OCOP rating: its stars, when it was rated and until when it is valid.

    >>> r = OcopRating("Mắm tôm", stars=4, rated_on=dt.date(2023, 5, 1),
    ...                valid_until=dt.date(2026, 5, 1))
    >>> r.valid_on(dt.date(2026, 6, 1))
    False
    """

    product: str
    stars: int | None
    rated_on: dt.date
    valid_until: dt.date | None = None
    scheme: str = ""

    def valid_on(self, on: dt.date) -> bool | None:
        """Whether the rating is valid on *on* (``None`` when its end is unknown)."""
        if on < self.rated_on:
            return False
        if self.valid_until is None:
            return None
        return on < self.valid_until

    @classmethod
    def from_assessment(cls, result: PointsAssessment, rated_on: dt.date) -> OcopRating:
        """The rating a scored product holds, valid for the scheme's ``validity_months``.

        The stars are the confirmed band (``None`` when the band is undecided).
        """
        from ntmkit.points.loader import get

        ps = get(result.key)
        months = ps.validity_months
        until = None
        if months is not None and months.known:
            total = rated_on.month - 1 + int(months.value)
            year, month = rated_on.year + total // 12, total % 12 + 1
            day = min(rated_on.day, calendar.monthrange(year, month)[1])
            until = dt.date(year, month, day)
        return cls(product=result.unit.name, stars=result.stars if result.band_known else None,
                   rated_on=rated_on, valid_until=until, scheme=result.key)


@attrs.frozen
class OcopLink:
    """An indicator whose observation is "has an OCOP product of at least ``min_stars``".

    A floor the indicator does not state (only placed by reasoning) is ``None``, with its
    confidence ``inferred`` and the placed value in ``candidate``.
    """

    set: str
    indicator: str
    min_stars_confidence: Confidence = attrs.field(converter=Confidence)
    min_stars: int | None = None
    candidate: str = ""
    validity: str = "required"
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.min_stars_confidence.has_value == (self.min_stars is None):
            raise ValueError(f"{self.set} {self.indicator}: min_stars is given exactly when "
                             "its confidence has a value (keep a reasoned floor as candidate)")
        if self.validity not in ("required", "not_stated"):
            raise ValueError(f"{self.set} {self.indicator}: validity is 'required' or "
                             f"'not_stated', not {self.validity!r}")


@attrs.frozen
class Delegation:
    """An indicator of a national set whose content a provincial set defines.

    ``counts`` says what is counted against the indicator's threshold: ``"fields"`` (each
    bound set is one field, assessed for the commune) or ``"villages"`` (the bound set is a
    village set, assessed for each village of the commune).
    """

    set: str
    indicator: str
    to: str
    counts: str
    confidence: Confidence = attrs.field(converter=Confidence)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""


@attrs.frozen
class Binding:
    """Provincial sets bound to a delegated indicator for the communes of one province.

    >>> Binding("KM.4", province="Nam Định", sets=())  # doctest: +ELLIPSIS
    Binding(indicator='KM.4', province='Nam Định', sets=())
    """

    indicator: str
    province: str
    sets: tuple[CriteriaSet, ...] = attrs.field(converter=to_tuple)


@functools.lru_cache(maxsize=1)
def _links() -> tuple[tuple[OcopLink, ...], tuple[Delegation, ...], tuple[Source, ...]]:
    origin = "ntmkit/registry/points/links/links.toml"
    folder = importlib.resources.files("ntmkit.registry").joinpath("points").joinpath("links")
    entry = folder.joinpath("links.toml")
    data: dict[str, Any] = tomllib.loads(entry.read_text(encoding="utf-8"))
    if data.get("format") != "ntmkit.links.v1":
        raise CriteriaDataError(f"{origin}: format must be 'ntmkit.links.v1'")
    sources = tuple(Source(id=k, **v) for k, v in data.get("sources", {}).items())
    known = {s.id for s in sources}
    try:
        ocop = tuple(OcopLink(**d) for d in data.get("ocop", ()))
        delegated = tuple(Delegation(**d) for d in data.get("delegated", ()))
    except (TypeError, ValueError) as exc:
        raise CriteriaDataError(f"{origin}: {exc}") from None
    cited: list[OcopLink | Delegation] = [*ocop, *delegated]
    for link in cited:
        missing = set(link.sources) - known
        if missing:
            raise CriteriaDataError(f"{origin}: {link.set} {link.indicator}: sources "
                                    f"{sorted(missing)} are not in [sources]")
    return ocop, delegated, sources


def _lineage(cs: CriteriaSet, registry: CriteriaRegistry | None = None) -> set[str]:
    """The ids of *cs* and of the sets it derives from.

    A province's set that extends a national one keeps the national set's links.
    """
    ids = {cs.id}
    base = cs.derived_from
    while base is not None and len(ids) < 16:
        base_id = base.partition("@")[0]
        if base_id in ids:
            break
        ids.add(base_id)
        if registry is None:
            from ntmkit import registry as _registry

            registry = _registry.default()
        try:
            base = registry.get(base).derived_from
        except NtmkitError:
            break
    return ids


def ocop_links() -> tuple[OcopLink, ...]:
    """The indicators that take an OCOP rating as their observation."""
    return _links()[0]


def delegations() -> tuple[Delegation, ...]:
    """The delegated indicators of national sets."""
    return _links()[1]


def ocop_observations(ratings: Sequence[OcopRating], criteria_set: CriteriaSet,
                      on: dt.date, *, floors: Mapping[str, int] | None = None
                      ) -> dict[str, bool | None]:
    """The observations of *criteria_set*'s OCOP-linked indicators, from *ratings*, on *on*.

    ``True`` when a rating of enough stars is valid on *on*; ``False`` when no rating
    qualifies (an empty list means the unit has no rated product); ``None`` (unknown) when it
    depends on something not known: a rating's stars or end date, a lapsed rating where the
    indicator does not say whether it must still be valid, or a star floor the indicator does
    not state.  *floors* gives your own reading of such a floor, by indicator code.

    >>> from ntmkit import registry
    >>> cs = registry.get("commune/ntm-advanced@2022-03-08")
    >>> rating = OcopRating("Gạo", 3, dt.date(2023, 1, 1), dt.date(2026, 1, 1))
    >>> ocop_observations([rating], cs, dt.date(2024, 1, 1))
    {'13.2': None}
    >>> ocop_observations([rating], cs, dt.date(2024, 1, 1), floors={"13.2": 3})
    {'13.2': True}
    """
    out: dict[str, bool | None] = {}
    lineage = _lineage(criteria_set)
    for link in ocop_links():
        if link.set not in lineage or link.indicator not in criteria_set.indicators:
            continue
        floor = (floors or {}).get(link.indicator, link.min_stars)
        if floor is None:
            out[link.indicator] = None
            continue
        if any(r.stars is not None and r.stars >= floor and r.valid_on(on) for r in ratings):
            out[link.indicator] = True
        else:
            undecided = any(r.stars is None or (r.stars >= floor and r.valid_on(on) is None)
                            for r in ratings)
            # A lapsed rating where the indicator does not say it must still be valid.
            lapsed = link.validity != "required" and any(
                r.stars is not None and r.stars >= floor for r in ratings)
            out[link.indicator] = None if undecided or lapsed else False
    return out


def delegated_results(
    unit: Commune,
    criteria_set: CriteriaSet,
    bindings: Sequence[Binding] = (),
    observations: Mapping[str, Any] | None = None,
    *,
    year: int | None = None,
    on: dt.date | None = None,
    registry: CriteriaRegistry | None = None,
) -> dict[str, IndicatorResult]:
    """The results of *criteria_set*'s delegated indicators for *unit*.

    *bindings* name, per province, the provincial sets of each delegated indicator;
    *observations* maps a bound set's ``id@version`` to what it is assessed from: the
    commune's observations for a field set, or a list of ``(Village, observations)`` for a
    village set.  An indicator with no set bound for the commune's province is UNKNOWN.
    Pass the result as ``ntmkit.assess(..., decided=…)``.
    """
    from ntmkit.scoring import assess

    observations = observations or {}
    out: dict[str, IndicatorResult] = {}
    lineage = _lineage(criteria_set, registry)
    for d in delegations():
        if d.set not in lineage or d.indicator not in criteria_set.indicators:
            continue
        ind = criteria_set.indicators[d.indicator]
        found = ind.rule.candidates(Context(region=None, year=year))
        threshold = found[0] if len(found) == 1 else None
        bound = [b for b in bindings if b.indicator == d.indicator and b.province == unit.province]
        urls = {s.id: s.url for s in _links()[2]}
        base: dict[str, Any] = {
            "code": ind.code, "criterion": ind.criterion, "rule": ind.rule.kind,
            "unit": ind.unit, "name_vi": ind.name_vi, "name_en": ind.name_en,
            "threshold": threshold, "source_urls": tuple(urls[s] for s in d.sources)}
        what = "field" if d.counts == "fields" else "village"
        if not bound or not any(b.sets for b in bound):
            out[d.indicator] = IndicatorResult(
                verdict=Verdict.UNKNOWN, **base,
                reason=(f"delegated to the {d.to}: no provincial {what} set is bound for "
                        f"{unit.province or 'the commune (no province given)'}"))
            continue
        sets = [s for b in bound for s in b.sets]
        verdicts: list[tuple[str, Verdict]] = []
        for s in sets:
            given = observations.get(s.key, {} if d.counts == "fields" else [])
            if d.counts == "fields":
                if not isinstance(given, Mapping):
                    raise InvalidValue(f"observations for {s.key}: expected a mapping of "
                                       "indicator code to value")
                a = assess(unit, given, s, year=year, on=on, registry=registry)
                verdicts.append((s.key, a.verdict))
            else:
                for village, obs in given:
                    if not isinstance(village, Village):
                        raise InvalidValue(f"observations for {s.key}: expected "
                                           "(Village, observations) pairs")
                    a = assess(village, obs, s, year=year, on=on, registry=registry)
                    verdicts.append((f"{s.key} {village.name}", a.verdict))
        met = sum(v is Verdict.MET for _, v in verdicts)
        open_ = sum(v is Verdict.UNKNOWN for _, v in verdicts)
        detail = "; ".join(f"{k}: {v.value}" for k, v in verdicts) or f"no {what} assessed"
        if threshold is None or threshold.value is None or not threshold.confidence.has_value \
                or ind.rule.kind is not RuleKind.AT_LEAST:
            verdict, gap = Verdict.UNKNOWN, None
        elif met >= threshold.value:
            verdict, gap = Verdict.MET, None
        elif met + open_ >= threshold.value:
            verdict, gap = Verdict.UNKNOWN, None
        else:
            verdict, gap = Verdict.NOT_MET, threshold.value - met
        out[d.indicator] = IndicatorResult(
            verdict=verdict, value=float(met), gap=gap, **base,
            observed=f"{met} {what}(s) met of {len(verdicts)} assessed",
            reason=f"delegated to the {d.to}; bound for {unit.province}: {detail}")
    return out


def assess_delegated(
    unit: Commune,
    observations: Mapping[str, object],
    criteria_set: CriteriaSet,
    *,
    bindings: Sequence[Binding] = (),
    bound_observations: Mapping[str, Any] | None = None,
    year: int | None = None,
    on: dt.date | None = None,
    registry: CriteriaRegistry | None = None,
) -> Assessment:
    """Assess *unit* against *criteria_set*, its delegated indicators from the bound sets.

    The delegated indicators' own observations (a count typed in by hand) are ignored: their
    result comes from the provincial sets bound for the unit's province, or is UNKNOWN.
    """
    if not isinstance(unit, Commune):
        raise InvalidContext("delegated criteria are assessed for a Commune")
    from ntmkit.scoring import assess

    decided = delegated_results(unit, criteria_set, bindings, bound_observations, year=year,
                                on=on, registry=registry)
    own = {k: v for k, v in observations.items() if k not in decided}
    return assess(unit, own, criteria_set, year=year, on=on, registry=registry,
                  decided=decided)
