"""Turn parsed points-set files into :class:`PointsSet` objects, and the points registry.

Points sets ship as TOML files in ``ntmkit/registry/points/`` (one file per set version),
read through :mod:`importlib.resources` on first request, like criteria sets.  Every problem
is reported with the file and the path of the key at fault.
"""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import importlib.resources
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from ntmkit._spec import construct
from ntmkit._toml import read_toml
from ntmkit.errors import CriteriaDataError, UnknownCriteriaSet
from ntmkit.model.criteria import LegalRef, Source
from ntmkit.points.model import (
    Band,
    Component,
    PointsRule,
    PointsSet,
    Step,
    SubIndicator,
    Valued,
)
from ntmkit.points.schema import validate

__all__ = ["PointsRegistry", "build_points_set", "check_points_set", "default", "get",
           "load"]


T = TypeVar("T")


class _Problem(Exception):
    pass


def _at(path: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return build(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        raise _Problem(f"{path}: {exc}") from None


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _valued(d: Mapping[str, Any] | None) -> Valued | None:
    if d is None:
        return None
    return Valued(value=d.get("value"), confidence=d["confidence"],
                  sources=tuple(d.get("sources", ())), candidate=d.get("candidate"),
                  note=d.get("note", ""))


def _rule(d: Mapping[str, Any] | None, path: str) -> PointsRule | None:
    if d is None:
        return None
    steps = tuple(Step(float(s["at_least"]), float(s["points"])) for s in d.get("steps", ()))
    roles = tuple((k, float(v)) for k, v in d.get("roles", {}).items())
    return _at(path, PointsRule, kind=d["kind"], steps=steps, roles=roles,
               points=_num(d.get("points")), cap=_num(d.get("cap")))


def _component(d: Mapping[str, Any], path: str) -> Component:
    subs = tuple(
        _at(f"{path}.sub_indicators[{i}]", SubIndicator, code=s["code"], component=d["code"],
            name_vi=s["name_vi"], name_en=s["name_en"],
            rule=_rule(s.get("rule"), f"{path}.sub_indicators[{i}].rule"),
            max_points=_num(s.get("max_points")), confidence=s["confidence"],
            sources=tuple(s.get("sources", ())), candidate=s.get("candidate"),
            note=s.get("note", ""))
        for i, s in enumerate(d.get("sub_indicators", ())))
    return _at(path, Component, code=d["code"], name_vi=d["name_vi"], name_en=d["name_en"],
               max_points=_num(d.get("max_points")), confidence=d["confidence"],
               sources=tuple(d.get("sources", ())), scored=d.get("scored", True),
               weight=float(d.get("weight", 1.0)), group=d.get("group", ""),
               sub_indicators=subs,
               sub_indicators_complete=d.get("sub_indicators_complete", True),
               sub_indicator_count=d.get("sub_indicator_count"),
               candidate=d.get("candidate"), note=d.get("note", ""))


def _band(d: Mapping[str, Any], path: str) -> Band:
    return _at(path, Band, code=d["code"], label_vi=d["label_vi"], label_en=d["label_en"],
               min_points=d.get("min_points"), confidence=d["confidence"],
               stars=d.get("stars"), gates=tuple(d.get("gates", ())),
               gates_known=d.get("gates_known", True), level=d.get("level", ""),
               sources=tuple(d.get("sources", ())), candidate=d.get("candidate"),
               note=d.get("note", ""))


def _metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("id", "version", "subject", "title_vi", "title_en", "effective", "checked_on",
                "superseded_on", "complete", "period", "edge_rule", "note"):
        if key in data:
            out[key] = data[key]
    for key in ("legal_basis", "superseded_by"):
        if key in data:
            out[key] = LegalRef(**data[key])
    for key in ("amended_by", "replaces"):
        if key in data:
            out[key] = tuple(LegalRef(**a) for a in data[key])
    for key in ("total_points", "averaging", "validity_months"):
        if key in data:
            out[key] = _valued(data[key])
    if "merge_rule" in data:
        out["merge_rule"] = data["merge_rule"]["value"]
        out["merge_rule_confidence"] = _valued(data["merge_rule"])
    if "groups" in data:
        out["groups"] = tuple((g["code"], g["name_vi"], g["name_en"]) for g in data["groups"])
    if "product_groups" in data:
        out["product_groups"] = tuple(data["product_groups"])
    if "sources" in data:
        out["sources"] = tuple(Source(id=k, **v) for k, v in data["sources"].items())
    return out


def check_points_set(ps: PointsSet) -> list[str]:
    """Cross-references a schema cannot check: source ids, gates, groups, rule maxima."""
    problems: list[str] = []
    known = {s.id for s in ps.sources}
    groups = {g[0] for g in ps.groups}

    def cite(where: str, sources: tuple[str, ...]) -> None:
        problems.extend(f"{where}: source {s!r} is not in [sources]"
                        for s in sources if s not in known)

    for c in ps.components:
        cite(f"component {c.code}", c.sources)
        if c.group and c.group not in groups:
            problems.append(f"component {c.code}: group {c.group!r} is not in [[groups]]")
        for s in c.sub_indicators:
            cite(f"sub-indicator {s.code}", s.sources)
            if s.rule is not None and s.rule.steps and s.max_points is not None and \
                    max(st.points for st in s.rule.steps) > s.max_points:
                problems.append(f"sub-indicator {s.code}: a step gives more points than its "
                                "maximum")
    codes = set(ps.component_map) | set(ps.sub_indicators)
    for b in ps.bands:
        cite(f"band {b.code}", b.sources)
        if b.gates and not b.gates_known:
            problems.append(f"band {b.code}: gates are listed, so gates_known must be true")
        problems.extend(f"band {b.code}: gate {g!r} is a component or sub-indicator code; "
                        "gates are mandatory criteria of their own" for g in b.gates if g in codes)
    for name in ("total_points", "averaging", "validity_months", "merge_rule_confidence"):
        value: Valued | None = getattr(ps, name)
        if value is not None:
            cite(name.replace("_confidence", ""), value.sources)
            if value.confidence.has_value and value.value is None:
                problems.append(f"{name}: confidence {value.confidence.value} but no value")
            if not value.confidence.has_value and value.value is not None:
                problems.append(f"{name}: confidence {value.confidence.value}: leave the "
                                "value out (keep what a source printed in 'candidate')")
    return problems


def _finish(kwargs: dict[str, Any], origin: str) -> PointsSet:
    return construct(PointsSet, kwargs, origin, check_points_set)



def build_points_set(data: Mapping[str, Any], origin: str,
                     resolve: Callable[[str], PointsSet] | None = None) -> PointsSet:
    """Build a points set from a parsed file; *origin* names the file in error messages.

    A file with ``extends = "id@version"`` derives from that set (found with *resolve*):
    it keeps the base's components and bands, applies each ``[[overrides]]`` (a component's
    maximum with its confidence and sources) and may restate ``total_points`` and ``bands``.
    """
    problems = validate(data)
    if problems:
        raise CriteriaDataError.listing(origin, problems)
    try:
        meta = _metadata(data)
        if "extends" in data:
            if resolve is None:
                raise _Problem(f"extends: cannot resolve {data['extends']!r} here")
            base = resolve(data["extends"])
            return _derive(base, data, meta, origin)
        meta["components"] = tuple(_component(c, f"components[{i}]")
                                   for i, c in enumerate(data["components"]))
        meta["bands"] = tuple(_band(b, f"bands[{i}]") for i, b in enumerate(data.get("bands", ())))
    except _Problem as exc:
        raise CriteriaDataError(f"{origin}: {exc}") from None
    return _finish(meta, origin)


def _derive(base: PointsSet, data: Mapping[str, Any], meta: dict[str, Any],
            origin: str) -> PointsSet:
    components = {c.code: c for c in base.components}
    for i, o in enumerate(data.get("overrides", ())):
        code = o["component"]
        if code not in components:
            raise _Problem(f"overrides[{i}]: {base.key} has no component {code!r}")
        components[code] = _at(f"overrides[{i}]", attrs.evolve, components[code],
                               max_points=_num(o.get("max_points")),
                               confidence=o["confidence"], sources=tuple(o.get("sources", ())),
                               note=o.get("note", components[code].note))
    kwargs: dict[str, Any] = {f.name: getattr(base, f.name)
                              for f in attrs.fields(PointsSet) if f.init}
    sources = {s.id: s for s in base.sources}
    for s in meta.pop("sources", ()):
        sources[s.id] = s
    kwargs.update(meta)
    kwargs.update(components=tuple(components.values()), sources=tuple(sources.values()),
                  derived_from=base.key)
    if "bands" in data:
        kwargs["bands"] = tuple(_band(b, f"bands[{i}]") for i, b in enumerate(data["bands"]))
    return _finish(kwargs, origin)


def _read_toml(origin: str, text: bytes) -> dict[str, Any]:
    return read_toml(origin, text, what="a points-set file")


def _split(key: str) -> tuple[str, str | None]:
    set_id, _, version = key.partition("@")
    return set_id, version or None


class PointsRegistry:
    """Points-set versions looked up by id and date or version (like the criteria registry).

    >>> reg = PointsRegistry.bundled()
    >>> reg.get("product/ocop", on=dt.date(2024, 1, 1)).legal_basis.act
    '148/QĐ-TTg'
    """

    def __init__(self, raw: dict[str, tuple[str, dict[str, Any]]] | None = None) -> None:
        self._raw: dict[str, tuple[str, dict[str, Any]]] = dict(raw or {})
        self._built: dict[str, PointsSet] = {}

    @classmethod
    def bundled(cls) -> PointsRegistry:
        """A registry of the points-set files shipped in the package."""
        raw: dict[str, tuple[str, dict[str, Any]]] = {}
        folder = importlib.resources.files("ntmkit.registry").joinpath("points")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            origin = f"ntmkit/registry/points/{entry.name}"
            data = _read_toml(origin, entry.read_bytes())
            key = f"{data.get('id')}@{data.get('version')}"
            if key in raw:
                raise CriteriaDataError(f"{origin}: {key} is also defined in {raw[key][0]}")
            raw[key] = (origin, data)
        return cls(raw)

    def _build(self, key: str) -> PointsSet:
        if key not in self._built:
            if key not in self._raw:
                raise UnknownCriteriaSet(self._unknown(key))
            origin, data = self._raw[key]
            self._built[key] = build_points_set(data, origin, resolve=self._build)
        return self._built[key]

    def _unknown(self, key: str) -> str:
        set_id, version = _split(key)
        versions = self.versions(set_id)
        if not versions:
            return (f"no points set {set_id!r} in the registry (known points sets: "
                    f"{', '.join(self.ids()) or 'none'})")
        return f"{set_id} has no version {version!r} (versions: {', '.join(versions)})"

    def ids(self) -> builtins.list[str]:
        """The points-set ids, sorted."""
        return sorted({_split(k)[0] for k in self._raw})

    def versions(self, set_id: str) -> builtins.list[str]:
        """The versions of *set_id*, oldest first."""
        return sorted(v for k in self._raw for i, v in [_split(k)] if i == set_id and v)

    def __contains__(self, set_id: object) -> bool:
        return isinstance(set_id, str) and _split(set_id)[0] in self.ids()

    def list(self) -> builtins.list[PointsSet]:
        """Every points-set version, by id then version."""
        return [self._build(f"{i}@{v}") for i in self.ids() for v in self.versions(i)]

    def get(self, set_id: str, *, on: dt.date | None = None,
            version: str | None = None) -> PointsSet:
        """The version of *set_id* in force on *on*, or the pinned *version* (or ``id@version``)."""
        set_id, key_version = _split(set_id)
        version = version or key_version
        if (on is None) == (version is None):
            raise UnknownCriteriaSet(f"get({set_id!r}) needs exactly one of on=<date> or "
                                     f"version=<str> (versions: "
                                     f"{', '.join(self.versions(set_id)) or 'none'})")
        if version is not None:
            return self._build(f"{set_id}@{version}")
        assert on is not None
        versions = [self._build(f"{set_id}@{v}") for v in self.versions(set_id)]
        if not versions:
            raise UnknownCriteriaSet(self._unknown(set_id))
        started = [p for p in versions if p.effective <= on]
        if not started:
            raise UnknownCriteriaSet(f"no version of {set_id} is in force on {on}: the "
                                     f"earliest, {versions[0].version}, took effect on "
                                     f"{versions[0].effective}")
        latest = max(started, key=lambda p: p.effective)
        if latest.superseded_on is not None and on >= latest.superseded_on:
            raise UnknownCriteriaSet(f"no version of {set_id} in the registry is in force on "
                                     f"{on}: {latest.version} ended on {latest.superseded_on}")
        return latest

    def load(self, path: str | Path, *, register: bool = True) -> PointsSet:
        """Load a points-set file of your own (it may ``extends`` a set of this registry)."""
        path = Path(path)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CriteriaDataError(f"{path}: cannot read: {exc.strerror}") from None
        data = _read_toml(str(path), text)
        key = f"{data.get('id')}@{data.get('version')}"
        if key in self._raw and self._raw[key][1] != data:
            raise CriteriaDataError(f"{path}: {key} is already in the registry (from "
                                    f"{self._raw[key][0]}); give it another id or version")
        ps = build_points_set(data, str(path), resolve=self._build)
        if register:
            self._raw[key] = (str(path), data)
            self._built[key] = ps
        return ps


@functools.lru_cache(maxsize=1)
def default() -> PointsRegistry:
    """The registry of the points sets shipped with ntmkit (built on first use)."""
    return PointsRegistry.bundled()


def get(set_id: str, *, on: dt.date | None = None, version: str | None = None) -> PointsSet:
    """The shipped points set *set_id* in force on *on*, or the pinned *version*."""
    return default().get(set_id, on=on, version=version)


def load(path: str | Path) -> PointsSet:
    """Load a points-set file of your own; it may ``extends`` a shipped points set."""
    return default().load(path, register=False)
