"""JSON Schema files of ntmkit's file formats, shipped as package data.

* ``criteria-set.v1.json`` — criteria-set data files (``ntmkit.criteria-set.v1``);
* ``observations.v1.json`` — JSON observation files (``ntmkit.observations.v1``);
* ``targets.v1.json`` — target files (``ntmkit.targets.v1``);
* ``points-set.v1.json`` — points-set data files (``ntmkit.points-set.v1``);
* ``criteria-set-canonical.v1.json`` — a set version as served by ``ntmkit serve`` and
  written by ``ntmkit criteria export`` (its canonical form, see :mod:`ntmkit.export`).

Read them with ``importlib.resources.files("ntmkit.schemas") / "criteria-set.v1.json"``, or
regenerate them with :func:`write_schemas`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["generate", "write_schemas"]


def generate() -> dict[str, dict[str, Any]]:
    """The schemas by file name, generated from ntmkit's own format definitions."""
    from ntmkit.export import canonical_json_schema
    from ntmkit.io.observations import observations_json_schema
    from ntmkit.points.schema import json_schema as points_json_schema
    from ntmkit.registry.schema import json_schema
    from ntmkit.targets import json_schema as targets_json_schema

    return {"criteria-set.v1.json": json_schema(),
            "observations.v1.json": observations_json_schema(),
            "targets.v1.json": targets_json_schema(),
            "points-set.v1.json": points_json_schema(),
            "criteria-set-canonical.v1.json": canonical_json_schema()}


def write_schemas(folder: str | Path) -> list[Path]:
    """Write the schema files into *folder*; return their paths."""
    folder = Path(folder)
    paths = []
    for name, schema in generate().items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths
