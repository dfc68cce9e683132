"""Errors as ``application/problem+json`` (RFC 9457), with the fields ntmkit errors carry.

A problem document has ``type``, ``title``, ``status`` and ``detail``, and, where the error
names them, ``file``, ``row``, ``column``, ``indicator`` and ``unit``: :func:`error_fields`
reads them from the error's attributes (every :class:`ntmkit.NtmkitError` has them).
"""

from __future__ import annotations

from typing import Any

from ntmkit.errors import NtmkitError, UnknownCriteriaSet

__all__ = ["MEDIA_TYPE", "Problem", "error_fields", "from_error"]

#: The media type of problem documents.
MEDIA_TYPE = "application/problem+json"

_FIELDS = ("file", "row", "column", "indicator", "unit")


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
    """``file``, ``row``, ``column``, ``indicator``, ``unit`` of *exc*: the fields it has set.

    They are read from the error's attributes (see :class:`ntmkit.NtmkitError`), never from
    its message; an error that does not carry a field has none in its problem document.

    >>> from ntmkit.errors import ObservationFileError
    >>> error_fields(ObservationFileError("a.csv, row 3, column '10': not a number",
    ...                                   file="a.csv", row=3, column="10", indicator="10"))
    {'file': 'a.csv', 'row': 3, 'column': '10', 'indicator': '10'}
    >>> error_fields(ValueError("row 3"))
    {}
    """
    out: dict[str, Any] = {}
    for name in _FIELDS:
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
