"""One catalogue of the words ntmkit shows people, in Vietnamese and English.

Every string a person reads — ``explain``, the command line, the report, the reprs, the
catalogue pages, the spreadsheets — is looked up here by a dotted key whose first part names
a section (``"cli.wrote"``, ``"report.legend"``), and rendered with :func:`text`::

    >>> from ntmkit import i18n
    >>> i18n.text("common.verdict.met", "vi"), i18n.text("common.verdict.met", "en")
    ('Đạt', 'met')
    >>> i18n.unit_name("million VND/person/year", "vi")
    'triệu đồng/người/năm'

The catalogue is a small typed table in Python rather than gettext ``.po`` files: there are
two languages, both written by the same people, and keeping them side by side in one entry
means a message cannot exist in one language only (a test renders every entry in both and
rejects English words in the Vietnamese side).  It needs no compile step, no extra
dependency and no files to find at run time, and mypy checks every use.

Vietnamese is the default language everywhere (``lang="vi"``).
"""

from __future__ import annotations

import functools
import importlib
import string
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

__all__ = [
    "LANGS",
    "SECTIONS",
    "Lang",
    "check_lang",
    "class_name",
    "confidence_name",
    "context_name",
    "entries",
    "fields",
    "keys",
    "region_name",
    "rule_symbol",
    "text",
    "unit_name",
    "verdict_name",
]

#: A language ntmkit writes in: Vietnamese (the default) or English.
Lang = Literal["vi", "en"]

#: The languages, Vietnamese first.
LANGS: tuple[Lang, ...] = ("vi", "en")

#: The sections of the catalogue; each is a module of this package holding ``MESSAGES``, a
#: mapping of key (without the section) to the pair (Vietnamese, English).
SECTIONS = ("common", "units", "explain", "reasons", "diff", "progress", "points", "sheets",
            "coverage", "catalogue", "cli", "page", "report", "errors")


def check_lang(lang: object) -> Lang:
    """Return *lang* if it is ``"vi"`` or ``"en"``; raise :class:`ValueError` otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    return lang


@functools.cache
def _section(name: str) -> Mapping[str, tuple[str, str]]:
    if name not in SECTIONS:
        raise KeyError(name)
    module = importlib.import_module(f"ntmkit.i18n.{name}")
    return cast("Mapping[str, tuple[str, str]]", module.MESSAGES)


def entries() -> Iterator[tuple[str, tuple[str, str]]]:
    """Every entry of the catalogue: ``(key, (vietnamese, english))``."""
    for name in SECTIONS:
        for key, pair in _section(name).items():
            yield f"{name}.{key}", pair


def keys() -> list[str]:
    """Every key of the catalogue, section by section."""
    return [key for key, _ in entries()]


def fields(key: str) -> set[str]:
    """The ``{names}`` a message takes (the same in both languages)."""
    vi, _ = _pair(key)
    return {name for _, name, _, _ in string.Formatter().parse(vi) if name}


def _pair(key: str) -> tuple[str, str]:
    section, _, rest = key.partition(".")
    try:
        return _section(section)[rest]
    except KeyError:
        raise KeyError(f"no message {key!r} in ntmkit's catalogue") from None


def text(key: str, lang: Lang = "vi", /, **values: Any) -> str:
    """The message *key* in *lang*, with ``{name}`` fields filled from *values*.

    An unknown key raises :class:`KeyError`; a missing field raises :class:`KeyError` naming
    it (both are programming errors, caught by the catalogue's tests).
    """
    pair = _pair(key)
    message = pair[0] if check_lang(lang) == "vi" else pair[1]
    return message.format(**values) if values or "{" in message else message


def _named(prefix: str, value: object, lang: Lang) -> str:
    slug = str(getattr(value, "value", value))
    try:
        return text(f"{prefix}.{slug}", lang)
    except KeyError:
        return slug


def region_name(region: object, lang: Lang = "vi") -> str:
    """The name of a region (a :class:`~ntmkit.Region` or its slug) in *lang*."""
    return _named("common.region", region, lang)


def confidence_name(confidence: object, lang: Lang = "vi") -> str:
    """The name of a confidence level (a :class:`~ntmkit.Confidence` or its slug)."""
    return _named("common.confidence", confidence, lang)


def verdict_name(verdict: object, lang: Lang = "vi") -> str:
    """The name of a verdict (*Đạt*, *Chưa đạt*, …) in *lang*."""
    return _named("common.verdict", verdict, lang)


def class_name(commune_class: object, lang: Lang = "vi") -> str:
    """The name of a commune classification (:class:`~ntmkit.CommuneClass`) in *lang*."""
    return _named("common.class", commune_class, lang)


def context_name(when: object, lang: Lang = "vi") -> str:
    """The context a threshold applies to, in words (region, year, class, group).

    *when* is a :class:`~ntmkit.Condition`; a condition that names nothing applies
    everywhere (*mọi vùng*).
    """
    parts = []
    region = getattr(when, "region", None)
    year = getattr(when, "year", None)
    commune_class = getattr(when, "commune_class", None)
    group = getattr(when, "group", None)
    if region is not None:
        parts.append(region_name(region, lang))
    if year is not None:
        parts.append(text("common.year", lang, year=year))
    if commune_class is not None:
        parts.append(class_name(commune_class, lang))
    if group is not None:
        parts.append(text("common.group", lang, group=group))
    return ", ".join(parts) or text("common.region.everywhere", lang)


def rule_symbol(kind: object, lang: Lang = "vi") -> str:
    """How a rule kind reads before its threshold: ``≥``, ``≤``, *trong khoảng* and so on."""
    return _named("common.rule", kind, lang)


@functools.lru_cache(maxsize=512)
def _unit_name(unit: str, lang: Lang) -> str:
    from ntmkit.i18n.units import WORDS
    from ntmkit.units import readable_unit

    words = WORDS[lang]
    if unit in words:
        return words[unit]
    readable = readable_unit(unit)
    if readable in words:
        return words[readable]
    parts = readable.split("/")
    named = []
    for part in parts:
        named.append(" ".join(words.get(w, w) for w in part.split(" ")))
    return "/".join(named)


def unit_name(unit: str, lang: Lang = "vi") -> str:
    """A unit as people write it in *lang*: ``"household"`` is *hộ* in Vietnamese.

    Each word of a compound unit is translated (``million VND/person/year`` →
    *triệu đồng/người/năm*); a word the catalogue does not know is kept as written.
    """
    return _unit_name(unit, check_lang(lang))
