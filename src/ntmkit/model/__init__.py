"""The domain model: places, criteria and results, as frozen attrs classes.

Nothing here reads files, converts units or scores; the other layers build on these types.
"""

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
from ntmkit.model.enums import (
    CommuneClass,
    Confidence,
    Level,
    Region,
    RuleKind,
    SourceKind,
    Tier,
    Verdict,
)
from ntmkit.model.places import EDITIONS, Commune, District, Province, Village
from ntmkit.model.results import (
    TRACE_FORMAT,
    Assessment,
    BySex,
    CriterionResult,
    Gap,
    IndicatorResult,
    PillarResult,
    Share,
)

__all__ = [
    "EDITIONS",
    "TRACE_FORMAT",
    "Assessment",
    "BySex",
    "ChildSpec",
    "Commune",
    "CommuneClass",
    "Condition",
    "Confidence",
    "Context",
    "CriteriaSet",
    "Criterion",
    "CriterionResult",
    "District",
    "Gap",
    "Indicator",
    "IndicatorResult",
    "LegalRef",
    "Level",
    "Pillar",
    "PillarResult",
    "Province",
    "Region",
    "RegionSubstitution",
    "RelativeValue",
    "Rule",
    "RuleKind",
    "Share",
    "Source",
    "SourceKind",
    "Threshold",
    "Tier",
    "Verdict",
    "Village",
]
