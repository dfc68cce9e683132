"""The web page at /, in headless Chromium: upload a CSV, read the summary, download.

Skipped where Playwright or a Chromium browser is not installed (Debian: apt-get install
chromium).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from browser import launched, needs_chromium  # noqa: E402
from serve_helpers import SAMPLE, running_server  # noqa: E402

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched(sync_api) as b:
        yield b


@pytest.fixture
def page(browser, page_url):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(page_url) or r.url.startswith("blob:")
            else outside.append(r.url))
    page.goto(page_url + "/")
    page.wait_for_selector("#set-version option", state="attached")
    yield page
    context.close()
    assert outside == [], f"the page fetched from outside: {outside}"


def cli_rows(capsys) -> list[dict[str, str]]:
    from ntmkit.cli import main

    assert main(["assess", str(SAMPLE), "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))


def workbook_verdicts(path: Path) -> list[dict[str, str]]:
    """The verdicts sheet of a results workbook as CSV-route columns and verdict slugs."""
    openpyxl = pytest.importorskip("openpyxl")
    from ntmkit.model.enums import Verdict

    slug = {v.label_vi: v.value for v in Verdict}
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    out = []
    for row in rows[1:]:
        if not row[1]:
            break  # the note under the table
        cells = dict(zip(rows[0], row, strict=True))
        out.append({"code": cells["Mã xã"], "set": cells["Bộ tiêu chí"],
                    "verdict": slug[cells["Kết luận"]], "met": str(cells["Số tiêu chí đạt"]),
                    **{"c:" + h.removeprefix("Tiêu chí "): slug[v] for h, v in cells.items()
                       if h.startswith("Tiêu chí ")}})
    return out


def test_upload_the_example_summarise_and_download(page, tmp_path, capsys) -> None:
    expected = cli_rows(capsys)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Có hiệu lực hôm nay" in page.locator("#in-force").inner_text()
    page.set_input_files("#file", str(SAMPLE))
    page.wait_for_selector("#summary:not([hidden])")
    counts = Counter(r["verdict"] for r in expected)
    cells = page.locator("#verdicts tbody tr").all_inner_texts()
    assert cells == [f"{label}\t{counts.get(v, 0)}" for v, label in
                     (("met", "Đạt"), ("not_met", "Chưa đạt"), ("unknown", "Chưa rõ"))]
    assert page.locator("#criteria tbody tr").count() == 19
    first_closest = page.locator("#closest tbody tr").first.inner_text()
    assert first_closest.split("\t")[0] in {r["code"] for r in expected if r["verdict"] != "met"}
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)

    with page.expect_download() as info:
        page.click("#download-csv")
    path = tmp_path / "results.csv"
    info.value.save_as(path)
    got = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert got == expected
    assert info.value.suggested_filename == "communes-ket-qua.csv"

    with page.expect_download() as info:
        page.click("#download-xlsx")
    assert info.value.suggested_filename == "communes-ket-qua.xlsx"
    workbook = tmp_path / "results.xlsx"
    info.value.save_as(workbook)
    assert workbook_verdicts(workbook) == [
        {k: v for k, v in row.items() if k in ("code", "set", "verdict", "met")
         or k.startswith("c:")} for row in expected]

    with page.expect_download() as info:
        page.click("#download-report")
    report = tmp_path / "report.html"
    info.value.save_as(report)
    assert "MH-001" in report.read_text(encoding="utf-8")


def test_language_toggle_and_catalogue(page) -> None:
    from ntmkit import i18n
    from vietnamese import assert_vietnamese

    assert page.locator("h1").inner_text() == i18n.text("page.title", "vi")
    assert_vietnamese(page.locator("header").inner_text() + page.locator("#assess").inner_text())
    page.click("#lang")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == i18n.text("page.title", "en") == (
        "Assess communes against the New Rural Development criteria")
    assert page.locator("#download-xlsx").inner_text() == i18n.text("page.download_xlsx", "en")
    page.click("#set-list button:text-is('commune/ntm@2024-03-01')")
    page.wait_for_selector("#set-detail h3")
    detail = page.locator("#set-detail").inner_text()
    assert "commune/ntm@2024-03-01" in detail and "Sources" in detail
    page.click("#lang")
    assert page.locator("h1").inner_text().startswith("Đánh giá xã")


def test_a_bad_file_shows_the_row_and_column(page, tmp_path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",85,", ",tám mươi,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#problem:not([hidden])")
    text = page.locator("#problem").inner_text()
    assert "dòng 3" in text and "cột 2.2" in text and "bad.csv" in text
    assert "Không dùng được số liệu" in text
