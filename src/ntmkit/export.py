r"""A static snapshot of the registry for apps in any language: set JSON, an index, schemas.

:func:`set_json` gives the bytes of one set version as JSON: its canonical form
(:meth:`~ntmkit.model.criteria.CriteriaSet.canonical`), with sorted keys and no spaces — the
exact text the fingerprint is computed from, so an app can check what it holds::

    sha256(b"ntmkit.criteria-set.v1\n" + body) == fingerprint (after "sha256:")

The HTTP service (``ntmkit serve``) answers ``GET /sets/{id}@{version}`` with these bytes,
and :func:`export` (``ntmkit criteria export -o DIR``) writes them to files, so a pinned
snapshot can be vendored with no server at all.

>>> import hashlib, ntmkit
>>> cs = ntmkit.registry.get("commune/ntm@2024-03-01")
>>> body = set_json(cs)
>>> "sha256:" + hashlib.sha256(b"ntmkit.criteria-set.v1\n" + body).hexdigest() == cs.fingerprint
True
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ntmkit.errors import NtmkitError

if TYPE_CHECKING:
    from ntmkit.model.criteria import CriteriaSet
    from ntmkit.registry import CriteriaRegistry

__all__ = ["INDEX_FORMAT", "canonical_json_schema", "export", "index", "json_bytes", "set_json",
           "set_path"]

#: The format id of ``index.json`` (:func:`index`).
INDEX_FORMAT = "ntmkit.criteria-index.v1"


def set_json(cs: CriteriaSet) -> bytes:
    """The canonical JSON of *cs* as UTF-8 bytes (the text its fingerprint is computed from)."""
    text = json.dumps(cs.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def set_path(set_id: str, version: str) -> str:
    """Where a set version lives in an export and under ``/sets`` of the service.

    >>> set_path("province/nam-dinh/commune/ntm-model", "2024-01-01")
    'sets/province/nam-dinh/commune/ntm-model@2024-01-01.json'
    """
    return f"sets/{set_id}@{version}.json"


def index(registry: CriteriaRegistry | None = None) -> dict[str, Any]:
    """Every set version of *registry* (default: the default registry), as JSON data.

    One entry per set id, with its versions oldest first: version, effective and superseded
    dates, titles, legal basis, fingerprint, origin, and ``path`` (see :func:`set_path`).
    """
    from ntmkit import registry as _registry

    reg = registry if registry is not None else _registry.default()
    sets: dict[str, list[dict[str, Any]]] = {}
    for s in reg.list():
        sets.setdefault(s.id, []).append({
            "version": s.version,
            "effective": s.effective.isoformat(),
            "superseded_on": s.superseded_on.isoformat() if s.superseded_on else None,
            "title_vi": s.title_vi,
            "title_en": s.title_en,
            "legal_basis": s.legal_basis,
            "fingerprint": s.fingerprint,
            "origin": ({"kind": s.origin.kind, "name": s.origin.name} if s.origin
                       else {"kind": "derived", "name": ""}),
            "path": set_path(s.id, s.version),
        })
    return {"format": INDEX_FORMAT,
            "sets": [{"id": set_id, "versions": versions} for set_id, versions in sets.items()]}


def _enum(cls: Any) -> dict[str, Any]:
    return {"enum": [m.value for m in cls]}


def canonical_json_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`set_json` documents (``criteria-set-canonical.v1.json``).

    Fields left at their default are absent from the canonical form, so only the fields
    every set has are required.
    """
    import attrs

    from ntmkit.model import criteria as model
    from ntmkit.model.enums import (
        CommuneClass,
        Confidence,
        Level,
        Region,
        RuleKind,
        SourceKind,
        Tier,
    )

    string = {"type": "string"}
    date = {"type": "string", "format": "date"}
    strings = {"type": "array", "items": string}
    confidence = _enum(Confidence)

    def obj(props: dict[str, Any], required: list[str], cls: Any = None) -> dict[str, Any]:
        # Fields of the model class not typed here are allowed with any value, so that the
        # schema follows the model; fields that are in no class are refused.
        if cls is not None:
            for a in attrs.fields(cls):
                if a.init and a.name != "note" and a.name not in props:
                    props[a.name] = {}
        return {"type": "object", "properties": props, "required": required,
                "additionalProperties": False}

    legal = obj({"act": string, "article": string, "date": date, "title": string,
                 "url": string}, ["act"], model.LegalRef)
    when = obj({"region": _enum(Region), "year": {"type": "integer"},
                "commune_class": _enum(CommuneClass), "group": {"type": "integer"}}, [],
               model.Condition)
    threshold = obj({
        "when": when, "value": {"type": ["number", "null"]}, "upper": {"type": "number"},
        "options": strings, "applies": {"type": "boolean"},
        "candidate": {"type": ["number", "string"]}, "confidence": confidence,
        "sources": strings, "legal_ref": legal,
        "relative_to": obj({"set": string, "indicator": string, "factor": {"type": "number"}},
                           ["indicator"], model.RelativeValue),
    }, [], model.Threshold)
    indicator = obj({
        "code": string, "criterion": string, "name_vi": string, "name_en": string,
        "name_vi_reconstructed": {"type": "boolean"}, "code_confidence": confidence,
        "unit": string, "rule": obj({"kind": _enum(RuleKind),
                                     "thresholds": {"type": "array", "items": threshold}},
                                    ["kind"], model.Rule),
        "year_dependent": {"type": "boolean"}, "by_sex": {"type": "boolean"},
        "applies_if": string, "minimum": {"type": "number"}, "maximum": {"type": "number"},
        "children": obj({"level": _enum(Level), "tier": _enum(Tier)}, [], model.ChildSpec),
    }, ["code", "name_vi", "name_en", "rule"], model.Indicator)
    criterion = obj({
        "code": string, "name_vi": string, "name_en": string, "confidence": confidence,
        "indicators": {"type": "array", "items": indicator},
        "indicators_complete": {"type": "boolean"}, "sources": strings,
    }, ["code", "name_vi", "name_en"], model.Criterion)
    pillar = obj({"code": string, "name_vi": string, "name_en": string,
                  "confidence": confidence,
                  "criteria": {"type": "array", "items": criterion}},
                 ["code", "name_vi", "name_en"], model.Pillar)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ntmkit.readthedocs.io/schemas/criteria-set-canonical.v1.json",
        "title": "ntmkit criteria set, canonical JSON (what its fingerprint is computed from)",
        **obj({
            "id": string, "version": string, "level": _enum(Level),
            "tier": {"enum": [t.value for t in Tier] + [None]},
            "title_vi": string, "title_en": string, "effective": date,
            "legal_basis": legal, "pillars": {"type": "array", "items": pillar},
            "period": string, "superseded_on": date, "superseded_by": legal,
            "amended_by": {"type": "array", "items": legal},
            "years": {"type": "array", "items": {"type": "integer"}, "minItems": 2,
                      "maxItems": 2},
            "criteria_count": {"type": "integer"},
            "groups": {"type": "array", "items": {"type": "integer"}},
            "complete": {"type": "boolean"}, "requires": strings,
            "region_substitutions": {"type": "array", "items": obj({
                "classes": {"type": "array", "items": _enum(CommuneClass)},
                "region": _enum(Region), "confidence": confidence, "sources": strings,
                "note": string}, ["region"], model.RegionSubstitution)},
            "sources": {"type": "array", "items": obj({
                "id": string, "url": string, "publisher": string, "date": string,
                "about": string, "kind": _enum(SourceKind)}, ["id"], model.Source)},
            "derived_from": string,
        }, ["id", "version", "level", "title_vi", "title_en", "effective", "legal_basis",
            "pillars"], model.CriteriaSet),
    }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def export(folder: str | Path, registry: CriteriaRegistry | None = None) -> int:
    """Write every set version of *registry*, ``index.json`` and the JSON Schemas to *folder*.

    Layout: ``index.json`` (:func:`index`), ``sets/<id>@<version>.json`` (:func:`set_json`),
    ``schemas/*.json`` (the shipped schemas and :func:`canonical_json_schema`).  The files
    are written into a temporary folder beside *folder* first and moved into place, so a
    failure never leaves half an export.  Returns the number of set versions written.
    """
    from ntmkit import registry as _registry
    from ntmkit.schemas import generate

    reg = registry if registry is not None else _registry.default()
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NtmkitError(f"{folder}: exists and is not an empty folder; give a new or empty "
                          "folder to export into")
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        summaries = reg.list()
        for s in summaries:
            _write(tmp / set_path(s.id, s.version), set_json(reg.get(s.id, version=s.version)))
        _write(tmp / "index.json", json_bytes(index(reg)))
        for name, schema in generate().items():
            _write(tmp / "schemas" / name, json_bytes(schema))
        if folder.exists():
            folder.rmdir()
        tmp.replace(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return len(summaries)


def json_bytes(data: Any) -> bytes:
    """*data* as indented UTF-8 JSON with a final newline (index and schema files)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
