"""Checks of parsed data files against a nested spec, and the spec as a JSON Schema.

A spec is a dict of ``key: (check, required)``, where *check* is a function returning a
problem or ``None`` (made by :func:`of_type`, :func:`one_of`, :func:`list_of`) or a nested
spec; ``[spec]`` is an array of tables and ``{"*": spec}`` a table of tables.  The criteria
set, points set and target file formats are all written this way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["Check", "construct", "list_of", "of_type", "one_of", "to_json_schema", "walk"]

T = TypeVar("T")

Check = Callable[[Any], str | None]


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def of_type(*types: type, name: str) -> Check:
    """A check that a value has one of *types* (a boolean is not a number)."""
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


def one_of(values: type | list[str], *, name: str, deprecated: tuple[str, ...] = ()) -> Check:
    """A check that a value is one of *values* (an enum's values or a list).

    Deprecated spellings still validate (the model maps them and warns).
    """
    members = [m.value for m in values] if isinstance(values, type) else list(values)  # type: ignore[attr-defined]
    allowed = members + list(deprecated)

    def check(value: Any) -> str | None:
        if value not in allowed:
            return f"unknown {name} {value!r}; expected one of: {', '.join(allowed)}"
        return None

    check.json_schema = {"enum": allowed}  # type: ignore[attr-defined]
    return check


def list_of(item: Check, *, name: str) -> Check:
    """A check that a value is a list whose every item passes *item*."""
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


def walk(data: Any, spec: Any, path: str, problems: list[str]) -> None:
    """Append to *problems* every way *data* departs from *spec*, each with its key path."""
    if isinstance(spec, list):
        if not isinstance(data, list):
            problems.append(f"{path}: expected an array of tables, got {type(data).__name__}")
            return
        for i, item in enumerate(data):
            walk(item, spec[0], f"{path}[{i}]", problems)
        return
    if isinstance(spec, dict) and "*" in spec:
        if not isinstance(data, Mapping):
            problems.append(f"{path}: expected a table, got {type(data).__name__}")
            return
        for key, item in data.items():
            walk(item, spec["*"], f"{path}.{key}", problems)
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
                walk(data[key], check, where, problems)


def to_json_schema(spec: Any) -> dict[str, Any]:
    """*spec* as a JSON Schema object (tables refuse keys the spec does not name)."""
    if isinstance(spec, list):
        return {"type": "array", "items": to_json_schema(spec[0])}
    if isinstance(spec, dict) and "*" in spec:
        return {"type": "object", "additionalProperties": to_json_schema(spec["*"])}
    if isinstance(spec, dict):
        properties = {}
        required = []
        for key, (check, needed) in spec.items():
            properties[key] = (getattr(check, "json_schema") if callable(check)  # noqa: B009
                               else to_json_schema(check))
            if needed:
                required.append(key)
        out: dict[str, Any] = {"type": "object", "properties": properties,
                               "additionalProperties": False}
        if required:
            out["required"] = required
        return out
    raise TypeError(f"not a schema spec: {spec!r}")


def construct(cls: Callable[..., T], kwargs: Mapping[str, Any], origin: str,
              *checks: Callable[[T], list[str]]) -> T:
    """``cls(**kwargs)``, then each of *checks* on it, as a data file's loader needs.

    A value the class refuses, or any problem a check lists, raises
    :class:`~ntmkit.errors.CriteriaDataError` naming *origin*; the checks run in order and
    the first that finds problems reports all of its own.
    """
    from ntmkit.errors import CriteriaDataError

    try:
        built = cls(**kwargs)
    except (ValueError, TypeError) as exc:
        raise CriteriaDataError(f"{origin}: {exc}") from None
    for check in checks:
        problems = check(built)
        if problems:
            raise CriteriaDataError.listing(origin, problems)
    return built
