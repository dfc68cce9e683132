"""Provinces of the two editions of the administrative map, and their regions.

The data (``provinces.toml``) maps each province to the socio-economic region whose
threshold column its communes use, with sources and a confidence.  After the 2025 reform
some merged provinces span two regions; they have no region, and a commune in them must
give its region itself.

>>> from ntmkit import places
>>> places.region_of("Nam Định", edition="pre-2025-07").value
'red_river_delta'
>>> places.region_of("Phú Thọ", edition="2025-07") is None
True
"""

from __future__ import annotations

import functools
import importlib.resources
import sys
import unicodedata

from ntmkit.errors import UnknownProvince
from ntmkit.model.enums import Confidence, Region
from ntmkit.model.places import EDITIONS, Province

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from ntmkit.places.tree import (
    REFORM_DATE,
    AdminTree,
    AdminUnit,
    edition_on,
    read_admin_units,
)

__all__ = [
    "REFORM_DATE",
    "AdminTree",
    "AdminUnit",
    "edition_on",
    "find_province",
    "provinces",
    "read_admin_units",
    "region_of",
]

_PREFIXES = ("thành phố ", "tp. ", "tp ", "tỉnh ")


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFC", name).strip().casefold()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    return " ".join(text.replace("–", "-").split())


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, list[tuple[Province, Confidence, str]]]:
    path = importlib.resources.files("ntmkit.places").joinpath("provinces.toml")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[tuple[Province, Confidence, str]]] = {e: [] for e in EDITIONS}
    for p in raw["provinces"]:
        province = Province(name=p["name_vi"], code=p.get("code"), region=p.get("region"),
                            edition=p["edition"])
        out[p["edition"]].append(
            (province, Confidence(p["region_confidence"]), p.get("note", ""))
        )
    return out


def provinces(edition: str = "pre-2025-07") -> list[Province]:
    """The provinces of one edition of the administrative map, in table order."""
    if edition not in EDITIONS:
        raise UnknownProvince(f"unknown edition {edition!r}; expected one of {', '.join(EDITIONS)}")
    return [p for p, _, _ in _data()[edition]]


def find_province(name_or_code: str, edition: str = "pre-2025-07") -> Province:
    """Find a province by its Vietnamese name (accents required) or its official code."""
    wanted = _normalise(name_or_code)
    for p in provinces(edition):
        if wanted in (_normalise(p.name), p.code):
            return p
    raise UnknownProvince(
        f"no province {name_or_code!r} in the {edition} edition of the administrative map "
        "(names need their Vietnamese accents, e.g. 'Nam Định'; or give the two-digit code)"
    )


def region_of(name_or_code: str, edition: str = "pre-2025-07") -> Region | None:
    """The region of a province, or ``None`` when the data cannot give one."""
    return find_province(name_or_code, edition).region
