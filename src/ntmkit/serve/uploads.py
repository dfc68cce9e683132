"""Uploads to the service: each format staged as a file that :mod:`ntmkit.io` reads.

An upload arrives as bytes with a ``Content-Type``; the service hands it to the same readers
as ``ntmkit assess FILE`` does, so every format is checked by the same rules:

===================================================  =========================================
``Content-Type``                                     read as
===================================================  =========================================
``text/csv`` (also ``text/plain``, none)             a CSV file
``application/json``                                 an observations document (``.json``)
``application/x-ndjson`` (``jsonl``, ``json-lines``)  one observations item per line (``.json``)
``application/vnd.openxmlformats-…spreadsheetml…``    a workbook, its first sheet (``.xlsx``)
``application/vnd.apache.arrow.stream`` or ``.file``  an Arrow IPC stream or file: its columns
                                                     are the CSV columns, each cell written
                                                     as CSV text (``.csv``)
===================================================  =========================================

Row numbers in errors count the header as row 1 for CSV, workbooks and Arrow (an Arrow
table's first row is row 2), and are line numbers for JSON lines.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ntmkit.io import OBSERVATIONS_FORMAT
from ntmkit.serve.problems import Problem

__all__ = ["ARROW_FILE", "ARROW_STREAM", "CSV", "JSONL", "JSONL_TYPES", "XLSX", "Upload",
           "kind_of", "stage"]

CSV = "text/csv"
JSONL = "application/x-ndjson"
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARROW_STREAM = "application/vnd.apache.arrow.stream"
ARROW_FILE = "application/vnd.apache.arrow.file"

#: How many times its own size a workbook may unpack to (a zip of a zip bomb is refused).
XLSX_UNPACKED = 20


@attrs.frozen
class Upload:
    """An upload staged as a file: *path* (``.csv``, ``.json`` or ``.xlsx``), its *kind*.

    *lines* maps a JSON item's position to its line in a JSON lines upload (else ``None``).
    """

    path: Path
    kind: str
    filename: str
    lines: list[int] | None = None

    def row(self, position: int) -> int:
        """The row (or line) people know for the reader's row *position*."""
        if self.lines is not None and 0 <= position < len(self.lines):
            return self.lines[position]
        return position


def kind_of(media: str, filename: str) -> str:
    """The kind of an upload: ``csv``, ``json``, ``jsonl``, ``xlsx`` or ``arrow`` (else 415)."""
    if media in (CSV, "text/plain", "application/csv", ""):
        return "csv"
    if media == "application/json":
        return "json"
    if media in JSONL_TYPES:
        return "jsonl"
    if media == XLSX:
        return "xlsx"
    if media in (ARROW_STREAM, ARROW_FILE, "application/vnd.apache.arrow"):
        return "arrow"
    raise Problem(415, "unsupported-media-type", "Unsupported media type",
                  f"{media}: send text/csv, {XLSX} (a workbook), application/x-ndjson (JSON "
                  f"lines), application/json (ntmkit.observations.v1) or {ARROW_STREAM}",
                  file=filename)


def _invalid(filename: str, what: str, **fields: Any) -> Problem:
    return Problem(422, "invalid-input", "The input cannot be used", f"{filename}: {what}",
                   file=filename, **fields)


def stage(body: bytes, kind: str, filename: str, folder: Path,
          check_rows: Callable[[int], None], max_body: int) -> Upload:
    """Write the upload *body* of *kind* into *folder* as a file the readers take.

    *check_rows* is called with the number of rows as soon as it is known (it raises the
    413 problem beyond the limit); *max_body* bounds what a compressed upload unpacks to.
    """
    if kind == "csv":
        check_rows(body.count(b"\n") - 1)
        path = folder / "upload.csv"
        path.write_bytes(body)
        return Upload(path, kind, filename)
    if kind == "json":
        path = folder / "upload.json"
        path.write_bytes(body)
        return Upload(path, kind, filename)
    if kind == "jsonl":
        return _jsonl(body, filename, folder, check_rows)
    if kind == "xlsx":
        _check_workbook(body, filename, max_body)
        path = folder / "upload.xlsx"
        path.write_bytes(body)
        return Upload(path, kind, filename)
    return _arrow(body, filename, folder, check_rows, max_body)


def _jsonl(body: bytes, filename: str, folder: Path,
           check_rows: Callable[[int], None]) -> Upload:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid(filename, f"not UTF-8 text (byte {body[exc.start]:#04x} at position "
                       f"{exc.start}); save the file as UTF-8") from None
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    check_rows(len(numbered))
    items = []
    for n, line in numbered:
        try:
            items.append(json.loads(line))
        except (ValueError, RecursionError) as exc:
            raise _invalid(filename, f"line {n}: not valid JSON lines: {exc}", row=n) from None
    path = folder / "upload.json"
    try:
        data = json.dumps({"format": OBSERVATIONS_FORMAT, "communes": items},
                          ensure_ascii=False)
        path.write_text(data, encoding="utf-8")
    except (ValueError, UnicodeEncodeError, RecursionError) as exc:
        raise _invalid(filename, f"not valid JSON lines: {exc}") from None
    return Upload(path, "jsonl", filename, [n for n, _ in numbered])


def _check_workbook(body: bytes, filename: str, max_body: int) -> None:
    """Refuse a body that is not a zip, or that unpacks to far more than its size."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _invalid(filename, f"not an Excel workbook (.xlsx) that can be read ({exc}); "
                       "save it as 'Excel Workbook (.xlsx)' or as CSV UTF-8") from None
    limit = XLSX_UNPACKED * max_body
    if unpacked > limit:
        raise Problem(413, "body-too-large", "Request body too large",
                      f"{filename}: the workbook unpacks to {unpacked} bytes; this service "
                      f"reads at most {limit} ({XLSX_UNPACKED} × the setting max_body, "
                      "NTMKIT_SERVE_MAX_BODY); split the file", file=filename, limit=limit)


def _arrow(body: bytes, filename: str, folder: Path, check_rows: Callable[[int], None],
           max_body: int) -> Upload:
    """An Arrow IPC stream or file as a CSV file, cell by cell as the CSV rules write them."""
    from ntmkit.io.results import require_pyarrow
    from ntmkit.io.xlsx import cell_text

    pa = require_pyarrow()
    limit = XLSX_UNPACKED * max_body
    batches = []
    try:
        if body[:6] == b"ARROW1":
            reader = pa.ipc.open_file(pa.py_buffer(body))
            parts = (reader.get_batch(i) for i in range(reader.num_record_batches))
            schema = reader.schema
        else:
            stream = pa.ipc.open_stream(pa.py_buffer(body))
            parts = iter(stream)
            schema = stream.schema
        rows = size = 0
        for batch in parts:
            batch.validate(full=True)
            rows += batch.num_rows
            size += batch.nbytes
            check_rows(rows)
            if size > limit:
                raise Problem(413, "body-too-large", "Request body too large",
                              f"{filename}: the Arrow data holds more than {limit} bytes "
                              f"({XLSX_UNPACKED} × the setting max_body, "
                              "NTMKIT_SERVE_MAX_BODY); split the file", file=filename,
                              limit=limit)
            batches.append(batch)
        table = pa.Table.from_batches(batches, schema=schema)
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    except pa.lib.ArrowException as exc:
        raise _invalid(filename, f"not an Arrow IPC stream or file that can be read ({exc})") \
            from None
    except (ValueError, TypeError, OSError, IndexError, OverflowError) as exc:
        raise _invalid(filename, f"the Arrow data cannot be read ({exc})") from None
    header = [str(name) for name in schema.names]
    path = folder / "upload.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([_arrow_cell(cell_text, v) for v in row]
                         for row in zip(*columns, strict=True))
    return Upload(path, "arrow", filename)


def _arrow_cell(cell_text: Callable[[Any], str], value: Any) -> str:
    if isinstance(value, (bytes, bytearray, list, dict)):
        # Binary, list or struct cells hold no observation: their repr makes the reader
        # say which cell it cannot use.
        return repr(value)[:200]
    if isinstance(value, float) and value != value:
        return ""  # NaN from a float column: missing, as an empty CSV cell
    return cell_text(value)
