"""ntmkit serve: the real server on a loopback port, driven over HTTP."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import ntmkit  # noqa: E402
from ntmkit import registry  # noqa: E402
from serve_helpers import PLUGIN_SETS, SAMPLE, running_server  # noqa: E402

PROBLEM = "application/problem+json"
NAM_DINH = "province/nam-dinh/commune/ntm-model"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("--max-rows", "50", "--max-body", "200000",
                        env={registry.PATH_VARIABLE: str(PLUGIN_SETS)}) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


@pytest.fixture
def nam_dinh_registry(monkeypatch):
    monkeypatch.setenv(registry.PATH_VARIABLE, str(PLUGIN_SETS))
    return registry.default()


def assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    doc = r.json()
    assert doc["status"] == status and doc["title"] and doc["type"].startswith("/docs#problem-")
    return doc


def test_sets_lists_every_version_with_origin_dates_and_url(client, nam_dinh_registry) -> None:
    data = client.get("/sets").json()
    listed = {(s["id"], v["version"]): v for s in data["sets"] for v in s["versions"]}
    assert set(listed) == {(s.id, s.version) for s in nam_dinh_registry.list()}
    ntm = listed[("commune/ntm", "2024-03-01")]
    assert ntm["effective"] == "2024-03-01" and ntm["origin"]["kind"] == "bundled"
    assert ntm["url"] == "/sets/commune/ntm@2024-03-01"
    assert listed[(NAM_DINH, "2022-08-08")]["origin"]["kind"] == "path"


@pytest.mark.parametrize("key", ["commune/ntm@2024-03-01", f"{NAM_DINH}@2022-08-08"])
def test_pinned_set_is_canonical_json_with_fingerprint_etag_and_304(client, key,
                                                                    nam_dinh_registry) -> None:
    cs = nam_dinh_registry.get(key)
    r = client.get(f"/sets/{key}")
    assert r.status_code == 200
    assert r.headers["etag"] == f'"{cs.fingerprint}"'
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    digest = hashlib.sha256(b"ntmkit.criteria-set.v1\n" + r.content).hexdigest()
    assert f"sha256:{digest}" == cs.fingerprint
    assert r.json()["id"] == cs.id
    again = client.get(f"/sets/{key}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == r.headers["etag"]
    other = client.get(f"/sets/{key}", headers={"If-None-Match": '"sha256:0"'})
    assert other.status_code == 200


def test_resolution_answers_with_the_pinned_url_and_the_provinces_own_set(client) -> None:
    r = client.get("/sets/commune/ntm-model", params={"on": "2024-06-01",
                                                       "province": "Nam Định"})
    body = r.json()
    assert r.status_code == 200 and body["provincial"] is True
    assert body["url"] == f"/sets/{NAM_DINH}@2022-08-08"
    assert r.headers["link"] == f'<{body["url"]}>; rel="canonical"'
    assert client.get(body["url"]).status_code == 200
    national = client.get("/sets/commune/ntm-model",
                          params={"on": "2024-06-01", "province": "Thái Bình"}).json()
    assert national["provincial"] is False and national["set"] == "commune/ntm-model@2022-03-08"
    older = client.get("/sets/commune/ntm", params={"on": "2023-01-01"}).json()
    assert older["set"] == "commune/ntm@2022-03-08"


def test_unknown_sets_and_versions_are_404_problems(client) -> None:
    assert "versions: " in assert_problem(client.get("/sets/commune/ntm@1999-01-01"), 404)["detail"]
    assert_problem(client.get("/sets/no/such/set?on=2024-01-01"), 404)
    assert_problem(client.get("/sets/commune/ntm?on=1990-01-01"), 404)
    assert assert_problem(client.get("/sets/commune/ntm?on=tomorrow"), 422)["parameter"] == "on"


def test_diff_and_coverage(client) -> None:
    d = client.get("/diff", params={"old": "commune/ntm@2022-03-08",
                                    "new": "commune/ntm@2024-03-01"}).json()
    expected = registry.diff(registry.get("commune/ntm@2022-03-08"),
                             registry.get("commune/ntm@2024-03-01"))
    assert [c["text"] for c in d["changes"]] == [str(c) for c in expected.changes]
    assert_problem(client.get("/diff", params={"old": "commune/ntm@2022-03-08"}), 422)
    cov = client.get("/coverage", params={"set": "commune/ntm@2022-03-08"}).json()
    expected_cov = registry.coverage(registry.get("commune/ntm@2022-03-08"))
    assert cov[0]["cells"] == expected_cov.cells and cov[0]["known"] == expected_cov.known
    assert len(client.get("/coverage").json()) == len(registry.list()) + 1  # + Nam Định


def test_assess_one_commune_gives_the_same_trace_as_the_library(client) -> None:
    body = {"commune": {"code": "T-1", "name": "Thử", "region": "red_river_delta"},
            "year": 2024, "observations": {"3.1": 85, "3.2": True, "8.4": False}}
    r = client.post("/assess", params={"set": "commune/ntm@2024-03-01"}, json=body)
    assert r.status_code == 200, r.text
    cs = registry.get("commune/ntm@2024-03-01")
    expected = ntmkit.assess(ntmkit.Commune(code="T-1", name="Thử", region="red_river_delta"),
                             {"3.1": 85.0, "3.2": True, "8.4": False}, cs, year=2024)
    assert r.json() == json.loads(json.dumps(expected.trace(), default=str))
    assert r.json()["format"] == "ntmkit.trace.v1"
    # Unpinned: the version in force at the end of the row's year.
    r = client.post("/assess", json={**body, "year": 2023, "observations": {"3.1": 85}})
    assert r.json()["criteria_set"]["version"] == "2022-03-08"


def test_assess_rejects_bad_values_naming_the_indicator(client) -> None:
    body = {"commune": {"code": "T-1", "name": "Thử", "region": "red_river_delta"},
            "year": 2024, "observations": {"3.1": "lots"}}
    doc = assert_problem(client.post("/assess", params={"set": "commune/ntm@2024-03-01"},
                                     json=body), 422)
    assert doc["column"] == "3.1" and doc["indicator"] == "3.1" and "row" not in doc
    assert_problem(client.post("/assess", content=b"{", headers={"content-type":
                                                                 "application/json"}), 422)
    assert_problem(client.post("/assess", content=b"a,b", headers={"content-type":
                                                                   "text/csv"}), 415)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_batch_csv_in_csv_and_json_lines_out_agree_with_the_cli(client, tmp_path,
                                                                capsys) -> None:
    from ntmkit.cli import main

    body = SAMPLE.read_bytes()
    r = client.post("/assess/batch", content=body, headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert main(["assess", str(SAMPLE), "--format", "csv"]) == 0
    assert _rows(r.text) == _rows(capsys.readouterr().out.removeprefix("\ufeff"))
    lines = client.post("/assess/batch", content=body, headers={
        "content-type": "text/csv", "accept": "application/x-ndjson"})
    traces = [json.loads(line) for line in lines.text.splitlines()]
    assert [t["unit"]["code"] for t in traces] == [row["code"] for row in _rows(r.text)]
    # JSON lines in give the same verdicts as the CSV.
    doc = json.loads((SAMPLE.parent / "communes.json").read_text(encoding="utf-8"))
    jsonl = "\n".join(json.dumps(item, ensure_ascii=False) for item in doc["communes"])
    again = client.post("/assess/batch", content=jsonl.encode(),
                        headers={"content-type": "application/x-ndjson"})
    assert [row["verdict"] for row in _rows(again.text)] == [
        row["verdict"] for row in _rows(r.text)]
    assert_problem(client.post("/assess/batch", content=body, headers={
        "content-type": "text/csv", "accept": "application/xml"}), 406)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARROW = "application/vnd.apache.arrow.stream"


def _typed(cell: str) -> object:
    """A CSV cell as a spreadsheet or a typed column holds it: numbers as numbers."""
    try:
        return float(cell) if cell.strip() else None
    except ValueError:
        return cell


def sample_workbook() -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for n, row in enumerate(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8")))):
        sheet.append(row if n == 0 else [_typed(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_arrow(stream: bool = True) -> bytes:
    pa = pytest.importorskip("pyarrow")
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    arrays = []
    for i in range(len(header)):
        cells = [_typed(r[i]) for r in body]
        if all(c is None or isinstance(c, float) for c in cells):
            arrays.append(pa.array(cells, type=pa.float64()))
        else:
            arrays.append(pa.array([r[i] or None for r in body], type=pa.string()))
    table = pa.Table.from_arrays(arrays, names=header)
    sink = pa.BufferOutputStream()
    opener = pa.ipc.new_stream if stream else pa.ipc.new_file
    with opener(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def _workbook_verdicts(content: bytes) -> list[dict[str, str]]:
    """The verdicts sheet of a results workbook, as CSV-route columns and verdict slugs."""
    openpyxl = pytest.importorskip("openpyxl")
    from ntmkit.model.enums import Verdict

    slug = {v.label_vi: v.value for v in Verdict}
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    head = rows[0]
    out = []
    for row in rows[1:]:
        if not row[1]:
            break  # the note under the table
        cells = dict(zip(head, row, strict=True))
        out.append({"code": cells["Mã xã"], "set": cells["Bộ tiêu chí"],
                    "verdict": slug[cells["Kết luận"]], "met": str(cells["Số tiêu chí đạt"]),
                    **{"c:" + h.removeprefix("Tiêu chí "): slug[v] for h, v in cells.items()
                       if h.startswith("Tiêu chí ")}})
    return out


def test_batch_xlsx_and_arrow_in_give_the_verdicts_of_the_csv_route(client) -> None:
    expected = _rows(client.post("/assess/batch", content=SAMPLE.read_bytes(),
                                 headers={"content-type": "text/csv"}).text)
    assert expected and {r["verdict"] for r in expected} >= {"not_met"}
    for media, body in ((XLSX, sample_workbook()), (ARROW, sample_arrow()),
                        ("application/vnd.apache.arrow.file", sample_arrow(stream=False))):
        r = client.post("/assess/batch", content=body, headers={"content-type": media})
        assert r.status_code == 200, (media, r.text)
        assert _rows(r.text) == expected, media


def test_batch_answers_xlsx_and_arrow_by_accept_with_the_verdicts_of_the_csv_route(
        client) -> None:
    pa = pytest.importorskip("pyarrow")
    expected = _rows(client.post("/assess/batch", content=SAMPLE.read_bytes(),
                                 headers={"content-type": "text/csv"}).text)
    r = client.post("/assess/batch", content=SAMPLE.read_bytes(),
                    headers={"content-type": "text/csv", "accept": ARROW})
    assert r.status_code == 200 and r.headers["content-type"] == ARROW
    table = pa.ipc.open_stream(r.content).read_all()
    assert table.schema.field("met").type == pa.int64()
    got = [{k: _as_text(v) for k, v in row.items()} for row in table.to_pylist()]
    assert got == expected
    # A workbook out (verdicts and gaps, as `ntmkit assess -o FILE.xlsx` writes it).
    r = client.post("/assess/batch", content=sample_arrow(),
                    headers={"content-type": ARROW, "accept": f"{XLSX}, text/csv;q=0.5"})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    keys = ("code", "set", "verdict", "met")
    assert _workbook_verdicts(r.content) == [
        {**{k: row[k] for k in keys}, **{k: v for k, v in row.items() if k.startswith("c:")}}
        for row in expected]
    # q=0 refuses a type; the next acceptable one is given.
    r = client.post("/assess/batch", content=SAMPLE.read_bytes(), headers={
        "content-type": "text/csv", "accept": f"{ARROW};q=0, application/x-ndjson"})
    assert r.headers["content-type"] == "application/x-ndjson"


def test_a_bad_cell_in_a_workbook_or_arrow_upload_names_row_and_column(client) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pa = pytest.importorskip("pyarrow")
    workbook = openpyxl.load_workbook(io.BytesIO(sample_workbook()))
    sheet = workbook.active
    column = [c.value for c in sheet[1]].index("3.1") + 1
    sheet.cell(row=4, column=column, value="nhiều")
    buffer = io.BytesIO()
    workbook.save(buffer)
    doc = assert_problem(client.post("/assess/batch", params={"filename": "xa.xlsx"},
                                     content=buffer.getvalue(),
                                     headers={"content-type": XLSX}), 422)
    assert (doc["file"], doc["row"], doc["column"], doc["indicator"]) == ("xa.xlsx", 4, "3.1",
                                                                          "3.1")
    assert "nhiều" in doc["detail"] and "/tmp" not in doc["detail"]
    table = pa.ipc.open_stream(sample_arrow()).read_all()
    at = table.schema.get_field_index("3.2")
    cells = table.column(at).to_pylist()
    cells[2] = "có lẽ"
    table = table.set_column(at, "3.2", pa.array(cells, type=pa.string()))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    doc = assert_problem(client.post("/assess/batch", params={"filename": "xa.arrow"},
                                     content=sink.getvalue().to_pybytes(),
                                     headers={"content-type": ARROW}), 422)
    # The Arrow table's third row is row 4, counting the header as row 1 as in CSV.
    assert (doc["file"], doc["row"], doc["column"]) == ("xa.arrow", 4, "3.2")
    for media in (XLSX, ARROW):
        doc = assert_problem(client.post("/assess/batch", content=b"PK\x03\x04 not really",
                                         headers={"content-type": media}), 422)
        assert doc["file"] == "upload"


def test_a_bad_upload_names_file_row_and_column(client) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    at = header.index("3.1")
    cells[at] = "nhiều"
    lines[3] = ",".join(cells)
    doc = assert_problem(client.post("/assess/batch", params={"filename": "xa.csv"},
                                     content="\n".join(lines).encode(),
                                     headers={"content-type": "text/csv"}), 422)
    assert doc["file"] == "xa.csv" and doc["row"] == 4 and doc["column"] == "3.1"
    assert doc["indicator"] == "3.1" and "nhiều" in doc["detail"]
    jsonl = b'{"commune": {"code": "1", "name": "A"}, "observations": {}}\n{"commune": 5}\n'
    doc = assert_problem(client.post("/assess/batch", content=jsonl, headers={
        "content-type": "application/x-ndjson"}), 422)
    assert doc["row"] == 2 and doc["column"] == "commune"


def test_report_is_the_html_report(client) -> None:
    r = client.post("/report", params={"lang": "en"}, content=SAMPLE.read_bytes(),
                    headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "MH-001" in r.text and 'lang="en"' in r.text


def test_progress_toward_a_target_from_declared_tiers_and_from_an_upload(client) -> None:
    from ntmkit.standing import progress

    tiers = {f"{i:03}": "ntm-advanced" if i < 102 else "ntm" for i in range(139)}
    target = "province/hung-yen/communes-advanced"
    r = client.post("/progress", params={"target": target}, json={"tiers": tiers})
    body = r.json()
    expected = progress(target, tiers)
    assert (body["required"], body["more_needed"], body["reached"]) == (
        expected.required, expected.more_needed, False)
    assert body["basis"] == "declared" and body["counted"] == 102
    upload = client.post("/progress", params={"target": target}, content=SAMPLE.read_bytes(),
                         headers={"content-type": "text/csv"}).json()
    assert upload["basis"] == "computed" and upload["total"] == 8
    codes = [c["unit"] for c in upload["candidates"]]
    assert codes and set(codes) <= {f"MH-00{i}" for i in range(1, 9)}
    assert any(t["id"] == target for t in client.get("/targets").json())
    assert_problem(client.post("/progress", params={"target": "nope"}, json={"tiers": {}}), 404)
    assert assert_problem(client.post("/progress", json={"tiers": {}}), 422)[
        "parameter"] == "target"
    assert_problem(client.post("/progress", params={"target": target},
                               json={"tiers": {"1": 5}}), 422)


def test_limits_give_413_problems(client) -> None:
    rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    many = "\n".join([rows[0]] + [rows[1].replace("MH-001", f"X-{i}") for i in range(60)])
    doc = assert_problem(client.post("/assess/batch", content=many.encode(),
                                     headers={"content-type": "text/csv"}), 413)
    assert doc["limit"] == 50 and "NTMKIT_SERVE_MAX_ROWS" in doc["detail"]
    doc = assert_problem(client.post("/assess/batch", content=b"x" * 300_000,
                                     headers={"content-type": "text/csv"}), 413)
    assert doc["limit"] == 200000


def in_process(**settings):
    from starlette.testclient import TestClient

    from ntmkit.serve import Settings, create_app

    return TestClient(create_app(Settings(**settings)))


def test_timeout_gives_a_503_problem() -> None:
    rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    many = "\n".join([rows[0]] + [rows[1].replace("MH-001", f"X-{i}") for i in range(3000)])
    with in_process(timeout=0.001) as c:
        r = c.post("/assess/batch", content=many.encode(), headers={"content-type": "text/csv"})
        doc = assert_problem(r, 503)
        assert "NTMKIT_SERVE_TIMEOUT" in doc["detail"] and r.headers["retry-after"] == "1"
        assert c.get("/sets").status_code == 200


def test_cors_is_off_unless_configured(client) -> None:
    origin = {"Origin": "https://portal.example.vn"}
    assert "access-control-allow-origin" not in client.get("/sets", headers=origin).headers
    with in_process(cors_origins=("https://portal.example.vn",)) as c:
        r = c.get("/sets", headers=origin)
        assert r.headers["access-control-allow-origin"] == "https://portal.example.vn"
        assert "access-control-allow-origin" not in c.get(
            "/sets", headers={"Origin": "https://other.example"}).headers


def test_unknown_urls_and_methods_are_problems(client) -> None:
    assert_problem(client.get("/nowhere"), 404)
    assert_problem(client.delete("/sets"), 405)


def test_openapi_is_valid_and_describes_every_route(client) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    spec = client.get("/openapi.json").json()
    validator.validate(spec)
    from ntmkit.serve.app import create_app

    routes = {getattr(r, "path", "") for r in create_app().routes} - {"/static"}
    described = {p.replace("{key}", "{key:path}") for p in spec["paths"]}
    assert routes == described
    docs = client.get("/docs").text
    for path in spec["paths"]:
        assert path in docs
    assert 'id="problem-invalid-input"' in docs.replace("'", '"')


def test_page_and_its_files_are_served_without_external_resources(client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'lang="vi"' in page.text
    for name in ("app.js", "app.css"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200
        assert "http://" not in r.text and "https://" not in r.text
    assert "https://" not in page.text and "http://" not in page.text


def test_the_page_takes_its_words_from_the_catalogue(client) -> None:
    from ntmkit import i18n
    from vietnamese import assert_vietnamese

    words = client.get("/page/text").json()
    page_keys = [k.removeprefix("page.") for k, _ in i18n.entries() if k.startswith("page.")]
    assert sorted(words["vi"]) == sorted(words["en"]) == sorted(page_keys)
    assert words["en"]["download_xlsx"] == i18n.text("page.download_xlsx", "en")
    html = client.get("/").text
    assert "{{" not in html
    assert f"<h1 data-i18n=\"title\">{i18n.text('page.title', 'vi')}</h1>" in html
    for key in re.findall(r'data-i18n="([^"]+)"', html):
        assert key in words["vi"], key
    script = client.get("/static/app.js").text
    assert "Tải kết quả" not in script and "Đánh giá" not in script  # no words of its own
    assert_vietnamese(re.sub(r"<[^>]+>", " ", html.split("<body>")[1]))


json_data = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(data=json_data)
def test_encode_reads_back_as_the_standard_library_writes(data) -> None:
    from ntmkit.serve import app

    standard = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    assert json.loads(app.encode(data)) == json.loads(standard)


def test_encode_without_orjson_is_the_standard_library(monkeypatch) -> None:
    from ntmkit.serve import app

    trace = ntmkit.assess(ntmkit.Commune(code="T-1", name="Thử", region="red_river_delta"),
                          {"3.1": 85.0}, registry.get("commune/ntm@2024-03-01"),
                          year=2024).trace()
    fast = app.encode(trace)
    monkeypatch.setattr(app, "_ORJSON", None)
    assert app.encode(trace) == json.dumps(trace, ensure_ascii=False, separators=(",", ":"),
                                           default=str).encode("utf-8")
    assert json.loads(fast) == json.loads(app.encode(trace))


def test_serve_without_the_extra_names_it(monkeypatch, capsys) -> None:
    import builtins

    from ntmkit.cli import main

    real = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError("no uvicorn", name="uvicorn")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    assert main(["serve"]) == 1
    assert "pip install 'ntmkit[serve]'" in capsys.readouterr().err


def test_settings_come_from_options_then_environment() -> None:
    from ntmkit.errors import NtmkitError
    from ntmkit.serve import Settings

    env = {"NTMKIT_SERVE_MAX_BODY": "1000", "NTMKIT_SERVE_TIMEOUT": "2.5"}
    s = Settings.from_env(env, max_body=5000)
    assert (s.max_body, s.timeout, s.max_rows, s.cors_origins) == (5000, 2.5, 100_000, ())
    with pytest.raises(NtmkitError, match="NTMKIT_SERVE_MAX_ROWS"):
        Settings.from_env({"NTMKIT_SERVE_MAX_ROWS": "many"})
    with pytest.raises(NtmkitError, match="more than 0"):
        Settings(timeout=0)
    assert os.environ.get("NTMKIT_SERVE_MAX_BODY") is None


def test_export_bytes_equal_the_service_answers(client, tmp_path, monkeypatch) -> None:
    from ntmkit.export import export

    monkeypatch.setenv(registry.PATH_VARIABLE, str(PLUGIN_SETS))
    export(tmp_path / "snap")
    index = json.loads((tmp_path / "snap" / "index.json").read_text(encoding="utf-8"))
    served = client.get("/sets").json()
    assert [s["id"] for s in served["sets"]] == [s["id"] for s in index["sets"]]
    paths = [v["path"] for s in index["sets"] for v in s["versions"]]
    assert f"sets/{NAM_DINH}@2022-08-08.json" in paths
    for path in paths:
        url = "/" + path.removesuffix(".json")
        assert client.get(url).content == (tmp_path / "snap" / path).read_bytes(), path
