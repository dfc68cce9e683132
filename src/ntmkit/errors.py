"""The exceptions and warnings ntmkit raises.

Every error ntmkit raises on purpose derives from :class:`NtmkitError`, so that a caller
can catch the whole family in one ``except`` clause.  Messages name what was wrong and
where (file, row, indicator, unit) and say what would fix it.
"""

from __future__ import annotations

__all__ = [
    "AssumedUnitWarning",
    "CriteriaDataError",
    "InvalidContext",
    "InvalidValue",
    "MissingDependency",
    "NtmkitError",
    "NtmkitWarning",
    "ObservationFileError",
    "StaleCriteriaError",
    "StaleCriteriaWarning",
    "UnitMismatch",
    "UnknownCriteriaSet",
    "UnknownIndicator",
    "UnknownProvince",
]


class NtmkitError(Exception):
    """Base class of every error ntmkit raises on purpose."""


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


class ObservationFileError(NtmkitError, ValueError):
    """An observations file (JSON or CSV) is malformed; the message names row and field."""


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
