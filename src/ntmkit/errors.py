"""The exceptions and warnings ntmkit raises.

Every error ntmkit raises on purpose derives from :class:`NtmkitError`, so that a caller
can catch the whole family in one ``except`` clause.  Messages name what was wrong and
where (file, row, indicator, unit) and say what would fix it; the same facts are also
fields of the exception (``exc.file``, ``exc.row``, ``exc.column``, ``exc.indicator``,
``exc.unit``), ``None`` where they do not apply, so that a program need not parse messages::

    >>> try:
    ...     raise InvalidValue("indicator 3.1: 150 % is outside 0–100 %", indicator="3.1",
    ...                        unit="%")
    ... except NtmkitError as exc:
    ...     (exc.indicator, exc.unit, exc.file)
    ('3.1', '%', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AssumedUnitWarning",
    "CriteriaDataError",
    "InvalidContext",
    "InvalidValue",
    "MissingDependency",
    "NtmkitError",
    "NtmkitWarning",
    "ObservationFileError",
    "OutputFileError",
    "StaleCriteriaError",
    "StaleCriteriaWarning",
    "UnitMismatch",
    "UnknownCriteriaSet",
    "UnknownIndicator",
    "UnknownProvince",
]


_FIELDS = ("file", "row", "column", "indicator", "unit")


class NtmkitError(Exception):
    """Base class of every error ntmkit raises on purpose.

    ``file``, ``row`` (a CSV line number or a JSON index), ``column`` (a CSV column or a
    JSON field path), ``indicator`` and ``unit`` say where the problem is, when it is
    somewhere; the message says the same in words.

    ``key`` (optional) names the message's entry in the ``errors`` section of
    :mod:`ntmkit.i18n` and ``fields`` the values that fill it, so that the command line can
    show the message in Vietnamese; the English message stays the one given.
    """

    file: str | None
    row: int | None
    column: str | None
    indicator: str | None
    unit: str | None
    key: str | None
    fields: dict[str, Any]

    def __init__(self, message: str = "", *, file: str | None = None, row: int | None = None,
                 column: str | None = None, indicator: str | None = None,
                 unit: str | None = None, key: str | None = None,
                 fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.fields = dict(fields or {})
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.indicator = indicator
        self.unit = unit

    @property
    def message(self) -> str:
        """The message, as ``str(exc)`` gives it."""
        return str(self.args[0]) if self.args else ""

    @property
    def where(self) -> dict[str, Any]:
        """The location fields that are set, e.g. ``{"file": "a.csv", "row": 3}``."""
        return {k: getattr(self, k) for k in _FIELDS if getattr(self, k) is not None}

    def relocated(self, message: str, cls: type[NtmkitError] | None = None,
                  **where: Any) -> NtmkitError:
        """A copy of this error with a new *message* and more location fields.

        Fields already set are kept unless *where* gives them again; *cls* (default: this
        error's class) is the class of the copy.
        """
        fields = {**self.where, **{k: v for k, v in where.items() if v is not None}}
        return (cls or type(self))(message, **fields)

    def __reduce__(self) -> Any:
        return _rebuild, (type(self), self.message, self.where, self.key, self.fields)


def _rebuild(cls: type[NtmkitError], message: str, where: dict[str, Any],
             key: str | None = None, fields: dict[str, Any] | None = None) -> NtmkitError:
    return cls(message, **where, key=key, fields=fields)


class UnknownCriteriaSet(NtmkitError, LookupError):
    """A criteria-set id or version is not in the registry, or none is in force on a date."""


class UnknownIndicator(NtmkitError, LookupError):
    """An observation names an indicator code that the criteria set does not have."""


class UnknownProvince(NtmkitError, LookupError):
    """A province name or code is not in the administrative edition asked for."""


class UnitMismatch(NtmkitError, ValueError):
    """A value's unit cannot be converted to the unit its indicator is measured in."""


class InvalidValue(NtmkitError, ValueError):
    """A value is of the wrong kind or outside the range its indicator allows."""


class InvalidContext(NtmkitError, ValueError):
    """The assessment context (year, region, classification) is outside what a set covers."""


class CriteriaDataError(NtmkitError, ValueError):
    """A criteria-set data file is malformed; the message names the file, key and problem."""

    @classmethod
    def listing(cls, origin: str, problems: list[str]) -> CriteriaDataError:
        r"""One error for every problem found in the file *origin*, one per line.

        >>> str(CriteriaDataError.listing("a.toml", ["x: missing", "y: not a number"]))
        'a.toml: 2 problems\n  - x: missing\n  - y: not a number'
        """
        head = f"{origin}: {len(problems)} problem{'s' if len(problems) > 1 else ''}"
        return cls(head + "".join(f"\n  - {p}" for p in problems), file=origin)


class ObservationFileError(NtmkitError, ValueError):
    """An observations file (JSON or CSV) is malformed; the message names row and field."""


class OutputFileError(NtmkitError, OSError):
    """An output file cannot be written (missing folder, a folder in its place, no permission).

    Nothing is written when it is raised; ``file`` names the output.
    """


class MissingDependency(NtmkitError, ImportError):
    """An optional library a feature needs is not installed; the message names the extra."""


class StaleCriteriaError(NtmkitError):
    """An assessment date lies after the date a set's values were last checked against the law.

    Raised only under ``strict="raise"``; see :func:`ntmkit.assess`.
    """


class NtmkitWarning(UserWarning):
    """Base class of the warnings ntmkit issues."""


class AssumedUnitWarning(NtmkitWarning):
    """A column gave no unit where one is easy to mistake; the indicator's unit was assumed.

    Money and per-month or per-year values are often written in another unit than the
    indicator's (``10 [million VND/person/month]`` against million VND per person per year).
    """


class StaleCriteriaWarning(NtmkitWarning):
    """Issued under ``strict="warn"`` when the assessment date is after a set's check date."""
