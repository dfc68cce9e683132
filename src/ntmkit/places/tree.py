"""A dated administrative tree: provinces, districts (until 30 June 2025), communes, villages.

Official codes were reused across the 1 July 2025 reform, so a unit's identity is its code
*and* the edition of the map it belongs to.  Users bring their own unit lists (a CSV of codes,
names, levels and parents); a tree answers "which communes did this district/province have
on this date" for roll-ups, and keeps the link from merged units to their predecessors.

CSV columns: ``code``, ``name``, ``level`` (province, district, commune, village),
``parent`` (the parent's code in the same edition; empty for provinces), ``edition``
(``pre-2025-07`` or ``2025-07``), and optionally ``predecessors`` (codes in the previous
edition, separated by ``;``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

import attrs

from ntmkit.errors import ObservationFileError, UnknownProvince
from ntmkit.model.criteria import to_tuple
from ntmkit.model.enums import Level
from ntmkit.model.places import EDITIONS

__all__ = ["REFORM_DATE", "AdminTree", "AdminUnit", "edition_on", "read_admin_units"]

#: The day the two-level local government started (districts ended): 1 July 2025.
REFORM_DATE = dt.date(2025, 7, 1)


def edition_on(on: dt.date) -> str:
    """The edition of the administrative map valid on *on*."""
    return "2025-07" if on >= REFORM_DATE else "pre-2025-07"


@attrs.frozen
class AdminUnit:
    """One unit of one edition of the map; ``predecessors`` are codes of the previous edition."""

    code: str
    name: str
    level: Level = attrs.field(converter=Level)
    edition: str
    parent: str | None = None
    predecessors: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def key(self) -> tuple[str, str]:
        """``(edition, code)``: the unit's identity."""
        return (self.edition, self.code)


class AdminTree:
    """Units of one or both editions, with parent links checked on construction."""

    def __init__(self, units: Iterable[AdminUnit]) -> None:
        self._units: dict[tuple[str, str], AdminUnit] = {}
        self._children: dict[tuple[str, str], list[AdminUnit]] = {}
        for unit in units:
            if unit.edition not in EDITIONS:
                raise ValueError(f"unit {unit.code}: unknown edition {unit.edition!r}")
            if unit.key in self._units:
                raise ValueError(f"unit {unit.code} appears twice in edition {unit.edition}")
            if unit.level is Level.DISTRICT and unit.edition == "2025-07":
                raise ValueError(f"unit {unit.code}: there are no districts in the 2025-07 "
                                 "edition")
            self._units[unit.key] = unit
        for unit in self._units.values():
            if unit.parent is not None:
                parent = self._units.get((unit.edition, unit.parent))
                if parent is None:
                    raise ValueError(f"unit {unit.code} ({unit.edition}): parent "
                                     f"{unit.parent} is not in the tree")
                self._children.setdefault(parent.key, []).append(unit)

    def __len__(self) -> int:
        return len(self._units)

    def unit(self, code: str, *, on: dt.date | None = None, edition: str | None = None,
             ) -> AdminUnit:
        """The unit with *code* in the edition valid on *on* (or the given *edition*)."""
        chosen = edition or edition_on(on or dt.date.today())
        try:
            return self._units[(chosen, code)]
        except KeyError:
            raise UnknownProvince(f"no unit {code!r} in the {chosen} edition of the tree") \
                from None

    def children(self, code: str, *, on: dt.date | None = None, edition: str | None = None,
                 level: Level | str | None = None) -> list[AdminUnit]:
        """The descendants of a unit (direct and indirect), optionally of one *level*.

        ``children("36", on=date(2024, 1, 1), level="commune")``: every commune of the
        province with code 36 as the map stood on that day (through its districts).
        """
        root = self.unit(code, on=on, edition=edition)
        wanted = None if level is None else Level(level)
        out: list[AdminUnit] = []
        stack = list(reversed(self._children.get(root.key, [])))
        while stack:
            unit = stack.pop()
            if wanted is None or unit.level is wanted:
                out.append(unit)
            stack.extend(reversed(self._children.get(unit.key, [])))
        return out

    def predecessors(self, code: str, edition: str = "2025-07") -> list[AdminUnit]:
        """The units of the previous edition that a unit was formed from."""
        unit = self.unit(code, edition=edition)
        previous = EDITIONS[EDITIONS.index(edition) - 1] if EDITIONS.index(edition) else None
        return [self._units[(previous, c)] for c in unit.predecessors
                if previous is not None and (previous, c) in self._units]


def read_admin_units(path: str | Path) -> AdminTree:
    """Read a CSV of units (see the module docstring) into a checked :class:`AdminTree`.

    Errors name the file, row and column; nothing is returned half-built.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ObservationFileError(f"{path}: cannot read as UTF-8 text: {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "level", "edition"} - set(reader.fieldnames or [])
    if missing:
        raise ObservationFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    units = []
    for n, row in enumerate(reader, start=2):
        predecessors = [p.strip() for p in (row.get("predecessors") or "").split(";")]
        try:
            units.append(AdminUnit(
                code=(row.get("code") or "").strip(), name=(row.get("name") or "").strip(),
                level=(row.get("level") or "").strip(),
                edition=(row.get("edition") or "").strip(),
                parent=(row.get("parent") or "").strip() or None,
                predecessors=tuple(p for p in predecessors if p),
            ))
        except ValueError as exc:
            raise ObservationFileError(f"{path}, row {n}: {exc}") from None
        if not units[-1].code:
            raise ObservationFileError(f"{path}, row {n}, column 'code': empty")
    try:
        return AdminTree(units)
    except ValueError as exc:
        raise ObservationFileError(f"{path}: {exc}") from None
