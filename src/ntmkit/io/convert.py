"""The cattrs converter that owns every (un)structure hook of ntmkit's types."""

from __future__ import annotations

import datetime as dt
import functools
import json
import typing
from typing import Any, TypeVar

import cattrs

from ntmkit.errors import InvalidValue

__all__ = ["from_json", "get_converter", "structure", "to_json", "unstructure"]

T = TypeVar("T")

_SCALARS = (float, bool, str, type(None))


def _scalar(value: Any, _type: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, _SCALARS):
        raise TypeError(f"expected a number, true/false, text or null, got {value!r}")
    return value


@functools.lru_cache(maxsize=1)
def get_converter() -> cattrs.Converter:
    """The converter used by :func:`structure` and :func:`unstructure` (built once)."""
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    c.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    c.register_unstructure_hook_func(
        lambda t: bool(typing.get_origin(t) is frozenset),  # type: ignore[comparison-overlap]
        lambda s: sorted(c.unstructure(x) for x in s),
    )
    from cattrs.strategies import configure_tagged_union

    from ntmkit.model.places import Commune, District, Province, Village

    # An assessment's unit is a commune, district, province or village: tagged by "kind".
    configure_tagged_union(Commune | District | Province | Village, c, tag_name="kind",
                           tag_generator=lambda cls: cls.__name__.lower())
    scalar = float | bool | str | None
    c.register_structure_hook_func(lambda t: t == scalar, _scalar)
    c.register_structure_hook_func(
        lambda t: t == (float | None),
        lambda v, _: None if v is None else float(v) if not isinstance(v, bool) else _bad(v),
    )
    return c


def _bad(value: Any) -> Any:
    raise TypeError(f"expected a number or null, got {value!r}")


def unstructure(obj: Any) -> Any:
    """Turn an ntmkit object into JSON-compatible dicts, lists and scalars."""
    return get_converter().unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build an object of type *cls* from JSON-compatible *data*.

    Raises :class:`~ntmkit.errors.InvalidValue` listing every problem with its path
    (e.g. ``$.pillars[0].criteria[2].code``).
    """
    try:
        return get_converter().structure(data, cls)
    except Exception as exc:  # cattrs raises exception groups; flatten them into one message
        if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
            lines = cattrs.transform_error(exc)
        else:
            lines = [f"{type(exc).__name__}: {exc}"]
        raise InvalidValue(f"cannot build {cls.__name__}: " + "; ".join(lines)) from None


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """Serialise an ntmkit object to JSON text (UTF-8, Vietnamese kept as is)."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent)


def from_json(text: str, cls: type[T]) -> T:
    """Parse JSON *text* into an object of type *cls* (see :func:`structure`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValue(f"not valid JSON: {exc}") from None
    return structure(data, cls)
