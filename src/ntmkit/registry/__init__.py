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
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ntmkit._toml import read_toml
from ntmkit.errors import CriteriaDataError, NtmkitError, UnknownCriteriaSet
from ntmkit.model.criteria import CriteriaSet, Threshold
from ntmkit.registry.coverage import Coverage, coverage
from ntmkit.registry.diff import Change, IndicatorLabel, SetDiff, diff
from ntmkit.registry.loader import build_set, check_coverage, check_requires
from ntmkit.registry.loader import derive as _derive
from ntmkit.registry.origins import ENTRY_POINT_GROUP, PATH_VARIABLE, SetOrigin, discover
from ntmkit.registry.schema import FORMAT, validate

__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMAT",
    "PATH_VARIABLE",
    "Change",
    "Coverage",
    "CriteriaRegistry",
    "IndicatorLabel",
    "Override",
    "Resolution",
    "SetDiff",
    "SetOrigin",
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
    "province_slug",
    "resolve",
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
    origin: SetOrigin | None = None


@attrs.frozen
class Resolution:
    """The set :meth:`CriteriaRegistry.resolve` chose, and why (a sentence for people).

    ``provincial`` is true when a province's own set was chosen over the national one.
    """

    set: CriteriaSet
    reason: str
    provincial: bool = False


#: Ids of provincial sets: ``province/<slug>/<national set id>``.
PROVINCIAL_PREFIX = "province/"


def province_slug(name_or_code: str, on: dt.date | None = None) -> str:
    """The slug a province's own sets are filed under: ``"Thái Bình"`` → ``"thai-binh"``.

    A name or a two-digit code of the edition of the map in force on *on* (default: the
    pre-2025-07 edition for a code; names are tried in both editions).  A text that is no
    province's name is slugified as it stands.

    >>> province_slug("Thái Bình"), province_slug("TP. Hồ Chí Minh"), province_slug("thai-binh")
    ('thai-binh', 'ho-chi-minh', 'thai-binh')
    """
    from ntmkit import places
    from ntmkit.errors import UnknownProvince

    name = name_or_code
    editions = ["pre-2025-07", "2025-07"]
    if on is not None and places.edition_on(on) == "2025-07":
        editions.reverse()
    for edition in editions:
        try:
            name = places.find_province(name_or_code, edition).name
            break
        except UnknownProvince:
            continue
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


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


@attrs.frozen
class _Unread:
    """The bytes of a shipped set file not parsed yet."""

    text: bytes


def _head_key(text: bytes) -> str | None:
    """``id@version`` of a set file from its top-level keys (those before the first table).

    ``None`` when they cannot be read so (the whole file is then parsed at once).
    """
    from ntmkit._toml import TOMLDecodeError, loads

    end = text.find(b"\n[")
    try:
        head = loads((text if end < 0 else text[:end + 1]).decode("utf-8"))
    except (TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return None
    if "id" not in head or "version" not in head:
        return None
    return f"{head.get('id')}@{head.get('version')}"


def _read_toml(path_name: str, text: bytes) -> dict[str, Any]:
    return read_toml(path_name, text, what="a set file (nested at most six levels deep)")


class CriteriaRegistry:
    """A collection of criteria-set versions, looked up by id and date or version.

    The default registry (:func:`default`) holds the sets shipped with ntmkit, those of
    installed plugins and those of ``NTMKIT_CRITERIA_PATH`` (see
    :mod:`ntmkit.registry.origins`); a registry of your own can add sets loaded from files
    (:meth:`load`) or derived (:meth:`derive`).
    """

    def __init__(self, raw: dict[str, tuple[SetOrigin, dict[str, Any]]] | None = None) -> None:
        self._raw: dict[str, tuple[SetOrigin, dict[str, Any] | _Unread]] = dict(raw or {})
        self._built: dict[str, CriteriaSet] = {}
        self._building: set[str] = set()

    @classmethod
    def bundled(cls) -> CriteriaRegistry:
        """A registry of the data files shipped in the package only."""
        return cls._from(o for o in discover(search_path="") if o[0].kind == "bundled")

    @classmethod
    def discover(cls, search_path: str | None = None) -> CriteriaRegistry:
        """A registry of the shipped files, installed plugins and a search path.

        *search_path* is a value like that of ``NTMKIT_CRITERIA_PATH`` (``None``: read the
        environment variable).  The same ``id@version`` found twice is an error naming both
        places.
        """
        return cls._from(discover(search_path))

    @classmethod
    def _from(cls, found: Iterable[tuple[SetOrigin, bytes]]) -> CriteriaRegistry:
        registry = cls()
        for origin, text in found:
            # A shipped file is parsed in full when its set is first asked for.
            key = _head_key(text) if origin.kind == "bundled" else None
            if key is None:
                registry._add(origin, _read_toml(origin.location, text))
            else:
                registry._add(origin, _Unread(text), key)
        return registry

    def _add(self, origin: SetOrigin, data: dict[str, Any] | _Unread,
             key: str | None = None) -> str:
        if key is None:
            assert isinstance(data, dict)
            key = f"{data.get('id')}@{data.get('version')}"
        if key in self._raw and self._raw[key][0] != origin:
            raise CriteriaDataError(
                f"{key} is defined twice: in {self._raw[key][0]} and in {origin}; remove one, "
                "or give one another id or version")
        self._raw[key] = (origin, data)
        return key

    def origin(self, key: str) -> SetOrigin:
        """Where the set ``id@version`` *key* was found."""
        set_id, version = parse_key(key)
        if f"{set_id}@{version}" not in self._raw:
            raise UnknownCriteriaSet(self._unknown_message(key))
        return self._raw[f"{set_id}@{version}"][0]

    def _build(self, key: str) -> CriteriaSet:
        if key in self._built:
            return self._built[key]
        if key not in self._raw:
            raise UnknownCriteriaSet(self._unknown_message(key))
        if key in self._building:
            raise CriteriaDataError(f"{self._raw[key][0].location}: 'extends' or 'requires' "
                                    f"forms a cycle through {key}")
        self._building.add(key)
        try:
            origin, data = self._raw[key][0], self._data(key)
            cs = build_set(data, origin.location, resolve=self._build)
            check_requires(cs, self._build)
        finally:
            self._building.discard(key)
        self._built[key] = cs
        return cs

    def _data(self, key: str) -> dict[str, Any]:
        """The parsed file of the set *key*, parsing it on first use."""
        origin, data = self._raw[key]
        if isinstance(data, _Unread):
            data = _read_toml(origin.location, data.text)
            self._raw[key] = (origin, data)
        return data

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
                                      cs.fingerprint, self._raw[cs.key][0]))
        return out

    def get(
        self, set_id: str, *, on: dt.date | None = None, version: str | None = None,
        province: str | None = None,
    ) -> CriteriaSet:
        """The version of *set_id* in force on *on*, or the pinned *version*.

        Exactly one of *on* and *version* must be given; *set_id* may also be written
        ``"id@version"``.  With *province* (a name or code) and *on*, that province's own set
        is returned where one is installed for that date, else the national one (see
        :meth:`resolve`, which also says why).  Raises
        :class:`~ntmkit.errors.UnknownCriteriaSet` when the set or version is unknown, or
        when no version known to the registry is in force on *on*.
        """
        if province is not None:
            if on is None or version is not None or "@" in set_id:
                raise UnknownCriteriaSet(
                    "a province's set is chosen by date: give province= with on=, not with a "
                    "pinned version")
            return self.resolve(set_id, on=on, province=province).set
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
        the set already loaded; a file from another place with the same ``id@version`` is an
        error naming both places.  Errors name the file and key.
        """
        path = Path(path)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CriteriaDataError(f"{path}: cannot read: {exc.strerror}") from None
        data = _read_toml(str(path), text)
        key = f"{data.get('id')}@{data.get('version')}"
        origin = SetOrigin("file", "", str(path))
        if key in self._raw:
            known, known_data = self._raw[key][0], self._data(key)
            if known_data == data and _same_file(known, path):
                return self._build(key)
            raise CriteriaDataError(f"{path}: {key} is already in the registry "
                                    f"(from {known}); give it another id or version")
        try:
            cs = build_set(data, str(path), resolve=self._build)
            check_requires(cs, self._build)
        except NtmkitError as exc:
            if exc.file is None:
                exc.file = str(path)
            raise
        if register:
            self._raw[key] = (origin, data)
            self._built[key] = cs
        return cs

    def resolve(self, set_id: str, *, on: dt.date, province: str | None = None) -> Resolution:
        """The set *set_id* in force on *on* for a unit of *province*, and why.

        A province's own set (``province/<slug>/<set_id>``, see :func:`province_slug`) in
        force on *on* wins over the national one; otherwise the national set is used.
        """
        if province:
            slug = province_slug(province, on)
            own = f"{PROVINCIAL_PREFIX}{slug}/{set_id}"
            if self.versions(own):
                try:
                    cs = self.get(own, on=on)
                except UnknownCriteriaSet:
                    pass
                else:
                    return Resolution(cs, f"{cs.key}: the set of {province} in force on {on} "
                                      f"({cs.legal_basis.act}; derived from "
                                      f"{cs.derived_from or set_id})", provincial=True)
            national = self.get(set_id, on=on)
            return Resolution(national, f"{national.key}: the national set in force on {on}; "
                              f"no set of {province} for {set_id} is installed for that date")
        national = self.get(set_id, on=on)
        return Resolution(national, f"{national.key}: the national set in force on {on}")

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
        derived = _derive(base, id=id, version=version,
                          overrides=[(o.indicator, o.threshold) for o in overrides],
                          origin=f"derived set {id}@{version}", **metadata)
        check_requires(derived, self._build)
        return derived


_DEFAULT: dict[str, CriteriaRegistry] = {}


def default() -> CriteriaRegistry:
    """The registry of the shipped sets, installed plugins and ``NTMKIT_CRITERIA_PATH``.

    Built on first use, and again when ``NTMKIT_CRITERIA_PATH`` has changed since.
    """
    search_path = os.environ.get(PATH_VARIABLE, "")
    found = _DEFAULT.get(search_path)
    if found is None:
        found = CriteriaRegistry.discover(search_path)
        _DEFAULT.clear()
        _DEFAULT[search_path] = found
    return found


def _same_file(origin: SetOrigin, path: Path) -> bool:
    if origin.kind not in ("file", "path"):
        return False
    try:
        return Path(origin.location).resolve() == path.resolve()
    except OSError:
        return False


def list() -> builtins.list[SetSummary]:
    """Summaries of every set version shipped with ntmkit."""
    return default().list()


def get(set_id: str, *, on: dt.date | None = None, version: str | None = None,
        province: str | None = None) -> CriteriaSet:
    """The version of *set_id* in force on *on* (for *province*), or the pinned *version*.

    See :meth:`CriteriaRegistry.get`.
    """
    return default().get(set_id, on=on, version=version, province=province)


def resolve(set_id: str, *, on: dt.date, province: str | None = None) -> Resolution:
    """The set *set_id* in force on *on* for *province*, and why.

    See :meth:`CriteriaRegistry.resolve`.
    """
    return default().resolve(set_id, on=on, province=province)


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


