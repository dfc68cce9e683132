"""The schema of points-set data files (``ntmkit.points-set.v1``) and its validator.

Points sets use the same TOML family as criteria sets (``format``, ``id``, ``version``,
``[legal_basis]``, ``[sources]``) with components, sub-indicators and bands in place of
pillars, criteria and indicators.  The checks are built from the same pieces as the
criteria-set schema, so both formats report problems the same way (``path.to.key: what``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ntmkit._spec import one_of, to_json_schema, walk
from ntmkit.points.model import POINTS_FORMAT, EdgeRule, MergeRule, PointsRuleKind
from ntmkit.registry.schema import (
    BOOL,
    CONFIDENCE,
    DATE,
    INT,
    LEGAL_REF,
    NUMBER,
    SOURCE,
    STR,
    STR_LIST,
)

__all__ = ["POINTS_FORMAT", "SUBJECTS", "json_schema", "validate"]

#: What a points set may score.
SUBJECTS = ("province", "district", "commune", "village", "product")


def _subject(value: Any) -> str | None:
    if value not in SUBJECTS:
        return f"unknown subject {value!r}; expected one of: {', '.join(SUBJECTS)}"
    return None


_subject.json_schema = {"enum": list(SUBJECTS)}  # type: ignore[attr-defined]

def _roles(value: Any) -> str | None:
    if not isinstance(value, Mapping) or not value:
        return "expected a table of role = share of the maximum (0…1)"
    for role, share in value.items():
        if isinstance(share, bool) or not isinstance(share, (int, float)):
            return f"role {role!r}: expected a number, got {share!r}"
    return None


_roles.json_schema = {"type": "object", "additionalProperties": {"type": "number"}}  # type: ignore[attr-defined]

VALUED = {"value": (NUMBER, False), "confidence": (CONFIDENCE, True),
          "sources": (STR_LIST, False), "candidate": (STR, False), "note": (STR, False)}
TEXT_VALUED = dict(VALUED, value=(STR, False))
STEP = {"at_least": (NUMBER, True), "points": (NUMBER, True)}
RULE = {
    "kind": (one_of(PointsRuleKind, name="points rule"), True), "steps": ([STEP], False),
    "roles": (_roles, False), "points": (NUMBER, False), "cap": (NUMBER, False),
}
SUB_INDICATOR = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True), "rule": (RULE, False),
    "max_points": (NUMBER, False), "confidence": (CONFIDENCE, True),
    "sources": (STR_LIST, False), "candidate": (STR, False), "note": (STR, False),
}
COMPONENT = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True),
    "max_points": (NUMBER, False), "confidence": (CONFIDENCE, True),
    "sources": (STR_LIST, False), "scored": (BOOL, False), "weight": (NUMBER, False),
    "group": (STR, False), "sub_indicators": ([SUB_INDICATOR], False),
    "sub_indicators_complete": (BOOL, False), "sub_indicator_count": (INT, False),
    "candidate": (STR, False), "note": (STR, False),
}
BAND = {
    "code": (STR, True), "label_vi": (STR, True), "label_en": (STR, True),
    "min_points": (INT, False), "confidence": (CONFIDENCE, True), "stars": (INT, False),
    "gates": (STR_LIST, False), "gates_known": (BOOL, False), "level": (STR, False),
    "sources": (STR_LIST, False), "candidate": (STR, False), "note": (STR, False),
}
GROUP = {"code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True)}
OVERRIDE = {"component": (STR, True), "max_points": (NUMBER, False),
            "confidence": (CONFIDENCE, True), "sources": (STR_LIST, False),
            "note": (STR, False)}
_COMMON = {
    "format": (STR, True), "kind": (STR, True), "id": (STR, True), "version": (STR, True),
    "subject": (_subject, False), "title_vi": (STR, False), "title_en": (STR, False),
    "period": (STR, False), "effective": (DATE, True), "checked_on": (DATE, False),
    "superseded_on": (DATE, False), "superseded_by": (LEGAL_REF, False),
    "amended_by": ([LEGAL_REF], False), "replaces": ([LEGAL_REF], False),
    "legal_basis": (LEGAL_REF, False), "total_points": (VALUED, False),
    "edge_rule": (one_of(EdgeRule, name="edge rule"), False), "averaging": (TEXT_VALUED, False),
    "validity_months": (VALUED, False),
    "merge_rule": (dict(TEXT_VALUED, value=(one_of(MergeRule, name="merge rule"), True)), False),
    "groups": ([GROUP], False), "product_groups": (STR_LIST, False),
    "complete": (BOOL, False), "sources": ({"*": SOURCE}, False), "note": (STR, False),
}
#: A complete points-set file.
SET = dict(_COMMON, components=([COMPONENT], True), bands=([BAND], False))
#: A file that derives a points set from another with ``extends`` and explicit overrides.
DERIVED = dict(_COMMON, extends=(STR, True), overrides=([OVERRIDE], False),
               bands=([BAND], False))
_REQUIRED_FULL = ("subject", "title_vi", "title_en", "checked_on", "legal_basis")


def validate(data: Mapping[str, Any]) -> list[str]:
    """Return the problems of a parsed points-set file (empty when it is valid).

    >>> validate({"format": "ntmkit.points-set.v1"})[:2]
    ['kind: required key is missing', 'id: required key is missing']
    """
    problems: list[str] = []
    if data.get("format") != POINTS_FORMAT:
        problems.append(f"format: expected {POINTS_FORMAT!r}, got {data.get('format')!r}")
    spec = DERIVED if "extends" in data else SET
    walk(data, spec, "", problems)
    if "kind" in data and data["kind"] != "points":
        problems.append(f"kind: expected 'points', got {data['kind']!r}")
    if "extends" not in data:
        problems.extend(f"{k}: required key is missing" for k in _REQUIRED_FULL if k not in data)
    return problems


def json_schema() -> dict[str, Any]:
    """The points-set file format as a JSON Schema (draft 2020-12).

    Cross-references (source ids, component codes in gates) are checked by ntmkit when it
    loads a file, not by the schema.
    """
    full = to_json_schema(SET)
    full["required"] = sorted(set(full["required"]) | set(_REQUIRED_FULL))
    derived = to_json_schema(DERIVED)
    for variant in (full, derived):
        variant["properties"]["format"] = {"const": POINTS_FORMAT}
        variant["properties"]["kind"] = {"const": "points"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ntmkit.readthedocs.io/schemas/points-set.v1.json",
        "title": "ntmkit points set (ntmkit.points-set.v1)",
        "oneOf": [full, derived],
    }

