"""Where criteria-set files come from: the package, plugins, a search path, a file.

The default registry reads set files from three places, in this order:

1. the files shipped inside ntmkit (``bundled``);
2. installed plugin packages: each entry point of the group ``ntmkit.criteria_sets`` names
   an importable package whose resource directory holds set files (``plugin``);
3. the directories listed in the environment variable ``NTMKIT_CRITERIA_PATH``, separated
   by :data:`os.pathsep` (``path``).

A fourth, a file named explicitly (:func:`ntmkit.registry.load`, ``--set PATH.toml``), is
added by the caller.  Every place yields the same kind of set; the registry records where
each came from, and the same ``id@version`` from two places is an error naming both.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs

from ntmkit.errors import CriteriaDataError

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["ENTRY_POINT_GROUP", "PATH_VARIABLE", "SetOrigin", "discover"]

#: The entry-point group a plugin package registers its set directory under.
ENTRY_POINT_GROUP = "ntmkit.criteria_sets"
#: The environment variable listing directories of set files.
PATH_VARIABLE = "NTMKIT_CRITERIA_PATH"

OriginKind = Literal["bundled", "plugin", "path", "file", "derived"]


@attrs.frozen
class SetOrigin:
    """Where one set file was found.

    ``kind`` is ``bundled``, ``plugin``, ``path`` (a directory of ``NTMKIT_CRITERIA_PATH``),
    ``file`` (loaded explicitly) or ``derived`` (built in Python); ``name`` is the plugin's
    distribution name, or empty; ``location`` the file.

    >>> str(SetOrigin("plugin", "ntmkit-thai-binh", "ntmkit_thai_binh/sets/a.toml"))
    'plugin ntmkit-thai-binh (ntmkit_thai_binh/sets/a.toml)'
    """

    kind: OriginKind
    name: str
    location: str

    def __str__(self) -> str:
        head = f"{self.kind} {self.name}" if self.name else self.kind
        return f"{head} ({self.location})"

    @property
    def label(self) -> str:
        """A short label for tables: ``bundled``, ``plugin <name>`` or the file's path."""
        if self.kind == "bundled":
            return "bundled"
        if self.kind == "plugin":
            return f"plugin {self.name}"
        return self.location


def _toml_files(folder: Traversable) -> list[Traversable]:
    return sorted((e for e in folder.iterdir() if e.name.endswith(".toml") and e.is_file()),
                  key=lambda e: e.name)


def _bundled() -> Iterator[tuple[SetOrigin, bytes]]:
    folder = importlib.resources.files("ntmkit.registry").joinpath("data")
    for entry in _toml_files(folder):
        yield SetOrigin("bundled", "", f"ntmkit/registry/data/{entry.name}"), entry.read_bytes()


def _plugins() -> Iterator[tuple[SetOrigin, bytes]]:
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
                     key=lambda e: (e.name, e.value)):
        dist = getattr(ep, "dist", None)
        name = dist.metadata["Name"] if dist is not None else ep.name
        package = ep.value.strip()
        try:
            folder = importlib.resources.files(package)
        except (ImportError, TypeError, ValueError) as exc:
            raise CriteriaDataError(
                f"plugin {name}: entry point {ep.name!r} of {ENTRY_POINT_GROUP} names "
                f"{package!r}, which is not an importable package ({exc})") from None
        for entry in _toml_files(folder):
            where = f"{package.replace('.', '/')}/{entry.name}"
            yield SetOrigin("plugin", name, where), entry.read_bytes()


def _search_path(value: str) -> Iterator[tuple[SetOrigin, bytes]]:
    for part in value.split(os.pathsep):
        if not part.strip():
            continue
        folder = Path(part).expanduser()
        if not folder.is_dir():
            raise CriteriaDataError(f"{PATH_VARIABLE}: {part!r} is not a directory")
        for file in sorted(folder.glob("*.toml")):
            try:
                text = file.read_bytes()
            except OSError as exc:
                raise CriteriaDataError(f"{file}: cannot read: {exc.strerror}") from None
            yield SetOrigin("path", "", str(file)), text


def discover(search_path: str | None = None) -> Iterator[tuple[SetOrigin, bytes]]:
    """Every set file of the bundled data, the plugins and *search_path*, in that order.

    *search_path* is the value of ``NTMKIT_CRITERIA_PATH`` (``None``: read the environment).
    """
    yield from _bundled()
    yield from _plugins()
    value = os.environ.get(PATH_VARIABLE, "") if search_path is None else search_path
    yield from _search_path(value)
