"""Administrative units: provinces, districts, communes and villages.

Official codes were reused across the 1 July 2025 reform, so a unit is identified by its
code *and* the edition of the administrative map it belongs to (``"pre-2025-07"`` for the
63 provinces, ``"2025-07"`` for the 34).
"""

from __future__ import annotations

from typing import Any

import attrs

from ntmkit.errors import InvalidValue
from ntmkit.model.enums import CommuneClass, Region

__all__ = ["EDITIONS", "Commune", "District", "Province", "Village"]

#: The editions of the administrative map ntmkit knows.
EDITIONS = ("pre-2025-07", "2025-07")


def _check_edition(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and value not in EDITIONS:
        raise InvalidValue(
            f"{type(instance).__name__}.{attribute.name}: unknown edition {value!r}; "
            f"expected one of {', '.join(EDITIONS)}"
        )


def _nonempty(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{type(instance).__name__}.{attribute.name} must be a non-empty "
                           f"string, not {value!r}")


def _region(value: Any) -> Region | None:
    """A region from its slug (``None`` stays ``None``); an unknown one is an InvalidValue."""
    if value is None or isinstance(value, Region):
        return value
    try:
        return Region(value)
    except (ValueError, TypeError):
        known = ", ".join(r.value for r in Region)
        raise InvalidValue(f"unknown region {value!r}; known regions: {known}") from None


def _group(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                              or not 0 < value < 100):
        raise InvalidValue(f"{type(instance).__name__}.group must be a commune group number "
                           f"such as 1, 2 or 3, not {value!r}")


def _classes(value: Any) -> frozenset[CommuneClass]:
    if isinstance(value, (str, CommuneClass)):
        value = [value]
    try:
        return frozenset(CommuneClass(v) for v in value)
    except (ValueError, TypeError) as exc:
        known = ", ".join(c.value for c in CommuneClass)
        raise InvalidValue(f"Commune.classes: {exc}; known classes: {known}") from None


@attrs.frozen
class Province:
    """A province or centrally-run city (*tỉnh / thành phố trực thuộc trung ương*)."""

    name: str = attrs.field(validator=_nonempty)
    code: str | None = None
    region: Region | None = attrs.field(default=None, converter=_region)
    edition: str | None = attrs.field(default=None, validator=_check_edition)


@attrs.frozen
class District:
    """A district (*huyện*); this level ended with the reform of 1 July 2025."""

    name: str = attrs.field(validator=_nonempty)
    code: str | None = None
    province: str | None = None
    edition: str | None = attrs.field(default="pre-2025-07", validator=_check_edition)
    region: Region | None = attrs.field(default=None, converter=_region)


@attrs.frozen
class Commune:
    """A commune (*xã*), the unit the commune criteria sets assess.

    ``region`` is the socio-economic region whose threshold column applies; when it is
    ``None``, :func:`ntmkit.assess` looks it up from ``province`` and ``edition``.
    ``classes`` holds the classifications that can send a commune to another column
    (e.g. an extremely difficult commune uses the Northern Midlands and Mountains values).
    ``group`` is the commune group (1, 2 or 3) of the 2026–2030 criteria, for sets whose
    thresholds depend on it.  ``edition`` is the administrative map the code and province
    belong to; when it is ``None``, a region looked up from the province uses the
    ``pre-2025-07`` map and the assessment says so in its notes.

    >>> Commune(code="12345", name="Tứ Dân", region=Region.RED_RIVER_DELTA).region.name_vi
    'Đồng bằng sông Hồng'
    """

    code: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    region: Region | None = attrs.field(default=None, converter=_region)
    province: str | None = None
    district: str | None = None
    classes: frozenset[CommuneClass] = attrs.field(factory=frozenset, converter=_classes)
    edition: str | None = attrs.field(default=None, validator=_check_edition)
    group: int | None = attrs.field(default=None, validator=_group)


@attrs.frozen
class Village:
    """A village or residential area (*thôn, ấp, bản, khu dân cư*)."""

    name: str = attrs.field(validator=_nonempty)
    code: str | None = None
    commune: str | None = None
    region: Region | None = attrs.field(default=None, converter=_region)
    edition: str | None = attrs.field(default=None, validator=_check_edition)
