"""Errors as ``application/problem+json`` (RFC 9457), with the fields ntmkit errors carry.

A problem document has ``type``, ``title``, ``status`` and ``detail``, and, where the error
names them, ``file``, ``row``, ``column``, ``indicator`` and ``unit``.  ntmkit's errors carry
these in their message ("communes.csv, row 3, column '3.1': …"); :func:`error_fields` reads
them from an error's attributes where it has them, else from its message.
"""

from __future__ import annotations

import re
from typing import Any

from ntmkit.errors import NtmkitError, UnknownCriteriaSet

__all__ = ["MEDIA_TYPE", "Problem", "error_fields", "from_error"]

#: The media type of problem documents.
MEDIA_TYPE = "application/problem+json"

_ROW = re.compile(r"\brow (\d+)\b")
_COLUMN = re.compile(r"\bcolumns? '([^']+)'|\bcolumn (\d+)\b")
_JSON_ROW = re.compile(r"\bcommunes\[(\d+)\]")
_JSON_OBSERVATION = re.compile(r"\bobservations\['([^']+)'\]")
_JSON_FIELD = re.compile(r"\bcommunes\[\d+\]\.(\w+)")
_INDICATOR = re.compile(r"\bindicator '?([0-9A-Za-z_.]+?)'?(?=[\s,:;)]|$)")
_UNIT = re.compile(r"\bunit '([^']+)'")


class Problem(Exception):
    """An error answer: HTTP *status*, a short *title*, a *detail* for people, and fields.

    *slug* names the kind of problem; its ``type`` is ``/docs#problem-<slug>``.
    """

    def __init__(self, status: int, slug: str, title: str, detail: str,
                 **fields: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.fields = {k: v for k, v in fields.items() if v is not None}

    def document(self) -> dict[str, Any]:
        """The problem as a JSON-compatible dict."""
        return {"type": f"/docs#problem-{self.slug}", "title": self.title,
                "status": self.status, "detail": self.detail, **self.fields}


def error_fields(exc: BaseException) -> dict[str, Any]:
    """``file``, ``row``, ``column``, ``indicator``, ``unit`` of *exc*, where it names them.

    Attributes of those names on the error win; otherwise they are read from its message.
    A JSON observation's index (``communes[2]``) is given as ``row`` 2.

    >>> error_fields(ValueError("a.csv, row 3, column '10 [VND]': not a number"))
    {'row': 3, 'column': '10 [VND]', 'indicator': '10'}
    """
    text = str(exc)
    out: dict[str, Any] = {}
    m = _ROW.search(text) or _JSON_ROW.search(text)
    if m:
        out["row"] = int(m.group(1))
    m = _COLUMN.search(text)
    if m:
        out["column"] = m.group(1) or m.group(2)
    else:
        m = _JSON_OBSERVATION.search(text) or _JSON_FIELD.search(text)
        if m:
            out["column"] = m.group(1)
    column = out.get("column")
    if isinstance(column, str) and not column.isdigit() and column not in (
            "commune", "year", "observations"):
        code = column.split("[")[0].split(":")[0].strip()
        if not code.startswith("criterion"):
            out["indicator"] = code
    if "indicator" not in out:
        m = _INDICATOR.search(text)
        if m:
            out["indicator"] = m.group(1).rstrip(".")
    m = _UNIT.search(text)
    if m:
        out["unit"] = m.group(1)
    for name in ("file", "row", "column", "indicator", "unit"):
        value = getattr(exc, name, None)
        if value is not None:
            out[name] = value
    return out


def from_error(exc: NtmkitError, *, file: str | None = None) -> Problem:
    """The problem answering *exc*: 404 for an unknown set, 422 for any other bad input."""
    fields = error_fields(exc)
    if file is not None:
        fields.setdefault("file", file)
    if isinstance(exc, UnknownCriteriaSet):
        return Problem(404, "unknown-set", "Unknown criteria set", str(exc), **fields)
    return Problem(422, "invalid-input", "The input cannot be used", str(exc), **fields)
