"""Turn parsed criteria-set files into :class:`~ntmkit.CriteriaSet` objects.

A file either describes a whole set, or ``extends`` another set and lists explicit
``overrides`` (how an amended version, or a province's stricter set, is written).  Every
problem is reported with the file and the path of the key at fault; nothing half-built is
ever returned.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from ntmkit._spec import construct
from ntmkit.errors import CriteriaDataError, NtmkitError
from ntmkit.model.criteria import (
    ChildSpec,
    Condition,
    Context,
    CriteriaSet,
    Criterion,
    Indicator,
    LegalRef,
    Pillar,
    RegionSubstitution,
    RelativeValue,
    Rule,
    Source,
    Threshold,
)
from ntmkit.model.enums import DEPRECATED_CONFIDENCES, Confidence, Region
from ntmkit.registry.schema import validate

__all__ = ["build_set", "check_coverage", "check_requires", "derive"]

T = TypeVar("T")

_CONDITION_KEYS = ("region", "year", "commune_class", "group")
_THRESHOLD_KEYS = ("value", "upper", "options", "applies", "confidence", "sources",
                   "candidate", "note")


def _legal_ref(d: Mapping[str, Any] | None) -> LegalRef | None:
    return None if d is None else LegalRef(**d)


def _threshold(d: Mapping[str, Any]) -> Threshold:
    when = Condition(**{k: d[k] for k in _CONDITION_KEYS if k in d})
    kwargs = {k: d[k] for k in _THRESHOLD_KEYS if k in d}
    if isinstance(kwargs.get("value"), int):
        kwargs["value"] = float(kwargs["value"])
    if isinstance(kwargs.get("upper"), int):
        kwargs["upper"] = float(kwargs["upper"])
    relative = d.get("relative_to")
    return Threshold(when=when, legal_ref=_legal_ref(d.get("legal_ref")),
                     relative_to=None if relative is None else RelativeValue(
                         set=relative["set"], indicator=relative["indicator"],
                         factor=float(relative["factor"])),
                     **kwargs)


def _at(path: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return build(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        raise _Problem(f"{path}: {exc}") from None


class _Problem(Exception):
    pass


def _indicator(d: Mapping[str, Any], criterion: str, path: str) -> Indicator:
    thresholds = tuple(
        _at(f"{path}.thresholds[{i}]", _threshold, t)
        for i, t in enumerate(d["thresholds"])
    )
    rule = _at(f"{path}.thresholds", Rule, kind=d["rule"], thresholds=thresholds)
    minimum, maximum = d.get("minimum"), d.get("maximum")
    if d["unit"] == "%":
        minimum = 0.0 if minimum is None else minimum
        maximum = 100.0 if maximum is None else maximum
    elif rule.kind.value in ("at_least", "at_most", "between") and minimum is None:
        minimum = 0.0
    if d.get("by_sex") and rule.kind.value not in ("at_least", "at_most", "between"):
        raise _Problem(f"{path}.by_sex: only a numeric indicator can be observed by sex")
    if rule.kind.value == "share_of_children" and "children" not in d:
        raise _Problem(f"{path}.children: a share_of_children indicator needs "
                       "children = {{ level = …, tier = … }}")
    return _at(
        path,
        Indicator,
        code=d["code"], criterion=criterion, name_vi=d["name_vi"], name_en=d["name_en"],
        unit=d["unit"], rule=rule, year_dependent=d.get("year_dependent", False),
        minimum=None if minimum is None else float(minimum),
        maximum=None if maximum is None else float(maximum),
        code_confidence=d.get("code_confidence", "verified"),
        name_vi_reconstructed=d.get("name_vi_reconstructed", False), note=d.get("note", ""),
        children=ChildSpec(**d["children"]) if "children" in d else None,
        by_sex=d.get("by_sex", False), applies_if=d.get("applies_if", ""),
    )


def _pillars(data: Mapping[str, Any]) -> tuple[Pillar, ...]:
    pillars = []
    for p_i, p in enumerate(data["pillars"]):
        criteria = []
        for c_i, c in enumerate(p["criteria"]):
            path = f"pillars[{p_i}].criteria[{c_i}]"
            indicators = tuple(
                _indicator(ind, c["code"], f"{path}.indicators[{i_i}]")
                for i_i, ind in enumerate(c.get("indicators", []))
            )
            criteria.append(_at(
                path, Criterion, code=c["code"], name_vi=c["name_vi"], name_en=c["name_en"],
                indicators=indicators,
                indicators_complete=c.get("indicators_complete", True),
                confidence=c.get("confidence", "verified"), sources=c.get("sources", ()),
                note=c.get("note", ""),
            ))
        pillars.append(Pillar(code=p["code"], name_vi=p["name_vi"], name_en=p["name_en"],
                              criteria=tuple(criteria),
                              confidence=p.get("confidence", "verified"), note=p.get("note", "")))
    return tuple(pillars)


def _metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("id", "version", "title_vi", "title_en", "period", "effective", "checked_on",
                "superseded_on", "criteria_count", "complete", "requires", "note", "level",
                "tier"):
        if key in data:
            out[key] = data[key]
    if "years" in data:
        out["years"] = tuple(data["years"])
    if "groups" in data:
        out["groups"] = tuple(data["groups"])
    for key in ("legal_basis", "superseded_by"):
        if key in data:
            out[key] = _legal_ref(data[key])
    if "amended_by" in data:
        out["amended_by"] = tuple(LegalRef(**a) for a in data["amended_by"])
    if "region_substitutions" in data:
        out["region_substitutions"] = tuple(
            _at(f"region_substitutions[{i}]", RegionSubstitution, **s)
            for i, s in enumerate(data["region_substitutions"])
        )
    if "sources" in data:
        out["sources"] = tuple(Source(id=k, **v) for k, v in data["sources"].items())
    return out


def check_coverage(cs: CriteriaSet) -> list[str]:
    """Check that every indicator has exactly one threshold for every context the set covers.

    The covered contexts are the seven regions, times the years of ``cs.years`` for
    year-dependent indicators.  Returns the problems found (empty when none).
    """
    problems: list[str] = []
    known_sources = {s.id for s in cs.sources}
    years: list[int | None] = [None]
    if cs.years is not None:
        years = list(range(cs.years[0], cs.years[1] + 1))
    for ind in cs.indicators.values():
        for t in ind.rule.thresholds:
            for s in t.sources:
                if s not in known_sources:
                    problems.append(f"indicator {ind.code}: source {s!r} is not in [sources]")
            if t.when.year is not None and not ind.year_dependent:
                problems.append(f"indicator {ind.code}: a threshold names a year but the "
                                "indicator is not year_dependent")
        if ind.year_dependent and cs.years is None:
            problems.append(f"indicator {ind.code} is year_dependent but the set has no years")
            continue
        groups: list[int | None] = list(cs.groups) if cs.groups else [None]
        for region in Region:
            for year in years if ind.year_dependent else [None]:
                for group in groups:
                    found = ind.rule.candidates(Context(region, year, group=group))
                    where = (f"region={region.value}" + (f", year={year}" if year else "")
                             + (f", group={group}" if group is not None else ""))
                    if not found:
                        problems.append(f"indicator {ind.code}: no threshold for {where}")
                    elif len(found) > 1:
                        problems.append(f"indicator {ind.code}: {len(found)} equally specific "
                                        f"thresholds for {where}")
        problems.extend(_outside_range(ind))
        for t in ind.rule.thresholds:
            if t.when.group is not None and (not cs.groups or t.when.group not in cs.groups):
                problems.append(f"indicator {ind.code}: a threshold names group "
                                f"{t.when.group}, which is not in the set's groups")
    for criterion in cs.criteria.values():
        for s in criterion.sources:
            if s not in known_sources:
                problems.append(f"criterion {criterion.code}: source {s!r} is not in [sources]")
    for sub in cs.region_substitutions:
        for s in sub.sources:
            if s not in known_sources:
                problems.append(f"region substitution: source {s!r} is not in [sources]")
    return problems


def _outside_range(ind: Indicator) -> list[str]:
    """Thresholds no observation could meet or fail: outside the indicator's possible range.

    A share of −5 % or 1000 % would make 0 % or 150 % pass; such a set is refused.
    """
    low, high = ind.minimum, ind.maximum
    out = []
    for t in ind.rule.thresholds:
        for name, value in (("value", t.value), ("upper", t.upper)):
            if value is None:
                continue
            if (low is not None and value < low) or (high is not None and value > high):
                bounds = (f"{low:g}" if low is not None else "-∞") + "–" + \
                    (f"{high:g}" if high is not None else "∞")
                out.append(f"indicator {ind.code}: threshold ({t.when.describe()}) {name} "
                           f"{value:g} {ind.unit} is outside the possible range {bounds} "
                           f"{ind.unit}")
    return out


def check_requires(cs: CriteriaSet, resolve: Callable[[str], CriteriaSet]) -> None:
    """Check that the sets *cs* requires exist and that ``requires`` forms no cycle.

    Raises :class:`~ntmkit.errors.CriteriaDataError` naming the cycle or the missing set.
    """
    def walk(key: str, chain: tuple[str, ...]) -> None:
        if key in chain:
            raise CriteriaDataError(f"{cs.key}: 'requires' forms a cycle: "
                                    f"{' → '.join((*chain, key))}")
        if key == cs.key:
            required = cs
        else:
            try:
                required = resolve(key)
            except NtmkitError as exc:
                raise CriteriaDataError(f"{cs.key}: requires {key!r}: {exc}") from None
        for sub in required.requires:
            walk(sub, (*chain, key))

    walk(cs.key, ())


#: The most commune groups a set may have (the 2026–2030 sets have three).
MAX_GROUPS = 10
#: The most years a set's ``years`` may span (a programme period is five).
MAX_YEARS = 50


def _check_size(cs: CriteriaSet) -> list[str]:
    """Limits that keep checking and scoring a set bounded: years and groups multiply cells."""
    problems = []
    if cs.groups is not None and len(cs.groups) > MAX_GROUPS:
        problems.append(f"groups: {len(cs.groups)} commune groups; a set may have at most "
                        f"{MAX_GROUPS}")
    if cs.years is not None:
        first, last = (*cs.years, None, None)[:2] if len(cs.years) == 2 else (None, None)
        if not (isinstance(first, int) and isinstance(last, int)) or first > last or \
                last - first + 1 > MAX_YEARS or not 1 <= first <= last <= 9999:
            problems.append(f"years: {list(cs.years)} must be [first, last] with first ≤ last, "
                            f"within 1–9999 and at most {MAX_YEARS} years apart")
    return problems


def _finish(cs_kwargs: dict[str, Any], origin: str) -> CriteriaSet:
    return construct(CriteriaSet, cs_kwargs, origin, _check_size, check_coverage)



def build_set(
    data: Mapping[str, Any],
    origin: str,
    resolve: Callable[[str], CriteriaSet] | None = None,
) -> CriteriaSet:
    """Build a set from a parsed file; *origin* names the file in error messages.

    *resolve* looks up the set named by ``extends`` (``"id@version"``).
    """
    problems = validate(data)
    if problems:
        raise CriteriaDataError.listing(origin, problems)
    old = sorted(set(_deprecated_spellings(data)))
    if old:
        warnings.warn(
            f"{origin}: confidence {', '.join(repr(o) for o in old)} is deprecated; write "
            + ", ".join(f"{DEPRECATED_CONFIDENCES[o]!r} for {o!r}" for o in old)
            + " (the file loads with that meaning)", DeprecationWarning, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return _build(data, origin, resolve)
    return _build(data, origin, resolve)


def _deprecated_spellings(data: Any) -> list[str]:
    if isinstance(data, Mapping):
        found = [v for k, v in data.items()
                 if k in ("confidence", "code_confidence") and v in DEPRECATED_CONFIDENCES]
        for v in data.values():
            found.extend(_deprecated_spellings(v))
        return found
    if isinstance(data, list):
        return [x for v in data for x in _deprecated_spellings(v)]
    return []


def _build(
    data: Mapping[str, Any],
    origin: str,
    resolve: Callable[[str], CriteriaSet] | None,
) -> CriteriaSet:
    try:
        meta = _metadata(data)
        if "extends" in data:
            if resolve is None:
                raise _Problem(f"extends: cannot resolve {data['extends']!r} here")
            base = resolve(data["extends"])
            overrides = [
                (o["indicator"], _at(f"overrides[{i}]", _threshold, o))
                for i, o in enumerate(data.get("overrides", []))
            ]
            new = [
                _indicator(a, a["criterion"], f"add_indicators[{i}]")
                for i, a in enumerate(data.get("add_indicators", []))
            ]
            replaced = [
                _indicator(a, a["criterion"], f"replace_indicators[{i}]")
                for i, a in enumerate(data.get("replace_indicators", []))
            ]
            return derive(
                base, overrides=overrides, carry_forward=data.get("carry_forward", False),
                carry_forward_note=data.get("carry_forward_note", ""), origin=origin,
                add_indicators=new, replace_indicators=replaced, **meta,
            )
        meta["pillars"] = _pillars(data)
    except _Problem as exc:
        raise CriteriaDataError(f"{origin}: {exc}") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # The schema has checked the shapes; what is left is a value the model refuses.
        raise CriteriaDataError(f"{origin}: {type(exc).__name__}: {exc}") from None
    return _finish(meta, origin)


def _carry(t: Threshold, note: str) -> Threshold:
    # Every value with a confidence that decides verdicts is carried, "does not apply" too.
    if not t.confidence.has_value:
        return t
    joined = f"{note} {t.note}".strip() if note else t.note
    return attrs.evolve(t, confidence=Confidence.CARRIED_FORWARD, note=joined)


def derive(
    base: CriteriaSet,
    *,
    id: str,
    version: str,
    overrides: list[tuple[str, Threshold]] | tuple[tuple[str, Threshold], ...] = (),
    carry_forward: bool = False,
    carry_forward_note: str = "",
    origin: str = "<derived set>",
    add_indicators: list[Indicator] | tuple[Indicator, ...] = (),
    replace_indicators: list[Indicator] | tuple[Indicator, ...] = (),
    **metadata: Any,
) -> CriteriaSet:
    """Derive a new set from *base*, with its own id and version, and explicit overrides.

    Each override ``(indicator code, threshold)`` replaces the base threshold with the same
    condition, or adds a more specific one.  With ``carry_forward=True`` every inherited
    value is marked :attr:`~ntmkit.Confidence.CARRIED_FORWARD` (an amended version whose
    changes are not all known).  Sources given in *metadata* are added to the base's.
    *add_indicators* adds indicators the base does not have (each names its criterion), for
    completing a set whose indicator list is not in the registry.  *replace_indicators* replaces
    indicators of *base* wholesale (same code and criterion), for an amendment that rewords an
    indicator or changes its rule (a percentage that became a yes/no condition); their
    thresholds are the new ones, never carried forward.
    """
    replacing: dict[str, Indicator] = {}
    for ind in replace_indicators:
        old = base.indicators.get(ind.code)
        if old is None or old.criterion != ind.criterion:
            raise CriteriaDataError(
                f"{origin}: replaced indicator {ind.code!r} of criterion {ind.criterion!r} is "
                f"not in {base.key}; add it with add_indicators instead")
        replacing[ind.code] = ind
    added: dict[str, list[Indicator]] = {}
    for ind in add_indicators:
        if ind.code in base.indicators:
            raise CriteriaDataError(f"{origin}: added indicator {ind.code!r} is already in "
                                    f"{base.key}; fill its thresholds instead")
        if ind.criterion not in base.criteria:
            raise CriteriaDataError(f"{origin}: added indicator {ind.code!r} names criterion "
                                    f"{ind.criterion!r}, which {base.key} does not have")
        added.setdefault(ind.criterion, []).append(ind)
    by_indicator: dict[str, list[Threshold]] = {}
    known = set(base.indicators) | {i.code for i in add_indicators}
    for code, threshold in overrides:
        if code not in known:
            raise CriteriaDataError(
                f"{origin}: override names indicator {code!r}, which {base.key} does not have"
            )
        by_indicator.setdefault(code, []).append(threshold)

    def new_indicator(ind: Indicator) -> Indicator:
        replaced = ind.code in replacing
        ind = replacing.get(ind.code, ind)
        thresholds = {t.when: t for t in ind.rule.thresholds}
        if carry_forward and not replaced:
            thresholds = {w: _carry(t, carry_forward_note) for w, t in thresholds.items()}
        for t in by_indicator.get(ind.code, []):
            thresholds[t.when] = t
        try:
            rule = Rule(kind=ind.rule.kind, thresholds=tuple(thresholds.values()))
        except ValueError as exc:
            raise CriteriaDataError(f"{origin}: override of indicator {ind.code}: {exc}") from None
        return attrs.evolve(ind, rule=rule)

    pillars = tuple(
        attrs.evolve(p, criteria=tuple(
            attrs.evolve(c, indicators=tuple(
                new_indicator(i) for i in (*c.indicators, *added.get(c.code, ()))))
            for c in p.criteria
        ))
        for p in base.pillars
    )
    sources = {s.id: s for s in base.sources}
    for s in metadata.pop("sources", ()):
        sources[s.id] = s
    kwargs: dict[str, Any] = {
        f.name: getattr(base, f.name) for f in attrs.fields(CriteriaSet) if f.init
    }
    if "superseded_on" in metadata and "superseded_by" not in metadata:
        kwargs["superseded_by"] = None  # the base's superseding act is not this version's
    kwargs.update(metadata)
    kwargs.update(id=id, version=version, pillars=pillars, sources=tuple(sources.values()),
                  derived_from=base.key)
    if "checked_on" not in metadata:
        kwargs["checked_on"] = dt.date.today() if base.checked_on is None else base.checked_on
    return _finish(kwargs, origin)
