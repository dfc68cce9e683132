"""ntmkit serve under hostile input: malformed bodies, wrong types, huge uploads, bad ids.

Every answer is a success or a problem document; none is a 500, none hangs (the time limit
answers 503).  Run in process, bounded so the suite stays fast.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "communes.csv"
HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
# NTMKIT_FUZZ_EXAMPLES raises the bound for a long run; CI runs the default.
FUZZ = settings(max_examples=int(os.environ.get("NTMKIT_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from starlette.testclient import TestClient

    from ntmkit.serve import Settings, create_app

    with TestClient(create_app(Settings(max_body=20_000, max_rows=200, timeout=5)),
                    raise_server_exceptions=False) as c:
        yield c


def check(r) -> None:
    assert r.status_code < 500 or r.status_code == 503, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json", r.text
        assert r.json()["status"] == r.status_code


content_types = st.sampled_from([
    "text/csv", "application/json", "application/x-ndjson", "text/plain", "",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "multipart/form-data; boundary=x", "application/octet-stream", "text/csv; charset=latin-1",
    "application/vnd.apache.arrow.stream", "application/vnd.apache.arrow.file"])
paths = st.sampled_from(["/assess", "/assess/batch", "/report",
                         "/progress?target=province/hung-yen/communes-advanced"])


@FUZZ
@given(path=paths, media=content_types, body=st.binary(max_size=3000))
def test_any_bytes_to_any_endpoint(client, path, media, body) -> None:
    check(client.post(path, content=body, headers={"content-type": media}))


cell = st.one_of(st.text(max_size=8), st.floats(allow_nan=True).map(str),
                 st.sampled_from(["Đạt", "Chưa đạt", "không áp dụng", "", "-1", "1e309"]))


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=25), max_size=6),
       header=st.sampled_from([HEADER, "code,name", "name", "code,name,3.1 [bananas]", ""]),
       query=st.dictionaries(st.sampled_from(["set", "on", "year", "lang", "provisional"]),
                             st.text(max_size=12), max_size=3))
def test_csv_uploads_with_bad_cells_and_parameters(client, rows, header, query) -> None:
    text = "\n".join([header] + [",".join(f'"{c}"' if "," in c else c for c in r)
                                 for r in rows])
    check(client.post("/assess/batch", params=query, content=text.encode("utf-8"),
                      headers={"content-type": "text/csv"}))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=12)


@FUZZ
@given(commune=json_values, year=json_values,
       observations=st.dictionaries(st.sampled_from(["3.1", "3.2", "10", "criterion:3", "x"]),
                                    json_values, max_size=4))
def test_assess_with_odd_json(client, commune, year, observations) -> None:
    body = {"commune": commune, "year": year, "observations": observations}
    check(client.post("/assess", json=body))
    check(client.post("/assess", json=[body]))


@FUZZ
@given(key=st.text(max_size=40), on=st.text(max_size=12), province=st.text(max_size=12))
def test_any_set_id_version_or_date(client, key, on, province) -> None:
    quoted = urllib.parse.quote(key, safe="/@")
    check(client.get(f"/sets/{quoted}", params={"on": on, "province": province}))
    check(client.get("/diff", params={"old": key, "new": "commune/ntm@2024-03-01"}))
    check(client.get("/coverage", params={"set": key}))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARROW = "application/vnd.apache.arrow.stream"


def _workbook(rows: list[list[object]]) -> bytes:
    import io

    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _arrow(columns: dict[str, list[object]], stream: bool = True) -> bytes:
    pa = pytest.importorskip("pyarrow")
    table = pa.table(columns)
    sink = pa.BufferOutputStream()
    with (pa.ipc.new_stream if stream else pa.ipc.new_file)(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


VALID_XLSX = _workbook([HEADER.split(","), ["X-1", "Xã Một", "Hưng Yên", "", "", 2024, 100]])
VALID_ARROW = _arrow({"code": ["X-1"], "name": ["Xã Một"], "year": [2024], "3.1": [85.0]})
VALID_ARROW_FILE = _arrow({"code": ["X-1"], "name": ["Xã Một"], "3.2": [True]}, stream=False)


@FUZZ
@given(valid=st.sampled_from([(XLSX, VALID_XLSX), (ARROW, VALID_ARROW),
                              (ARROW, VALID_ARROW_FILE)]),
       cut=st.integers(min_value=0, max_value=4000), flips=st.lists(
           st.tuples(st.integers(min_value=0, max_value=4000), st.integers(1, 255)),
           max_size=4),
       accept=st.sampled_from(["text/csv", XLSX, ARROW, "application/x-ndjson"]))
def test_malformed_workbooks_and_arrow_are_problems(client, valid, cut, flips, accept) -> None:
    """A real workbook or Arrow stream, cut short or with bytes changed."""
    media, good = valid
    body = bytearray(good[:cut] if cut < len(good) else good)
    for at, xor in flips:
        if body:
            body[at % len(body)] ^= xor
    r = client.post("/assess/batch", content=bytes(body),
                    headers={"content-type": media, "accept": accept})
    check(r)
    if r.status_code >= 400:
        assert r.status_code in (404, 413, 415, 422, 503), r.text  # 404: a year's set


cells = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                  st.floats(allow_nan=True, allow_infinity=True),
                  # openpyxl refuses control characters in a cell it writes
                  st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10))


@FUZZ
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=8), max_size=5),
       header=st.sampled_from([HEADER.split(","), ["code", "name", "3.1", "3.2"], ["code"],
                               ["", "name"], ["code", "name", "year", "region"]]))
def test_workbooks_and_arrow_tables_with_odd_cells(client, rows, header) -> None:
    check(client.post("/assess/batch", content=_workbook([header, *rows]),
                      headers={"content-type": XLSX}))
    width = len(header)
    columns = {f"{name}{'' if name else i}": [str(r[i]) if i < len(r) and r[i] is not None
                                              else None for r in rows]
               for i, name in enumerate(header[:width])}
    check(client.post("/assess/batch", content=_arrow(columns),
                      headers={"content-type": ARROW}))
    numbers = {name: [r[i] if i < len(r) and isinstance(r[i], float) else None for r in rows]
               for i, name in enumerate(header) if name not in ("code", "name", "")}
    check(client.post("/assess/batch", content=_arrow({**columns, **numbers}),
                      headers={"content-type": ARROW, "accept": XLSX}))


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(client) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 2_000_000)
    assert len(buffer.getvalue()) < 20_000
    r = client.post("/assess/batch", content=buffer.getvalue(), headers={"content-type": XLSX})
    check(r)
    assert r.status_code == 413


def test_a_nul_byte_in_a_csv_is_a_problem_on_every_python(client) -> None:
    r = client.post("/assess/batch", content=HEADER.encode() + b"\n\x00\n",
                    headers={"content-type": "text/csv"})
    check(r)
    assert r.status_code in (200, 422)


def test_huge_uploads_are_refused_before_reading_them_all(client) -> None:
    for path in ("/assess", "/assess/batch", "/report"):
        r = client.post(path, content=b"0" * 5_000_000, headers={"content-type": "text/csv"})
        assert r.status_code == 413
    big = (HEADER + "\n" + "\n".join(f"X{i},Xã {i}" + "," * (HEADER.count(","))
                                     for i in range(500))).encode()
    assert len(big) < 20_000 or client.post("/assess/batch", content=big).status_code == 413


def test_a_body_streamed_in_chunks_is_counted(client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000

    r = client.post("/assess/batch", content=chunks(), headers={"content-type": "text/csv"})
    assert r.status_code == 413


def test_a_slow_client_is_cut_off_at_the_time_limit() -> None:
    """The ASGI app is driven directly: each body chunk arrives 0.1 s after the last."""
    import asyncio
    import json
    import time

    from ntmkit.serve import Settings, create_app

    app = create_app(Settings(timeout=0.3))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/assess/batch",
             "raw_path": b"/assess/batch", "query_string": b"", "root_path": "",
             "headers": [(b"content-type", b"text/csv")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive() -> dict:
        await asyncio.sleep(0.1)
        return {"type": "http.request", "body": b"code,name\n", "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    started = time.monotonic()
    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=10))
    assert time.monotonic() - started < 5
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["type"] == "/docs#problem-slow-body"
