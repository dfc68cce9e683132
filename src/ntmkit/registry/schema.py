"""The schema of criteria-set data files, and its validator.

A data file is TOML in the format ``ntmkit.criteria-set.v1`` (documented in
``docs/registry-format.md``).  :func:`validate` checks a parsed file against the schema and
returns every problem with the path of the key at fault, so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ntmkit._spec import list_of, of_type, one_of, to_json_schema, walk
from ntmkit.model.enums import (
    DEPRECATED_CONFIDENCES,
    CommuneClass,
    Confidence,
    Level,
    Region,
    RuleKind,
    SourceKind,
    Tier,
)

__all__ = ["FORMAT", "json_schema", "validate"]

#: The format id every criteria-set data file declares in its ``format`` key.
FORMAT = "ntmkit.criteria-set.v1"

STR = of_type(str, name="a string")
INT = of_type(int, name="an integer")
NUMBER = of_type(int, float, name="a number")
BOOL = of_type(bool, name="true or false")
DATE = of_type(dt.date, name="a date (YYYY-MM-DD, unquoted)")
STR_LIST = list_of(STR, name="strings")
CONFIDENCE = one_of(Confidence, name="confidence", deprecated=tuple(DEPRECATED_CONFIDENCES))
REGION = one_of(Region, name="region")
CLASS = one_of(CommuneClass, name="commune class")


def _year_range(value: Any) -> str | None:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        return "expected [first_year, last_year], two integers in order"
    return None


_year_range.json_schema = {  # type: ignore[attr-defined]
    "type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}


# Each table: key -> (check, required)
LEGAL_REF = {
    "act": (STR, True), "article": (STR, False), "date": (DATE, False),
    "url": (STR, False), "title": (STR, False),
}
SOURCE = {"url": (STR, True), "publisher": (STR, False), "date": (STR, False),
          "about": (STR, False), "kind": (one_of(SourceKind, name="source kind"), False)}
SUBSTITUTION = {
    "classes": (list_of(CLASS, name="commune classes"), True), "region": (REGION, True),
    "confidence": (CONFIDENCE, True), "sources": (STR_LIST, False), "note": (STR, False),
}
RELATIVE = {"set": (STR, True), "indicator": (STR, True), "factor": (NUMBER, True)}
THRESHOLD = {
    "region": (REGION, False), "year": (INT, False), "commune_class": (CLASS, False),
    "group": (INT, False), "value": (NUMBER, False), "upper": (NUMBER, False),
    "options": (STR_LIST, False), "applies": (BOOL, False), "confidence": (CONFIDENCE, True),
    "sources": (STR_LIST, False), "legal_ref": (LEGAL_REF, False), "candidate": (STR, False),
    "relative_to": (RELATIVE, False), "note": (STR, False),
}
CHILDREN = {"level": (one_of(Level, name="level"), True), "tier": (one_of(Tier, name="tier"), True),
            "note": (STR, False)}
INDICATOR = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True), "unit": (STR, True),
    "rule": (one_of(RuleKind, name="rule"), True), "year_dependent": (BOOL, False),
    "minimum": (NUMBER, False), "maximum": (NUMBER, False), "code_confidence": (CONFIDENCE, False),
    "name_vi_reconstructed": (BOOL, False), "note": (STR, False), "thresholds": ([THRESHOLD], True),
    "children": (CHILDREN, False), "by_sex": (BOOL, False), "applies_if": (STR, False),
}
CRITERION = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True),
    "indicators_complete": (BOOL, False), "confidence": (CONFIDENCE, False),
    "sources": (STR_LIST, False), "note": (STR, False), "indicators": ([INDICATOR], False),
}
PILLAR = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True),
    "confidence": (CONFIDENCE, False), "note": (STR, False), "criteria": ([CRITERION], True),
}
OVERRIDE = dict(THRESHOLD, indicator=(STR, True))
_COMMON = {
    "format": (STR, True),
    "id": (STR, True), "version": (STR, True), "title_vi": (STR, False),
    "title_en": (STR, False), "period": (STR, False), "effective": (DATE, True),
    "checked_on": (DATE, False), "superseded_on": (DATE, False),
    "superseded_by": (LEGAL_REF, False), "amended_by": ([LEGAL_REF], False),
    "legal_basis": (LEGAL_REF, False), "years": (_year_range, False),
    "criteria_count": (INT, False), "complete": (BOOL, False), "requires": (STR_LIST, False),
    "groups": (list_of(INT, name="integers"), False),
    "region_substitutions": ([SUBSTITUTION], False), "sources": ({"*": SOURCE}, False),
    "note": (STR, False), "level": (one_of(Level, name="level"), False),
    "tier": (one_of(Tier, name="tier"), False),
}
#: A complete set file.
SET = dict(_COMMON, pillars=([PILLAR], True))
#: A file that derives a set from another with ``extends`` and explicit ``overrides``.
ADDED_INDICATOR = dict(INDICATOR, criterion=(STR, True))
DERIVED = dict(_COMMON, extends=(STR, True), carry_forward=(BOOL, False),
               carry_forward_note=(STR, False), overrides=([OVERRIDE], False),
               add_indicators=([ADDED_INDICATOR], False),
               replace_indicators=([ADDED_INDICATOR], False))
_REQUIRED_FULL = ("level", "tier", "title_vi", "title_en", "checked_on", "legal_basis")


def validate(data: Mapping[str, Any]) -> list[str]:
    """Return the problems of a parsed criteria-set file (empty when it is valid).

    Each problem reads ``path.to.key: what is wrong``.
    """
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    spec = DERIVED if "extends" in data else SET
    walk(data, spec, "", problems)
    if "extends" not in data:
        problems.extend(f"{k}: required key is missing" for k in _REQUIRED_FULL if k not in data)
    return problems


def json_schema() -> dict[str, Any]:
    """The data-file format as a JSON Schema (draft 2020-12), for editors and other tools.

    A file is either a whole set or a derived set (``extends``).  Dates are TOML dates
    (``format: date``).  Cross-references (source ids, threshold coverage) are checked by
    ntmkit when it loads a file, not by the schema.
    """
    full = to_json_schema(SET)
    full["required"] = sorted(set(full["required"]) | set(_REQUIRED_FULL))
    derived = to_json_schema(DERIVED)
    for variant in (full, derived):
        variant["properties"]["format"] = {"const": FORMAT}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ntmkit.readthedocs.io/schemas/criteria-set.v1.json",
        "title": "ntmkit criteria set (ntmkit.criteria-set.v1)",
        "oneOf": [full, derived],
    }
