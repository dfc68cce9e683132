"""ntmkit: Vietnam's New Rural Development (*Nông thôn mới*) criteria as data you can pin.

The public API at a glance::

    import datetime as dt
    import ntmkit

    cs = ntmkit.registry.get("commune/ntm", on=dt.date(2024, 6, 1))
    commune = ntmkit.Commune(code="12345", name="Tứ Dân", region=ntmkit.Region.RED_RIVER_DELTA)
    result = ntmkit.assess(commune, {"3.1": 85.0, "10": ntmkit.Q(4.5, "million VND/person/month")},
                           cs, year=2024)
    print(result.explain(lang="en"))

``import ntmkit`` loads attrs and the domain model only; pint, cattrs and the registry data
load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ntmkit._version import __version__
from ntmkit.errors import (
    AssumedUnitWarning,
    CriteriaDataError,
    InvalidContext,
    InvalidValue,
    MissingDependency,
    NtmkitError,
    NtmkitWarning,
    ObservationFileError,
    OutputFileError,
    StaleCriteriaError,
    StaleCriteriaWarning,
    UnitMismatch,
    UnknownCriteriaSet,
    UnknownIndicator,
    UnknownProvince,
)
from ntmkit.model import (
    TRACE_FORMAT,
    Assessment,
    BySex,
    ChildSpec,
    Commune,
    CommuneClass,
    Condition,
    Confidence,
    Context,
    CriteriaSet,
    Criterion,
    CriterionResult,
    District,
    Gap,
    Indicator,
    IndicatorResult,
    LegalRef,
    Level,
    Pillar,
    PillarResult,
    Province,
    Region,
    RegionSubstitution,
    RelativeValue,
    Rule,
    RuleKind,
    Share,
    Source,
    SourceKind,
    Threshold,
    Tier,
    Verdict,
    Village,
)

if TYPE_CHECKING:
    from ntmkit import gaps, io, places, points, registry, rollup, targets
    from ntmkit.batch import assess_frame, summarise
    from ntmkit.gaps import gaps_frame
    from ntmkit.scoring import assess
    from ntmkit.standing import progress
    from ntmkit.trajectory import history
    from ntmkit.units import Q

__all__ = [
    "TRACE_FORMAT",
    "Assessment",
    "AssumedUnitWarning",
    "BySex",
    "ChildSpec",
    "Commune",
    "CommuneClass",
    "Condition",
    "Confidence",
    "Context",
    "CriteriaDataError",
    "CriteriaSet",
    "Criterion",
    "CriterionResult",
    "District",
    "Gap",
    "Indicator",
    "IndicatorResult",
    "InvalidContext",
    "InvalidValue",
    "LegalRef",
    "Level",
    "MissingDependency",
    "NtmkitError",
    "NtmkitWarning",
    "ObservationFileError",
    "OutputFileError",
    "Pillar",
    "PillarResult",
    "Province",
    "Q",
    "Region",
    "RegionSubstitution",
    "RelativeValue",
    "Rule",
    "RuleKind",
    "Share",
    "Source",
    "SourceKind",
    "StaleCriteriaError",
    "StaleCriteriaWarning",
    "Threshold",
    "Tier",
    "UnitMismatch",
    "UnknownCriteriaSet",
    "UnknownIndicator",
    "UnknownProvince",
    "Verdict",
    "Village",
    "__version__",
    "assess",
    "assess_frame",
    "gaps",
    "gaps_frame",
    "history",
    "io",
    "places",
    "points",
    "progress",
    "registry",
    "rollup",
    "summarise",
    "targets",
]

_LAZY = {
    "assess": ("ntmkit.scoring", "assess"),
    "assess_frame": ("ntmkit.batch", "assess_frame"),
    "summarise": ("ntmkit.batch", "summarise"),
    "Q": ("ntmkit.units", "Q"),
    "registry": ("ntmkit.registry", None),
    "io": ("ntmkit.io", None),
    "places": ("ntmkit.places", None),
    "points": ("ntmkit.points", None),
    "rollup": ("ntmkit.rollup", None),
    "targets": ("ntmkit.targets", None),
    "gaps": ("ntmkit.gaps", None),
    "gaps_frame": ("ntmkit.gaps", "gaps_frame"),
    "progress": ("ntmkit.standing", "progress"),
    "history": ("ntmkit.trajectory", "history"),
}


def __getattr__(name: str) -> Any:
    # Heavy parts (pint, cattrs, registry data) load on first use, not at import.
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ntmkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
