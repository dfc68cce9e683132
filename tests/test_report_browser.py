"""The HTML report in headless Chromium: layout facts at 1280 px and on A4 landscape paper.

Skipped where Playwright or a Chromium browser is not installed (Debian: apt-get install
chromium).  With ``NTMKIT_REPORT_SHOTS=DIR`` the screenshots and the PDF are kept in DIR,
to be looked at.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

import ntmkit  # noqa: E402
from browser import launched, needs_chromium  # noqa: E402
from ntmkit.cli import main  # noqa: E402

SAMPLE = Path(__file__).parents[1] / "examples" / "communes.csv"
#: A4 landscape less the report's 10 mm margins, in CSS pixels (96 per inch).
PRINT_WIDTH = round((297 - 20) / 25.4 * 96)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("NTMKIT_REPORT_SHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched(sync_api) as b:
        yield b


@pytest.fixture
def page(browser, report):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)  # the report is one local file: no reason to wait long
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("file:") else outside.append(r.url))
    page.goto(report.as_uri())
    yield page
    context.close()
    assert outside == [], f"the report fetched from outside: {outside}"


def _overflow(page) -> int:
    """How far the page is wider than the window (0: no horizontal scroll bar)."""
    return page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth")


def test_at_1280_px_the_report_uses_the_width_without_overflow(page, shots) -> None:
    page.screenshot(path=str(shots / "report-1280.png"), full_page=True)
    assert _overflow(page) <= 0
    body = page.locator(".ntmkit.report").bounding_box()
    assert body["width"] >= 0.9 * page.viewport_size["width"]
    # the criteria chart and the per-commune table stretch across the page too
    assert page.locator("table.bars").bounding_box()["width"] >= 0.6 * body["width"]
    assert page.locator("table.wide").bounding_box()["width"] >= 0.95 * body["width"] - 48


def test_every_dot_names_a_commune_and_shows_it_on_hover(page) -> None:
    with SAMPLE.open(encoding="utf-8") as f:
        names = {row["name"] for row in csv.DictReader(f)}
    titles = page.eval_on_selector_all(
        "svg.strip circle", "els => els.map(e => e.querySelector('title')?.textContent ?? '')")
    assert len(titles) >= len(names)
    assert all(any(t.startswith(f"{n} (") for n in names) for t in titles), titles[:3]
    assert {t.split(" (MH-")[0] for t in titles} == names
    dot = page.locator("svg.strip circle").nth(3)
    before = dot.evaluate("e => getComputedStyle(e).strokeWidth")
    dot.hover()
    assert dot.evaluate("e => getComputedStyle(e).strokeWidth") == "1.5px" != before


def test_criterion_names_are_whole_and_not_clipped(page) -> None:
    cs = ntmkit.registry.get("commune/ntm@2024-03-01")
    cells = page.locator("table.bars tbody th")
    assert cells.count() == len(cs.criteria)
    for i, (code, criterion) in enumerate(cs.criteria.items()):
        cell = cells.nth(i)
        assert cell.inner_text() == f"{code}. {criterion.name_vi}"
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth && "
                             "e.scrollHeight <= e.clientHeight + 1")
    assert "…" not in page.locator("table.bars").inner_text()


def test_the_legend_sits_beside_the_chart(page) -> None:
    bars = page.locator("table.bars").bounding_box()
    legend = page.locator(".legend").bounding_box()
    gap = legend["x"] - (bars["x"] + bars["width"])
    assert 0 <= gap <= 40, gap  # to the right of the bars, close to them
    assert abs(legend["y"] - bars["y"]) <= 40  # level with the top of the chart
    assert legend["y"] + legend["height"] <= bars["y"] + bars["height"]


def test_a4_landscape_print(page, shots) -> None:
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 740})
    page.screenshot(path=str(shots / "report-print.png"), full_page=True)
    assert _overflow(page) <= 0
    assert page.locator("details.data").is_hidden()  # no folded table on paper
    assert page.locator(".screen").first.is_hidden()  # nor a word about hovering
    bars = page.locator("table.bars").bounding_box()
    legend = page.locator(".legend").bounding_box()
    assert legend["x"] >= bars["x"] + bars["width"]  # the legend stays beside the chart
    cards = page.locator(".card")
    assert cards.nth(0).bounding_box()["y"] == cards.nth(1).bounding_box()["y"]  # two across
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (shots / "report.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for w, h in boxes:  # A4 landscape: 297 x 210 mm = 842 x 595 points
        assert abs(float(w) - 842) < 2 and abs(float(h) - 595) < 2
    assert len(boxes) <= 4  # 8 communes: a few pages, not one page per section
