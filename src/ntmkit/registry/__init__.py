"""The versioned criteria registry.

Criteria sets ship as TOML files inside the package (one file per set version) and are read
through :mod:`importlib.resources` on first request.  Module-level functions use one default
registry::

    >>> import datetime as dt
    >>> from ntmkit import registry
    >>> registry.get("commune/ntm", on=dt.date(2023, 6, 1)).version
    '2022-03-08'
    >>> registry.get("commune/ntm", on=dt.date(2024, 6, 1)).version
    '2024-03-01'
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import importlib.resources
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ntmkit.errors import CriteriaDataError, UnknownCriteriaSet
from ntmkit.model.criteria import CriteriaSet, Threshold
from ntmkit.registry.coverage import Coverage, coverage
from ntmkit.registry.diff import Change, SetDiff, diff
from ntmkit.registry.loader import build_set, check_coverage
from ntmkit.registry.loader import derive as _derive
from ntmkit.registry.schema import FORMAT, validate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "FORMAT",
    "Change",
    "Coverage",
    "CriteriaRegistry",
    "Override",
    "SetDiff",
    "SetSummary",
    "check_coverage",
    "coverage",
    "default",
    "derive",
    "diff",
    "get",
    "list",
    "load",
    "parse_key",
    "validate",
]


@attrs.frozen
class SetSummary:
    """One line of :func:`list`: which set, which version, in force from when."""

    id: str
    version: str
    effective: dt.date
    superseded_on: dt.date | None
    title_vi: str
    title_en: str
    legal_basis: str
    fingerprint: str


@attrs.frozen
class Override:
    """A threshold to set in a derived set: indicator *indicator* gets *threshold*.

    >>> from ntmkit import Confidence, Condition, Region, Threshold
    >>> Override("3.1", Threshold(when=Condition(region=Region.RED_RIVER_DELTA), value=90.0,
    ...          confidence=Confidence.RESTATED, sources=("P1",)))  # doctest: +ELLIPSIS
    Override(indicator='3.1', ...)
    """

    indicator: str
    threshold: Threshold


def parse_key(key: str) -> tuple[str, str | None]:
    """Split ``"commune/ntm@2024-03-01"`` into ``("commune/ntm", "2024-03-01")``."""
    set_id, _, version = key.partition("@")
    return set_id, version or None


def _read_toml(path_name: str, text: bytes) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(text.decode("utf-8"))
        return data
    except UnicodeDecodeError as exc:
        raise CriteriaDataError(f"{path_name}: not UTF-8 text ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CriteriaDataError(f"{path_name}: not valid TOML: {exc}") from None


class CriteriaRegistry:
    """A collection of criteria-set versions, looked up by id and date or version.

    The default registry (:func:`default`) holds the sets shipped with ntmkit; a registry of
    your own can add sets loaded from files (:meth:`load`) or derived (:meth:`derive`).
    """

    def __init__(self, raw: dict[str, tuple[str, dict[str, Any]]] | None = None) -> None:
        self._raw: dict[str, tuple[str, dict[str, Any]]] = dict(raw or {})
        self._built: dict[str, CriteriaSet] = {}
        self._building: set[str] = set()

    @classmethod
    def bundled(cls) -> CriteriaRegistry:
        """A registry of the data files shipped in the package."""
        raw: dict[str, tuple[str, dict[str, Any]]] = {}
        folder = importlib.resources.files("ntmkit.registry").joinpath("data")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            origin = f"ntmkit/registry/data/{entry.name}"
            data = _read_toml(origin, entry.read_bytes())
            key = f"{data.get('id')}@{data.get('version')}"
            if key in raw:
                raise CriteriaDataError(f"{origin}: {key} is also defined in {raw[key][0]}")
            raw[key] = (origin, data)
        return cls(raw)

    def _build(self, key: str) -> CriteriaSet:
        if key in self._built:
            return self._built[key]
        if key not in self._raw:
            raise UnknownCriteriaSet(self._unknown_message(key))
        if key in self._building:
            raise CriteriaDataError(f"{self._raw[key][0]}: 'extends' forms a cycle through {key}")
        self._building.add(key)
        try:
            origin, data = self._raw[key]
            cs = build_set(data, origin, resolve=self._build)
        finally:
            self._building.discard(key)
        self._built[key] = cs
        return cs

    def _unknown_message(self, key: str) -> str:
        set_id, version = parse_key(key)
        versions = self.versions(set_id)
        if not versions:
            known = ", ".join(self.ids()) or "none"
            return f"no criteria set {set_id!r} in the registry (known sets: {known})"
        return (f"{set_id} has no version {version!r} (versions: {', '.join(versions)})")

    def ids(self) -> builtins.list[str]:
        """The set ids in the registry, sorted."""
        return sorted({parse_key(k)[0] for k in self._raw})

    def versions(self, set_id: str) -> builtins.list[str]:
        """The versions of *set_id*, oldest first."""
        return sorted(v for k in self._raw for i, v in [parse_key(k)] if i == set_id and v)

    def list(self) -> builtins.list[SetSummary]:
        """A summary of every set version, by id then version."""
        out = []
        for set_id in self.ids():
            for version in self.versions(set_id):
                cs = self._build(f"{set_id}@{version}")
                out.append(SetSummary(cs.id, cs.version, cs.effective, cs.superseded_on,
                                      cs.title_vi, cs.title_en, cs.legal_basis.act,
                                      cs.fingerprint))
        return out

    def get(
        self, set_id: str, *, on: dt.date | None = None, version: str | None = None
    ) -> CriteriaSet:
        """The version of *set_id* in force on *on*, or the pinned *version*.

        Exactly one of *on* and *version* must be given; *set_id* may also be written
        ``"id@version"``.  Raises :class:`~ntmkit.errors.UnknownCriteriaSet` when the set or
        version is unknown, or when no version known to the registry is in force on *on*.
        """
        set_id, key_version = parse_key(set_id)
        if key_version is not None:
            if version is not None and version != key_version:
                raise UnknownCriteriaSet(f"two versions asked for: {key_version} and {version}")
            version = key_version
        if (on is None) == (version is None):
            raise UnknownCriteriaSet(
                f"get({set_id!r}) needs exactly one of on=<date> or version=<str> "
                f"(versions: {', '.join(self.versions(set_id)) or 'none'})"
            )
        if version is not None:
            return self._build(f"{set_id}@{version}")
        assert on is not None
        if isinstance(on, dt.datetime):
            on = on.date()
        if not isinstance(on, dt.date):
            raise UnknownCriteriaSet(f"on= must be a datetime.date, not {type(on).__name__}")
        versions = [self._build(f"{set_id}@{v}") for v in self.versions(set_id)]
        if not versions:
            raise UnknownCriteriaSet(self._unknown_message(set_id))
        started = [cs for cs in versions if cs.effective <= on]
        if not started:
            raise UnknownCriteriaSet(
                f"no version of {set_id} is in force on {on}: the earliest in the registry, "
                f"{versions[0].version}, took effect on {versions[0].effective}"
            )
        latest = max(started, key=lambda cs: cs.effective)
        if latest.superseded_on is not None and on >= latest.superseded_on:
            if latest.superseded_by is not None:
                why = (f"{latest.version} was superseded on {latest.superseded_on} by "
                       f"{latest.superseded_by.act}, and no later version of {set_id} is in "
                       "the registry")
            else:
                why = (f"{latest.version} ended on {latest.superseded_on} and no later version "
                       "is in the registry")
            raise UnknownCriteriaSet(f"no version of {set_id} in the registry is in force on "
                                     f"{on}: {why}")
        return latest

    def load(self, path: str | Path, *, register: bool = True) -> CriteriaSet:
        """Load a set file of your own; with *register* (the default) add it to this registry.

        The file may ``extends`` a set of this registry.  Loading the same file again returns
        the set already loaded; a different file with the same ``id@version`` is an error.
        Errors name the file and key.
        """
        path = Path(path)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CriteriaDataError(f"{path}: cannot read: {exc.strerror}") from None
        data = _read_toml(str(path), text)
        key = f"{data.get('id')}@{data.get('version')}"
        if key in self._raw:
            if self._raw[key][1] == data:
                return self._build(key)
            raise CriteriaDataError(f"{path}: {key} is already in the registry "
                                    f"(from {self._raw[key][0]}); give it another id or version")
        cs = build_set(data, str(path), resolve=self._build)
        if register:
            self._raw[key] = (str(path), data)
            self._built[key] = cs
        return cs

    def derive(
        self,
        base: CriteriaSet | str,
        *,
        id: str,
        version: str,
        overrides: Iterable[Override] = (),
        **metadata: Any,
    ) -> CriteriaSet:
        """Derive a set from *base* with explicit threshold overrides; it gets its own id.

        *base* is a set or its ``"id@version"``.  The derived set is not added to the
        registry; its ``derived_from`` names *base*.  It inherits the base's metadata
        (titles, legal basis, dates) unless *metadata* overrides them.
        """
        if isinstance(base, str):
            if "@" not in base:
                raise CriteriaDataError(f"give the base set as 'id@version', not {base!r}")
            base = self.get(base)
        if id == base.id:
            raise CriteriaDataError(f"a derived set needs an id of its own, not {base.id!r}")
        return _derive(base, id=id, version=version,
                       overrides=[(o.indicator, o.threshold) for o in overrides],
                       origin=f"derived set {id}@{version}", **metadata)


@functools.lru_cache(maxsize=1)
def default() -> CriteriaRegistry:
    """The registry of the sets shipped with ntmkit (built on first use)."""
    return CriteriaRegistry.bundled()


def list() -> builtins.list[SetSummary]:
    """Summaries of every set version shipped with ntmkit."""
    return default().list()


def get(set_id: str, *, on: dt.date | None = None, version: str | None = None) -> CriteriaSet:
    """The shipped version of *set_id* in force on *on*, or the pinned *version*.

    See :meth:`CriteriaRegistry.get`.
    """
    return default().get(set_id, on=on, version=version)


def load(path: str | Path) -> CriteriaSet:
    """Load a set file of your own; it may ``extends`` a shipped set.

    The shipped registry is left unchanged (use a :class:`CriteriaRegistry` of your own to
    register sets); see :meth:`CriteriaRegistry.load`.
    """
    return default().load(path, register=False)


def derive(
    base: CriteriaSet | str,
    *,
    id: str,
    version: str,
    overrides: Iterable[Override] = (),
    **metadata: Any,
) -> CriteriaSet:
    """Derive a set from *base* with explicit overrides (see :meth:`CriteriaRegistry.derive`)."""
    return default().derive(base, id=id, version=version, overrides=overrides, **metadata)


