"""The ASGI application of ``ntmkit serve`` (Starlette), over the registry and the engine.

Stateless and read-only: every answer is computed from the request and the registry, using
only ntmkit's public functions (:func:`ntmkit.assess`, :func:`ntmkit.io.read_observations`,
:func:`ntmkit.io.records_from_json`, :func:`ntmkit.report.report_html`, the registry).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import json
import math
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ntmkit import registry as _registry
from ntmkit.batch import assess_frame
from ntmkit.errors import MissingDependency, NtmkitError
from ntmkit.export import index, set_json
from ntmkit.i18n import Lang, check_lang
from ntmkit.io import (
    OBSERVATIONS_FORMAT,
    ObservationRecord,
    peek_years,
    read_observations,
    records_from_json,
)
from ntmkit.io._tables import read_table
from ntmkit.io.results import (
    ResultTable,
    missing,
    require_pyarrow,
    result_table,
    results_arrow,
    table_csv,
)
from ntmkit.io.xlsx import require_openpyxl, write_assessments
from ntmkit.model.criteria import CriteriaSet
from ntmkit.model.results import Assessment
from ntmkit.scoring import assess
from ntmkit.serve.problems import MEDIA_TYPE, Problem, from_error
from ntmkit.serve.settings import Settings
from ntmkit.serve.uploads import (
    ARROW_STREAM,
    CSV,
    JSONL,
    JSONL_TYPES,
    XLSX,
    Upload,
    kind_of,
    stage,
)

__all__ = ["IMMUTABLE", "create_app", "encode"]

T = TypeVar("T")

#: ``Cache-Control`` of a pinned set version: a released version never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
_STATIC = Path(__file__).with_name("static")
#: How many parsed query strings and set resolutions the service keeps (then starts over).
_CACHED = 4096


def _orjson() -> Any:
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson comes with the serve extra
        return None
    return orjson


_ORJSON = _orjson()


def encode(data: Any) -> bytes:
    """*data* as compact UTF-8 JSON, through orjson where it is installed.

    The text is what ``json.dumps(data, ensure_ascii=False, separators=(",", ":"),
    default=str)`` gives (orjson writes it several times faster; the service answers each
    ``POST /assess`` with a trace of some 35 kB).

    >>> import datetime
    >>> encode({"verdict": "met", "name": "Tứ Dân", "on": datetime.date(2024, 1, 1)}).decode()
    '{"verdict":"met","name":"Tứ Dân","on":"2024-01-01"}'
    """
    if _ORJSON is not None:
        try:
            return bytes(_ORJSON.dumps(data, default=str,
                                       option=_ORJSON.OPT_NON_STR_KEYS))
        except (TypeError, _ORJSON.JSONEncodeError):
            pass  # e.g. an integer beyond 64 bits: the standard library writes it
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None,
          media_type: str = "application/json") -> Response:
    return Response(encode(data), status, headers, media_type)


def _problem(p: Problem) -> Response:
    headers = {"Retry-After": "1"} if p.status == 503 else None
    return _json(p.document(), p.status, headers, MEDIA_TYPE)


def _param(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value.strip() if value is not None and value.strip() else None


def _date_param(request: Request, name: str) -> dt.date | None:
    text = _param(request, name)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Problem(422, "invalid-parameter", "Invalid parameter",
                      f"{name}={text!r}: expected a date YYYY-MM-DD", parameter=name) from None


def _int_param(request: Request, name: str) -> int | None:
    text = _param(request, name)
    if text is None:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 9999:
        raise Problem(422, "invalid-parameter", "Invalid parameter",
                      f"{name}={text!r}: expected a year such as 2024", parameter=name)
    return int(text)


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


@attrs.frozen
class _Choice:
    """Which set scores an upload: pinned, or chosen per row by date and province."""

    set_id: str
    pinned: CriteriaSet | None
    on: dt.date | None
    year: int | None
    provisional: bool
    lang: Lang


class _Service:
    """The handlers, bound to one :class:`Settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._set_bytes: dict[str, tuple[bytes, str]] = {}
        self._choices: dict[bytes, _Choice] = {}
        self._resolved: dict[tuple[str, str, dt.date], tuple[CriteriaSet, str]] = {}
        self._in_force: dict[tuple[str, dt.date], CriteriaSet] = {}
        self._page = _page_html()
        self._page_text = _page_text()

    # -- plumbing -------------------------------------------------------------------------

    async def body(self, request: Request) -> bytes:
        """The request body, at most ``max_body`` bytes (413 beyond)."""
        limit = self.settings.max_body
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise self._too_large(int(length))
        size = 0
        chunks = []
        try:
            # A client that sends its body too slowly holds a connection: same time limit.
            with anyio.fail_after(self.settings.timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise self._too_large(size)
                    chunks.append(chunk)
        except TimeoutError:
            raise Problem(408, "slow-body", "Request body too slow",
                          f"the body did not arrive within {self.settings.timeout:g} s "
                          "(setting timeout, NTMKIT_SERVE_TIMEOUT)",
                          limit=self.settings.timeout) from None
        return b"".join(chunks)

    def _too_large(self, size: int) -> Problem:
        return Problem(413, "body-too-large", "Request body too large",
                       f"the body has {size} bytes or more; this service takes at most "
                       f"{self.settings.max_body} (setting max_body, NTMKIT_SERVE_MAX_BODY); "
                       "split the file", limit=self.settings.max_body)

    async def compute(self, fn: Callable[[], T]) -> T:
        """Run *fn* in a worker thread, giving up after ``timeout`` seconds (503)."""
        try:
            with anyio.fail_after(self.settings.timeout):
                return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
        except TimeoutError:
            raise Problem(503, "timeout", "Took too long",
                          f"the request needed more than {self.settings.timeout:g} s (setting "
                          "timeout, NTMKIT_SERVE_TIMEOUT); send fewer communes at a time",
                          limit=self.settings.timeout) from None

    # -- the registry ---------------------------------------------------------------------

    async def sets(self, request: Request) -> Response:
        """``GET /sets``: every set id with its versions."""
        data = index()
        for entry in data["sets"]:
            for v in entry["versions"]:
                v["url"] = f"/sets/{entry['id']}@{v['version']}"
        return _json(data, headers={"Cache-Control": "no-cache"})

    def _pinned(self, key: str) -> tuple[bytes, str]:
        found = self._set_bytes.get(key)
        if found is None:
            cs = _registry.get(key)
            found = (set_json(cs), f'"{cs.fingerprint}"')
            self._set_bytes[key] = found
        return found

    async def set_version(self, request: Request) -> Response:
        """``GET /sets/{id}@{version}`` or ``GET /sets/{id}?on=…&province=…``."""
        key = str(request.path_params["key"]).strip("/")
        if "@" in key:
            body, etag = self._pinned(key)
            headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
            wanted = request.headers.get("if-none-match", "")
            tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
            if etag in tags or "*" in tags:
                return Response(status_code=304, headers=headers)
            return Response(body, 200, headers, "application/json")
        on = _date_param(request, "on") or dt.date.today()
        province = _param(request, "province")
        found = _registry.resolve(key, on=on, province=province)
        url = f"/sets/{found.set.key}"
        return _json({"set": found.set.key, "id": found.set.id, "version": found.set.version,
                      "url": url, "fingerprint": found.set.fingerprint, "on": on.isoformat(),
                      "province": province, "provincial": found.provincial,
                      "reason": found.reason},
                     headers={"Link": f'<{url}>; rel="canonical"', "Cache-Control": "no-cache"})

    async def diff(self, request: Request) -> Response:
        """``GET /diff?old=ID@VERSION&new=ID@VERSION``."""
        old, new = _param(request, "old"), _param(request, "new")
        if old is None or new is None:
            raise Problem(422, "invalid-parameter", "Missing parameter",
                          "give old=ID@VERSION and new=ID@VERSION",
                          parameter="old" if old is None else "new")
        for name, key in (("old", old), ("new", new)):
            if "@" not in key:
                raise Problem(422, "invalid-parameter", "Invalid parameter",
                              f"{name}={key!r}: give a pinned version, ID@VERSION",
                              parameter=name)
        d = _registry.diff(_registry.get(old), _registry.get(new))
        return _json({"old": d.old, "new": d.new, "added": list(d.added),
                      "removed": list(d.removed),
                      "changes": [{"where": c.where, "what": c.what, "old": _plain(c.old),
                                   "new": _plain(c.new), "text": str(c)} for c in d.changes]},
                     headers={"Cache-Control": IMMUTABLE})

    async def coverage(self, request: Request) -> Response:
        """``GET /coverage[?set=ID@VERSION]``: known threshold cells by confidence."""
        key = _param(request, "set")
        keys = [key] if key else [f"{s.id}@{s.version}" for s in _registry.list()]
        out = []
        for k in keys:
            cov = _registry.coverage(_registry.get(k))
            out.append({"set": cov.key, "cells": cov.cells, "known": cov.known,
                        "share_known": cov.share_known,
                        "by_confidence": dict(cov.by_confidence),
                        "indicators": cov.indicators, "criteria": cov.criteria,
                        "criteria_without_indicators": cov.criteria_without_indicators})
        return _json(out)

    # -- assessments ----------------------------------------------------------------------

    def _choice(self, request: Request) -> _Choice:
        """The parameters of an assessment, parsed once per distinct query string."""
        query = request.scope.get("query_string", b"")
        choice = self._choices.get(query)
        if choice is None:
            choice = self._parse_choice(request)
            if len(self._choices) >= _CACHED:
                self._choices.clear()
            self._choices[query] = choice
        return choice

    def _parse_choice(self, request: Request) -> _Choice:
        set_id = _param(request, "set") or "commune/ntm"
        lang = _param(request, "lang") or "vi"
        if lang not in ("vi", "en"):
            raise Problem(422, "invalid-parameter", "Invalid parameter",
                          f"lang={lang!r}: expected vi or en", parameter="lang")
        provisional = (_param(request, "provisional") or "false").lower()
        if provisional not in ("true", "false", "1", "0"):
            raise Problem(422, "invalid-parameter", "Invalid parameter",
                          f"provisional={provisional!r}: expected true or false",
                          parameter="provisional")
        on, year = _date_param(request, "on"), _int_param(request, "year")
        pinned = _registry.get(set_id) if "@" in set_id else None
        return _Choice(set_id, pinned, on, year, provisional in ("true", "1"),
                       check_lang(lang))

    def _reading_set(self, choice: _Choice, years: set[int | None]) -> CriteriaSet:
        if choice.pinned is not None:
            return choice.pinned
        when = choice.on
        if when is None:
            known = [y for y in years if y is not None and _year(y) is not None]
            year = choice.year or (max(known) if known else None)
            when = dt.date(year, 12, 31) if year is not None else dt.date.today()
        key = (choice.set_id, when)
        found = self._in_force.get(key)
        if found is None:
            found = _registry.get(choice.set_id, on=when)
            if len(self._in_force) >= _CACHED:
                self._in_force.clear()
            self._in_force[key] = found
        return found

    def _row_set(self, choice: _Choice, reading: CriteriaSet, province: str | None,
                 year: int | None,
                 chosen: dict[tuple[str, dt.date], tuple[CriteriaSet, str]]
                 ) -> tuple[CriteriaSet, str]:
        """The set one row uses, and why when it is its province's own.

        Resolutions are kept for the service's life (the registry does not change while it
        runs); *chosen* holds those of the request at hand.
        """
        if choice.pinned is not None:
            return reading, ""
        when = choice.on or (dt.date(year, 12, 31) if year is not None else dt.date.today())
        key = (province or "", when)
        found = chosen.get(key)
        if found is None:
            lasting = (choice.set_id, *key)
            found = self._resolved.get(lasting)
            if found is None:
                resolution = _registry.resolve(choice.set_id, on=when,
                                               province=province or None)
                found = (resolution.set, resolution.reason if resolution.provincial else "")
                if len(self._resolved) >= _CACHED:
                    self._resolved.clear()
                self._resolved[lasting] = found
            chosen[key] = found
        return found

    def _score(self, records: list[ObservationRecord], choice: _Choice,
               reading: CriteriaSet) -> list[Assessment]:
        """Full assessments, one per record (for traces, workbooks and the report)."""
        results = []
        chosen: dict[tuple[str, dt.date], tuple[CriteriaSet, str]] = {}
        policy = "provisional" if choice.provisional else "published"
        for r in records:
            year = choice.year if choice.year is not None else r.year
            if year is not None and _year(year) is None:
                raise NtmkitError(f"row {r.row}, column 'year': {year!r} is not a year",
                                  row=r.row, column="year")
            cs, why = self._row_set(choice, reading, r.commune.province, year, chosen)
            try:
                a = assess(r.commune, r.observations, cs, year=year, on=choice.on,
                           thresholds=policy)  # type: ignore[arg-type]
            except NtmkitError as exc:
                raise exc.relocated(f"row {r.row}: {exc}", row=r.row) from None
            results.append(attrs.evolve(a, resolution=why) if why else a)
        return results

    def _frame_sets(self, choice: _Choice, reading: CriteriaSet,
                    frame: Any) -> list[tuple[CriteriaSet, Any]]:
        """The set of each row of *frame*: one entry per set used, with its row positions."""
        import numpy as np

        n = len(frame)
        if choice.pinned is not None or n == 0:
            return [(reading, np.arange(n))]
        if choice.year is not None:
            years: list[Any] = [choice.year] * n
        elif "year" in frame.columns:
            years = frame["year"].astype(object).tolist()
        else:
            years = [None] * n
        provinces = (frame["province"].astype(object).tolist() if "province" in frame.columns
                     else [None] * n)
        chosen: dict[tuple[str, dt.date], tuple[CriteriaSet, str]] = {}
        sets: dict[str, CriteriaSet] = {}
        keys: list[str] = []
        for position, (province, year) in enumerate(zip(provinces, years, strict=True)):
            year = None if missing(year) else year
            if year is not None and _year(year) is None:
                row = int(frame.index[position])
                raise NtmkitError(f"row {row}, column 'year': {year!r} is not a year",
                                  row=row, column="year")
            cs, _ = self._row_set(choice, reading,
                                  province if isinstance(province, str) else None,
                                  None if year is None else int(year), chosen)
            sets.setdefault(cs.key, cs)
            keys.append(cs.key)
        key_array = np.array(keys, dtype=object)
        return [(sets[key], np.flatnonzero(key_array == key)) for key in dict.fromkeys(keys)]

    def _check_rows(self, rows: int) -> None:
        if rows > self.settings.max_rows:
            raise Problem(413, "too-many-rows", "Too many rows",
                          f"the upload has {rows} communes; this service takes at most "
                          f"{self.settings.max_rows} at a time (setting max_rows, "
                          "NTMKIT_SERVE_MAX_ROWS); split the file",
                          limit=self.settings.max_rows)

    async def _upload(self, request: Request) -> tuple[bytes, str, str, _Choice]:
        choice = self._choice(request)
        body = await self.body(request)
        filename = _param(request, "filename") or "upload"
        return body, _media(request), filename, choice

    @contextlib.contextmanager
    def _staged(self, body: bytes, media: str, filename: str) -> Iterator[Upload]:
        """The upload as a file in a temporary folder; its errors as problems naming it."""
        kind = kind_of(media, filename)
        with tempfile.TemporaryDirectory(prefix="ntmkit-") as folder:
            upload: Upload | None = None
            try:
                upload = stage(body, kind, filename, Path(folder), self._check_rows,
                               self.settings.max_body)
                yield upload
            except csv.Error as exc:  # e.g. a NUL byte, refused by Python 3.10's reader
                raise Problem(422, "invalid-input", "The input cannot be used",
                              f"{filename}: not a CSV file the reader accepts: {exc}",
                              file=filename) from None
            except MissingDependency as exc:
                raise Problem(415, "unsupported-media-type", "Unsupported media type",
                              f"{media}: {exc}", file=filename) from None
            except NtmkitError as exc:
                problem = from_error(exc, file=filename)
                # The message names the staged file: name the upload instead.
                if upload is not None:
                    problem.detail = str(exc).replace(str(upload.path), filename)
                    if upload.lines is not None and isinstance(exc.row, int):
                        problem.fields["row"] = upload.row(exc.row)
                if problem.status == 422 and not problem.detail.startswith(filename):
                    problem.detail = f"{filename}, {problem.detail}"
                problem.fields["file"] = filename
                raise problem from None

    def _read_set(self, upload: Upload, choice: _Choice) -> CriteriaSet:
        return self._reading_set(choice, peek_years(upload.path))

    def _run_upload(self, body: bytes, media: str, filename: str,
                    choice: _Choice) -> tuple[CriteriaSet, list[Assessment]]:
        """An upload's full assessments (for traces, workbooks, the report, progress)."""
        with self._staged(body, media, filename) as upload:
            cs = self._read_set(upload, choice)
            records = read_observations(upload.path, cs)
            self._check_rows(len(records))
            if upload.lines is not None:
                records = [attrs.evolve(r, row=upload.row(r.row)) for r in records]
            return cs, self._score(records, choice, cs)

    def _run_table(self, body: bytes, media: str, filename: str,
                   choice: _Choice) -> ResultTable:
        """An upload scored by the columnar engine, as the results table."""
        import pandas as pd

        with self._staged(body, media, filename) as upload:
            cs = self._read_set(upload, choice)
            table = read_table(upload.path, cs)
            frame = table.frame
            self._check_rows(len(frame))
            if upload.lines is not None:
                frame.index = [upload.row(int(i)) for i in frame.index]
            groups = self._frame_sets(choice, cs, frame)
            policy = "provisional" if choice.provisional else "published"
            outs = []
            for row_set, rows in groups:
                part = frame if len(rows) == len(frame) else frame.iloc[rows]
                outs.append(assess_frame(part, row_set, year=choice.year, on=choice.on,
                                         units=table.units, gaps=False,
                                         thresholds=policy))  # type: ignore[arg-type]
            out = outs[0] if len(outs) == 1 else pd.concat(outs).reindex(frame.index)
            return result_table(cs, frame, out, groups)

    async def assess_one(self, request: Request) -> Response:
        """``POST /assess``: one unit's observations (JSON) → its ``ntmkit.trace.v1`` trace."""
        choice = self._choice(request)
        body = await self.body(request)
        media = _media(request)
        if media not in ("application/json", ""):
            raise Problem(415, "unsupported-media-type", "Unsupported media type",
                          f"{media}: send one unit as application/json")
        try:
            item = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise Problem(422, "invalid-input", "The input cannot be used",
                          f"request body: not valid JSON: {exc}") from None
        data = {"format": OBSERVATIONS_FORMAT, "communes": [item]}

        def run() -> bytes:
            try:
                cs = self._reading_set(choice, {_year(item.get("year") if isinstance(item, dict)
                                                      else None)})
                records = records_from_json(data, cs, "request body")
                a = self._score(records, choice, cs)[0]
            except NtmkitError as exc:
                problem = from_error(exc)
                problem.fields.pop("row", None)  # one unit: no rows
                raise problem from None
            return encode(a.trace())

        # One unit is quick: computed in place below 64 kB (the time limit covers bigger).
        out = run() if len(body) < 65536 else await self.compute(run)
        return Response(out, 200, media_type="application/json")

    async def assess_batch(self, request: Request) -> Response:
        """``POST /assess/batch``: an upload in; CSV, JSON lines, xlsx or Arrow out."""
        fmt = _accept(request)
        body, media, filename, choice = await self._upload(request)
        if fmt in ("csv", "arrow"):
            table = await self.compute(lambda: self._run_table(body, media, filename, choice))
            if fmt == "csv":
                text = await self.compute(lambda: table_csv(table))
                return Response(text.encode("utf-8"), 200, media_type=f"{CSV}; charset=utf-8")
            data = await self.compute(lambda: results_arrow(table))
            return Response(data, 200, media_type=ARROW_STREAM)
        cs, results = await self.compute(lambda: self._run_upload(body, media, filename, choice))
        if fmt == "xlsx":
            data = await self.compute(lambda: _workbook(cs, results, choice.lang))
            return Response(data, 200, media_type=XLSX)
        lines = await self.compute(lambda: b"".join(encode(a.trace()) + b"\n"
                                                    for a in results))
        return Response(lines, 200, media_type=JSONL)

    async def report(self, request: Request) -> Response:
        """``POST /report``: an upload → the self-contained HTML report."""
        from ntmkit.report import report_html

        body, media, filename, choice = await self._upload(request)
        cs, results = await self.compute(lambda: self._run_upload(body, media, filename, choice))
        html = await self.compute(lambda: report_html(results, cs, lang=choice.lang))
        return HTMLResponse(html)

    async def progress(self, request: Request) -> Response:
        """``POST /progress?target=ID``: communes in, progress toward the target out.

        The body is an upload as for ``/assess/batch`` (assessed against ``set``, default the
        set of the target's tier or indicator), or JSON ``{"tiers": {code: tier or null},
        "total": n}`` of declared tiers.
        """
        from ntmkit import targets
        from ntmkit.standing import progress

        name = _param(request, "target")
        if name is None:
            raise Problem(422, "invalid-parameter", "Missing parameter",
                          "give target=ID (GET /targets lists them)", parameter="target")
        target = targets.target(name)
        top = _int_param(request, "top") or 10
        body, media, filename, choice = await self._upload(request)
        if media == "application/json" and body.lstrip().startswith(b'{"tiers"'):
            try:
                data = json.loads(body)
                tiers = data["tiers"]
                total = data.get("total")
                if not isinstance(tiers, dict) or not all(
                        isinstance(v, (str, type(None))) for v in tiers.values()) or (
                        total is not None and (not isinstance(total, int)
                                               or isinstance(total, bool) or total < 0)):
                    raise ValueError("tiers must map unit codes to a tier or null")
            except (ValueError, KeyError, TypeError) as exc:
                raise Problem(422, "invalid-input", "The input cannot be used",
                              f"{filename}: expected {{\"tiers\": {{code: tier or null}}, "
                              f"\"total\": n}} ({exc})", file=filename) from None
            result = await self.compute(lambda: progress(target, tiers, total=total))
        else:
            if _param(request, "set") is None:
                default = (target.indicator.set if target.indicator is not None else
                           f"{target.level.value}/{target.tier.value}" if target.tier
                           else "commune/ntm")
                choice = attrs.evolve(choice, set_id=default)
            _, results = await self.compute(
                lambda: self._run_upload(body, media, filename, choice))
            result = await self.compute(lambda: progress(target, results))
        return _json(progress_json(result, top))

    async def targets(self, request: Request) -> Response:
        """``GET /targets``: the shipped targets."""
        from ntmkit import targets

        out = []
        for s in targets.list():
            for t in targets.get(s.id, version=s.version):
                out.append({"id": t.id, "set": s.id, "version": s.version,
                            "name_vi": t.name_vi, "name_en": t.name_en,
                            "wording_vi": t.wording("vi"), "wording_en": t.wording("en"),
                            "level": t.level.value, "tier": t.tier.value if t.tier else None,
                            "year": t.year, "among": t.among.value if t.among else None,
                            "confidence": t.confidence.value})
        return _json(out)

    # -- pages ----------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """``GET /``: the web page for offices."""
        return Response(self._page, media_type="text/html; charset=utf-8")

    async def page_text(self, request: Request) -> Response:
        """``GET /page/text``: the words of the page, both languages."""
        return Response(self._page_text, media_type="application/json",
                        headers={"Cache-Control": "no-cache"})

    async def openapi(self, request: Request) -> Response:
        """``GET /openapi.json``."""
        from ntmkit.serve.openapi import spec

        return _json(spec())

    async def docs(self, request: Request) -> Response:
        """``GET /docs``: the endpoints, their parameters and the problem types."""
        from ntmkit.serve.openapi import docs_html

        return HTMLResponse(docs_html())


def _page_html() -> bytes:
    """The page, its ``{{key}}`` places filled with the Vietnamese words of the catalogue."""
    from ntmkit import i18n

    template = (_STATIC / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"\{\{([a-z_.-]+)\}\}",
                  lambda m: escape(i18n.text(f"page.{m.group(1)}", "vi")), template)
    return html.encode("utf-8")


def _page_text() -> bytes:
    """The section ``page`` of the catalogue as ``{"vi": {...}, "en": {...}}`` (JSON)."""
    from ntmkit import i18n

    words: dict[str, dict[str, str]] = {lang: {} for lang in i18n.LANGS}
    for key, (vi, en) in i18n.entries():
        section, _, rest = key.partition(".")
        if section == "page":
            words["vi"][rest], words["en"][rest] = vi, en
    return json.dumps(words, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def progress_json(p: Any, top: int = 10) -> dict[str, Any]:
    """A :class:`ntmkit.standing.Progress` as JSON data (with the *top* closest candidates)."""
    t = p.target
    return {"target": t.id, "name_vi": t.name_vi, "name_en": t.name_en,
            "wording_vi": t.wording("vi"), "wording_en": t.wording("en"), "year": t.year,
            "basis": p.basis, "among": p.among.value if p.among else None, "total": p.total,
            "counted": p.counted, "unknown": p.unknown, "share_percent": p.share.percent,
            "required": p.required, "more_needed": p.more_needed, "reached": p.reached,
            "approximate": p.approximate,
            "candidates": [{"unit": c.unit, "name": c.name, "verdict": c.verdict.value,
                            "criteria_not_met": list(c.criteria_not_met),
                            "criteria_unknown": list(c.criteria_unknown),
                            "distance": c.distance} for c in p.candidates[:top]]}


def _year(value: object) -> int | None:
    """*value* if it is a usable year (an int from 1 to 9999), else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return value
    return None


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


#: Results formats by media type (``application/json`` gives JSON lines of traces).
_OUTPUTS = {CSV: "csv", "text/*": "csv", "*/*": "csv", "application/json": "jsonl",
            **dict.fromkeys(JSONL_TYPES, "jsonl"), XLSX: "xlsx", ARROW_STREAM: "arrow"}


def _accept(request: Request) -> str:
    """The results format the client accepts first (by ``q``, then order); CSV by default."""
    accept = request.headers.get("accept", "").lower()
    if not accept.strip():
        return "csv"
    offered = []
    for at, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and media in _OUTPUTS:
            offered.append((-q, at, _OUTPUTS[media]))
    if not offered:
        raise Problem(406, "not-acceptable", "Not acceptable",
                      f"Accept: {accept[:200]}: results are given as {CSV}, {JSONL} (JSON "
                      f"lines), {XLSX} (a workbook) or {ARROW_STREAM}")
    fmt = min(offered)[2]
    try:
        if fmt == "xlsx":
            require_openpyxl()
        elif fmt == "arrow":
            require_pyarrow()
    except MissingDependency as exc:
        raise Problem(406, "not-acceptable", "Not acceptable", str(exc)) from None
    return fmt


def _workbook(cs: CriteriaSet, results: list[Assessment], lang: Lang) -> bytes:
    """The workbook of verdicts and gaps (as ``ntmkit assess -o FILE.xlsx`` writes it)."""
    with tempfile.TemporaryDirectory(prefix="ntmkit-") as folder:
        path = Path(folder) / "results.xlsx"
        write_assessments(cs, results, path, lang=lang)
        return path.read_bytes()


Handler = Callable[[Request], Awaitable[Response]]


def _guard(handler: Handler) -> Handler:
    """Answer a :class:`Problem` or an ntmkit error with a problem document."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except Problem as p:
            return _problem(p)
        except NtmkitError as exc:
            return _problem(from_error(exc))

    return guarded


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    titles = {404: ("not-found", "Not found", f"no such resource: {request.url.path}; see "
                    "/docs"),
              405: ("method-not-allowed", "Method not allowed",
                    f"{request.method} is not allowed on {request.url.path}; see /docs")}
    slug, title, detail = titles.get(status, ("error", "Error", str(getattr(exc, "detail", ""))))
    if status == 500:
        slug, title, detail = "internal", "Internal error", "an unexpected error; please report it"
    return _problem(Problem(status, slug, title, detail))


def create_app(settings: Settings | None = None) -> Starlette:
    """The service as an ASGI application (run it with uvicorn, or ``ntmkit serve``)."""
    settings = settings or Settings.from_env()
    s = _Service(settings)
    routes = [
        Route("/", _guard(s.page), methods=["GET"]),
        Route("/sets", _guard(s.sets), methods=["GET"]),
        Route("/sets/{key:path}", _guard(s.set_version), methods=["GET"]),
        Route("/diff", _guard(s.diff), methods=["GET"]),
        Route("/coverage", _guard(s.coverage), methods=["GET"]),
        Route("/assess", _guard(s.assess_one), methods=["POST"]),
        Route("/assess/batch", _guard(s.assess_batch), methods=["POST"]),
        Route("/report", _guard(s.report), methods=["POST"]),
        Route("/progress", _guard(s.progress), methods=["POST"]),
        Route("/targets", _guard(s.targets), methods=["GET"]),
        Route("/page/text", _guard(s.page_text), methods=["GET"]),
        Route("/openapi.json", _guard(s.openapi), methods=["GET"]),
        Route("/docs", _guard(s.docs), methods=["GET"]),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
    ]
    middleware = []
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["*"],
                                     expose_headers=["ETag", "Link"]))
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={HTTPException: _http_error, Exception: _http_error})

