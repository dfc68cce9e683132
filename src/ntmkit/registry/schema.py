"""The schema of criteria-set data files, and its validator.

A data file is TOML in the format ``ntmkit.criteria-set.v1`` (documented in
``docs/registry-format.md``).  :func:`validate` checks a parsed file against the schema and
returns every problem with the path of the key at fault, so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

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

Check = Callable[[Any], str | None]


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _type(*types: type, name: str) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) and bool not in types:
            return f"expected {name}, got a boolean"
        if not isinstance(value, types):
            return f"expected {name}, got {type(value).__name__} {value!r}"
        return None

    if types == (dt.date,):
        check.json_schema = {"type": "string", "format": "date"}  # type: ignore[attr-defined]
    else:
        kinds = sorted({_JSON_TYPES[t] for t in types})
        if kinds == ["integer", "number"]:
            kinds = ["number"]
        check.json_schema = {"type": kinds[0] if len(kinds) == 1 else kinds}  # type: ignore[attr-defined]
    return check


def _enum(enum_type: type, *, name: str, deprecated: tuple[str, ...] = ()) -> Check:
    # Deprecated spellings still validate (the model maps them and warns).
    allowed = [m.value for m in enum_type] + list(deprecated)  # type: ignore[attr-defined]

    def check(value: Any) -> str | None:
        if value not in allowed:
            return f"unknown {name} {value!r}; expected one of: {', '.join(allowed)}"
        return None

    check.json_schema = {"enum": allowed}  # type: ignore[attr-defined]
    return check


def _list_of(item: Check, *, name: str) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"expected a list of {name}, got {type(value).__name__}"
        for i, v in enumerate(value):
            problem = item(v)
            if problem:
                return f"item {i}: {problem}"
        return None

    check.json_schema = {"type": "array", "items": item.json_schema}  # type: ignore[attr-defined]
    return check


STR = _type(str, name="a string")
INT = _type(int, name="an integer")
NUMBER = _type(int, float, name="a number")
BOOL = _type(bool, name="true or false")
DATE = _type(dt.date, name="a date (YYYY-MM-DD, unquoted)")
STR_LIST = _list_of(STR, name="strings")
CONFIDENCE = _enum(Confidence, name="confidence", deprecated=tuple(DEPRECATED_CONFIDENCES))
REGION = _enum(Region, name="region")
CLASS = _enum(CommuneClass, name="commune class")


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
          "about": (STR, False), "kind": (_enum(SourceKind, name="source kind"), False)}
SUBSTITUTION = {
    "classes": (_list_of(CLASS, name="commune classes"), True), "region": (REGION, True),
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
CHILDREN = {"level": (_enum(Level, name="level"), True), "tier": (_enum(Tier, name="tier"), True),
            "note": (STR, False)}
INDICATOR = {
    "code": (STR, True), "name_vi": (STR, True), "name_en": (STR, True), "unit": (STR, True),
    "rule": (_enum(RuleKind, name="rule"), True), "year_dependent": (BOOL, False),
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
    "groups": (_list_of(INT, name="integers"), False),
    "region_substitutions": ([SUBSTITUTION], False), "sources": ({"*": SOURCE}, False),
    "note": (STR, False), "level": (_enum(Level, name="level"), False),
    "tier": (_enum(Tier, name="tier"), False),
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


def _walk(data: Any, spec: Any, path: str, problems: list[str]) -> None:
    if isinstance(spec, list):
        if not isinstance(data, list):
            problems.append(f"{path}: expected an array of tables, got {type(data).__name__}")
            return
        for i, item in enumerate(data):
            _walk(item, spec[0], f"{path}[{i}]", problems)
        return
    if isinstance(spec, dict) and "*" in spec:
        if not isinstance(data, Mapping):
            problems.append(f"{path}: expected a table, got {type(data).__name__}")
            return
        for key, item in data.items():
            _walk(item, spec["*"], f"{path}.{key}", problems)
        return
    if isinstance(spec, dict):
        if not isinstance(data, Mapping):
            problems.append(f"{path}: expected a table, got {type(data).__name__}")
            return
        for key in data:
            if key not in spec:
                known = ", ".join(sorted(spec))
                problems.append(f"{path}.{key}: unknown key (known keys: {known})".lstrip("."))
        for key, (check, required) in spec.items():
            where = f"{path}.{key}".lstrip(".")
            if key not in data:
                if required:
                    problems.append(f"{where}: required key is missing")
                continue
            if callable(check):
                problem = check(data[key])
                if problem:
                    problems.append(f"{where}: {problem}")
            else:
                _walk(data[key], check, where, problems)


def validate(data: Mapping[str, Any]) -> list[str]:
    """Return the problems of a parsed criteria-set file (empty when it is valid).

    Each problem reads ``path.to.key: what is wrong``.
    """
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    spec = DERIVED if "extends" in data else SET
    _walk(data, spec, "", problems)
    if "extends" not in data:
        problems.extend(f"{k}: required key is missing" for k in _REQUIRED_FULL if k not in data)
    return problems


def _to_json_schema(spec: Any) -> dict[str, Any]:
    if isinstance(spec, list):
        return {"type": "array", "items": _to_json_schema(spec[0])}
    if isinstance(spec, dict) and "*" in spec:
        return {"type": "object", "additionalProperties": _to_json_schema(spec["*"])}
    if isinstance(spec, dict):
        properties = {}
        required = []
        for key, (check, needed) in spec.items():
            properties[key] = (getattr(check, "json_schema") if callable(check)  # noqa: B009
                               else _to_json_schema(check))
            if needed:
                required.append(key)
        out: dict[str, Any] = {"type": "object", "properties": properties,
                               "additionalProperties": False}
        if required:
            out["required"] = required
        return out
    raise TypeError(f"not a schema spec: {spec!r}")


def json_schema() -> dict[str, Any]:
    """The data-file format as a JSON Schema (draft 2020-12), for editors and other tools.

    A file is either a whole set or a derived set (``extends``).  Dates are TOML dates
    (``format: date``).  Cross-references (source ids, threshold coverage) are checked by
    ntmkit when it loads a file, not by the schema.
    """
    full = _to_json_schema(SET)
    full["required"] = sorted(set(full["required"]) | set(_REQUIRED_FULL))
    derived = _to_json_schema(DERIVED)
    for variant in (full, derived):
        variant["properties"]["format"] = {"const": FORMAT}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ntmkit.readthedocs.io/schemas/criteria-set.v1.json",
        "title": "ntmkit criteria set (ntmkit.criteria-set.v1)",
        "oneOf": [full, derived],
    }
