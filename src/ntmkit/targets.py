"""Programme targets as data: what share (or number) of units must reach a tier by when.

A target file holds the targets one act or one published plan states, in the format
``ntmkit.targets.v1`` (documented in ``docs/guides/targets.md``), with the source and a
confidence on every target — read, validated and fingerprinted like the criteria sets.
Files ship in ``ntmkit/registry/targets/``; look them up by id::

    >>> from ntmkit import targets
    >>> ts = targets.get("province/hung-yen")
    >>> t = ts["communes-advanced"]
    >>> t.id, t.percent, t.comparison.symbol
    ('province/hung-yen/communes-advanced', Fraction(100, 1), '≥')
    >>> targets.target("province/hung-yen/communes-model").comparison.symbol
    '>'

A target says which units it counts (``level``), what they must hold (a ``tier``, or an
``indicator`` of a criteria set), over which denominator (every unit of the level, or only
the units holding a lower tier: ``among``), how the share is compared (``≥``, strictly
``>``, or "about"), by which year, and where it is written.
"""

from __future__ import annotations

import builtins
import datetime as dt
import enum
import functools
import hashlib
import importlib.resources
import json
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from ntmkit._spec import list_of, of_type, one_of, to_json_schema, walk
from ntmkit._toml import read_toml
from ntmkit.errors import CriteriaDataError, UnknownCriteriaSet
from ntmkit.model.criteria import LegalRef, Source, canonical_value, to_tuple
from ntmkit.model.enums import Confidence, Level, Tier

__all__ = [
    "FORMAT",
    "Comparison",
    "IndicatorRef",
    "Target",
    "TargetRegistry",
    "TargetSet",
    "TargetSummary",
    "UnknownTarget",
    "build",
    "default",
    "get",
    "json_schema",
    "list",
    "load",
    "target",
    "validate",
]

#: The format id every target file declares in its ``format`` key.
FORMAT = "ntmkit.targets.v1"


class UnknownTarget(UnknownCriteriaSet):
    """A target or target-file id or version is not in the registry."""


class Comparison(str, enum.Enum):
    """How a unit count is compared with a target."""

    #: at least (*ít nhất*, *đạt*, "100 %"): ``count ≥ target``.
    AT_LEAST = "at_least"
    #: strictly more than (*trên*): ``count > target``; "trên 30 %" of 139 needs 42.
    MORE_THAN = "more_than"
    #: about (*khoảng*): read as at least, and every result says it is approximate.
    ABOUT = "about"

    @property
    def symbol(self) -> str:
        """``≥``, ``>`` or ``≈``."""
        return {"at_least": "≥", "more_than": ">", "about": "≈"}[self.value]


@attrs.frozen
class IndicatorRef:
    """An indicator of a criteria set, as a target names it (``commune/ntm`` ``8.4``)."""

    set: str
    code: str


def _fraction(value: Any) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Fraction)):
        raise ValueError(f"a percent must be a number, not {value!r}")
    out = Fraction(str(value)) if not isinstance(value, Fraction) else value
    if not 0 <= out <= 100:
        raise ValueError(f"a percent must lie between 0 and 100, not {value}")
    return out


def _check_target(instance: Target, attribute: Any, value: Any) -> None:
    if (instance.tier is None) == (instance.indicator is None):
        raise ValueError(f"target {instance.code!r} counts either a tier or an indicator "
                         "(exactly one)")
    if instance.percent is not None and instance.count is not None:
        raise ValueError(f"target {instance.code!r} gives both a percent and a count")
    has_value = instance.percent is not None or instance.count is not None
    if instance.confidence.has_value and not has_value:
        raise ValueError(f"target {instance.code!r} is {instance.confidence.value} but gives "
                         "neither a percent nor a count")
    if not instance.confidence.has_value and has_value:
        raise ValueError(f"target {instance.code!r} is {instance.confidence.value}: leave its "
                         "value out (keep what a source printed in 'candidate')")
    if instance.count is not None and instance.count < 0:
        raise ValueError(f"target {instance.code!r}: a count cannot be negative")


@attrs.frozen
class Target:
    """One target: how many units of a level must hold a tier (or meet an indicator).

    ``percent`` (an exact fraction) or ``count`` is the value; both are ``None`` when the
    value is unknown (confidence ``uncertain``/``unknown``).  ``among`` is the denominator:
    ``None`` counts over every unit of the level, a tier over the units holding that tier
    only (*trong đó … số huyện đạt chuẩn*).  ``year`` is the year the target is set for.
    """

    code: str
    name_vi: str
    name_en: str
    level: Level = attrs.field(converter=Level)
    tier: Tier | None = attrs.field(converter=attrs.converters.optional(Tier))
    indicator: IndicatorRef | None = None
    percent: Fraction | None = attrs.field(default=None, converter=_fraction)
    count: int | None = None
    comparison: Comparison = attrs.field(default=Comparison.AT_LEAST, converter=Comparison)
    among: Tier | None = attrs.field(default=None, converter=attrs.converters.optional(Tier))
    year: int | None = None
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=Confidence,
                                         validator=_check_target)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    quote: str = ""
    candidate: str | None = None
    set_id: str = ""
    set_version: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        """``<file id>/<code>``, e.g. ``province/hung-yen/communes-model``."""
        return f"{self.set_id}/{self.code}" if self.set_id else self.code

    @property
    def known(self) -> bool:
        """Whether the target's value is known."""
        return self.percent is not None or self.count is not None

    def required(self, total: int) -> int | None:
        """How many units must count, out of *total*, in integers (``None`` if unknown).

        "trên 30 %" of 139: 30 × 139 / 100 = 41.7, and strictly more needs 42 (41 would be
        29.5 %); "100 %" of 139 needs 139.

        >>> Target("x", "", "", "commune", "ntm-model", percent=30,
        ...        comparison="more_than").required(139)
        42
        >>> Target("x", "", "", "commune", "ntm-model", percent=30).required(139)
        42
        >>> Target("x", "", "", "commune", "ntm-model", percent=30).required(140)
        42
        """
        if total < 0:
            raise ValueError("total cannot be negative")
        strict = self.comparison is Comparison.MORE_THAN
        if self.count is not None:
            return self.count + 1 if strict else self.count
        if self.percent is None:
            return None
        exact = self.percent * total / 100
        if strict:
            return exact.numerator // exact.denominator + 1
        return -(-exact.numerator // exact.denominator)  # ceiling, in integers

    def wording(self, lang: str = "vi") -> str:
        """The target in a few words, in Vietnamese (the default) or English.

        >>> t = Target("x", "", "", "commune", "ntm-model", percent=30, comparison="more_than")
        >>> t.wording("vi"), t.wording("en")
        ('> 30 % · Nông thôn mới kiểu mẫu', '> 30 % · Model NTM')
        """
        from ntmkit import i18n

        lang = i18n.check_lang(lang)
        value = ("?" if not self.known else f"{float(self.percent):g} %"
                 if self.percent is not None else str(self.count))
        if self.tier is not None:
            what = i18n.text(f"common.tier.{self.tier.value}", lang)
        elif self.indicator is not None:
            what = i18n.text("progress.wording_indicator", lang, set=self.indicator.set,
                             code=self.indicator.code)
        else:
            what = ""
        return i18n.text("progress.wording", lang, symbol=self.comparison.symbol, value=value,
                         what=what)


@attrs.frozen
class TargetSet:
    """One target file: the targets one act or plan states, e.g. ``province/hung-yen``.

    ``version`` names the date of the act or publication (or its year where the day is not
    known); a correction is a new version.  ``issued`` is that date; ``checked_on`` when
    the targets were last checked against their sources.
    """

    id: str
    version: str
    title_vi: str
    title_en: str
    issued: dt.date
    checked_on: dt.date
    scope: str
    targets: tuple[Target, ...] = attrs.field(converter=to_tuple)
    legal_basis: LegalRef | None = None
    sources: tuple[Source, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        known = {s.id for s in self.sources}
        for t in self.targets:
            if t.code in seen:
                raise ValueError(f"target {t.code!r} appears twice")
            seen.add(t.code)
            for s in t.sources:
                if s not in known:
                    raise ValueError(f"target {t.code!r}: source {s!r} is not in [sources]")

    @property
    def key(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"

    def __getitem__(self, code: str) -> Target:
        for t in self.targets:
            if t.code == code:
                return t
        raise UnknownTarget(f"{self.key} has no target {code!r} (targets: "
                            f"{', '.join(t.code for t in self.targets)})")

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def canonical(self) -> dict[str, Any]:
        """The canonical, JSON-compatible form the fingerprint is computed from.

        Everything the file says except ``checked_on`` and the free-text ``note`` fields.
        """
        def value(inst: object, field: Any, v: Any) -> Any:
            return str(v) if isinstance(v, Fraction) else canonical_value(inst, field, v)

        def keep(attribute: attrs.Attribute[Any], v: Any) -> bool:
            return attribute.name not in ("checked_on", "note", "set_id", "set_version")

        return attrs.asdict(self, filter=keep, value_serializer=value)

    @functools.cached_property
    def fingerprint(self) -> str:
        """``sha256:`` + the SHA-256 of the canonical JSON form (as for criteria sets)."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        return "sha256:" + hashlib.sha256((FORMAT + "\n" + text).encode()).hexdigest()


@attrs.frozen
class TargetSummary:
    """One line of :func:`list`."""

    id: str
    version: str
    issued: dt.date
    scope: str
    title_vi: str
    title_en: str
    targets: int
    fingerprint: str


# --- validation ------------------------------------------------------------------------

_STR = of_type(str, name="a string")
_INT = of_type(int, name="an integer")
_NUMBER = of_type(int, float, name="a number")
_DATE = of_type(dt.date, name="a date (YYYY-MM-DD, unquoted)")
_STRS = list_of(_STR, name="strings")
_SOURCE = {"url": (_STR, False), "publisher": (_STR, False), "date": (_STR, False),
           "about": (_STR, False)}
_LEGAL = {"act": (_STR, True), "article": (_STR, False), "date": (_DATE, False),
          "url": (_STR, False), "title": (_STR, False)}
_TARGET = {
    "code": (_STR, True), "name_vi": (_STR, True), "name_en": (_STR, True),
    "level": (one_of(Level, name="level"), True),
    "tier": (one_of(Tier, name="tier"), False),
    "indicator": ({"set": (_STR, True), "code": (_STR, True)}, False),
    "percent": (_NUMBER, False), "count": (_INT, False),
    "comparison": (one_of(Comparison, name="comparison"), False),
    "among": (one_of(Tier, name="tier"), False),
    "year": (_INT, False),
    "confidence": (one_of(Confidence, name="confidence"), True),
    "sources": (_STRS, True), "quote": (_STR, False), "candidate": (_STR, False),
    "note": (_STR, False),
}
_FILE = {
    "format": (_STR, True), "id": (_STR, True), "version": (_STR, True),
    "title_vi": (_STR, True), "title_en": (_STR, True), "issued": (_DATE, True),
    "checked_on": (_DATE, True), "scope": (_STR, True), "legal_basis": (_LEGAL, False),
    "sources": ({"*": _SOURCE}, True), "note": (_STR, False), "targets": ([_TARGET], True),
}


def json_schema() -> dict[str, Any]:
    """The target-file format as a JSON Schema (draft 2020-12), for editors and other tools.

    Cross-references (source ids, one of tier or indicator, a value unless the confidence
    says it is unknown) are checked by ntmkit when it loads a file, not by the schema.
    """
    schema = to_json_schema(_FILE)
    schema["properties"]["format"] = {"const": FORMAT}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://ntmkit.readthedocs.io/schemas/targets.v1.json",
            "title": "ntmkit targets (ntmkit.targets.v1)", **schema}


def validate(data: Mapping[str, Any]) -> builtins.list[str]:
    """The problems of a parsed target file (empty when it is valid), each with its key path."""
    problems: builtins.list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    walk(data, _FILE, "", problems)
    return problems


def build(data: Mapping[str, Any], origin: str) -> TargetSet:
    """Build a :class:`TargetSet` from a parsed file; errors name *origin* and the key."""
    problems = validate(data)
    if problems:
        raise CriteriaDataError(f"{origin}: {len(problems)} problem"
                                f"{'s' if len(problems) > 1 else ''}"
                                + "".join(f"\n  - {p}" for p in problems))
    targets = []
    for i, t in enumerate(data["targets"]):
        fields = dict(t)
        if "indicator" in fields:
            fields["indicator"] = IndicatorRef(**fields["indicator"])
        fields.setdefault("tier", None)
        try:
            targets.append(Target(set_id=data["id"], set_version=data["version"], **fields))
        except (ValueError, TypeError) as exc:
            raise CriteriaDataError(f"{origin}: targets[{i}]: {exc}") from None
    legal = data.get("legal_basis")
    try:
        return TargetSet(
            id=data["id"], version=data["version"], title_vi=data["title_vi"],
            title_en=data["title_en"], issued=data["issued"], checked_on=data["checked_on"],
            scope=data["scope"], targets=tuple(targets),
            legal_basis=None if legal is None else LegalRef(**legal),
            sources=tuple(Source(id=k, **{"url": "", **v}) for k, v in data["sources"].items()),
            note=data.get("note", ""))
    except (ValueError, TypeError) as exc:
        raise CriteriaDataError(f"{origin}: {exc}") from None


def _read(origin: str, text: bytes) -> TargetSet:
    return build(read_toml(origin, text, what="a target file"), origin)


# --- registry --------------------------------------------------------------------------

class TargetRegistry:
    """Target files by id and version: the shipped ones (:func:`default`) and your own."""

    def __init__(self, sets: builtins.list[TargetSet] | None = None) -> None:
        self._sets: dict[str, TargetSet] = {}
        for ts in sets or []:
            self.add(ts)

    @classmethod
    def bundled(cls) -> TargetRegistry:
        """The target files shipped in ``ntmkit/registry/targets/``."""
        folder = importlib.resources.files("ntmkit.registry").joinpath("targets")
        out = cls()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                out.add(_read(f"ntmkit/registry/targets/{entry.name}", entry.read_bytes()))
        return out

    def add(self, ts: TargetSet) -> None:
        """Add a target file; a different file with the same ``id@version`` is an error."""
        if ts.key in self._sets and self._sets[ts.key] != ts:
            raise CriteriaDataError(f"{ts.key} is already in the target registry")
        self._sets[ts.key] = ts

    def load(self, path: str | Path) -> TargetSet:
        """Read a target file of your own and add it to this registry."""
        path = Path(path)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CriteriaDataError(f"{path}: cannot read: {exc.strerror}") from None
        ts = _read(str(path), text)
        self.add(ts)
        return ts

    def ids(self) -> builtins.list[str]:
        """The ids of the target files, sorted."""
        return sorted({ts.id for ts in self._sets.values()})

    def versions(self, set_id: str) -> builtins.list[str]:
        """The versions of *set_id*, oldest first (by issue date)."""
        found = [ts for ts in self._sets.values() if ts.id == set_id]
        return [ts.version for ts in sorted(found, key=lambda ts: (ts.issued, ts.version))]

    def list(self) -> builtins.list[TargetSummary]:
        """One summary per target-file version."""
        return [TargetSummary(ts.id, ts.version, ts.issued, ts.scope, ts.title_vi,
                              ts.title_en, len(ts), ts.fingerprint)
                for set_id in self.ids() for v in self.versions(set_id)
                for ts in [self._sets[f"{set_id}@{v}"]]]

    def get(self, set_id: str, *, version: str | None = None,
            on: dt.date | None = None) -> TargetSet:
        """The target file *set_id*, pinned or picked by date.

        The pinned *version* (``"id@version"`` pins too), the latest issued on or before
        *on*, or, with neither, the latest.
        """
        set_id, _, pinned = set_id.partition("@")
        if pinned:
            if version is not None and version != pinned:
                raise UnknownTarget(f"two versions asked for: {pinned} and {version}")
            version = pinned
        versions = self.versions(set_id)
        if not versions:
            raise UnknownTarget(f"no target file {set_id!r} (known: "
                                f"{', '.join(self.ids()) or 'none'})")
        if version is not None:
            if version not in versions:
                raise UnknownTarget(f"{set_id} has no version {version!r} (versions: "
                                    f"{', '.join(versions)})")
            return self._sets[f"{set_id}@{version}"]
        chosen = [v for v in versions
                  if on is None or self._sets[f"{set_id}@{v}"].issued <= on]
        if not chosen:
            raise UnknownTarget(f"no version of {set_id} was issued by {on} (versions: "
                                f"{', '.join(versions)})")
        return self._sets[f"{set_id}@{chosen[-1]}"]

    def target(self, target_id: str, *, version: str | None = None,
               on: dt.date | None = None) -> Target:
        """One target by ``<file id>/<code>`` (``file id@version/code`` pins a version)."""
        set_part, slash, code = target_id.rpartition("/")
        if not slash or not set_part:
            raise UnknownTarget(f"a target id reads '<file id>/<code>', e.g. "
                                f"'province/hung-yen/communes-model', not {target_id!r}")
        return self.get(set_part, version=version, on=on)[code]


@functools.lru_cache(maxsize=1)
def default() -> TargetRegistry:
    """The registry of the target files shipped with ntmkit (read on first use)."""
    return TargetRegistry.bundled()


def list() -> builtins.list[TargetSummary]:
    """Summaries of the shipped target files."""
    return default().list()


def get(set_id: str, *, version: str | None = None, on: dt.date | None = None) -> TargetSet:
    """A shipped target file (see :meth:`TargetRegistry.get`)."""
    return default().get(set_id, version=version, on=on)


def target(target_id: str, *, version: str | None = None, on: dt.date | None = None) -> Target:
    """A shipped target by id, e.g. ``"province/hung-yen/communes-model"``."""
    return default().target(target_id, version=version, on=on)


def load(path: str | Path) -> TargetSet:
    """Read a target file of your own (it is not added to the shipped registry)."""
    return TargetRegistry().load(path)
