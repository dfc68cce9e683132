"""The Python examples of the documentation run, so that they cannot rot.

Every ```python block of a page runs in order, in one namespace per page, inside a temporary
working directory.  A block whose first line is ``# illustrative`` is shown but not run; a
```toml block whose first line is ``# file: NAME`` is written to NAME first.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts
               and "catalogue" not in p.parts)
BLOCK = re.compile(r"^```(python|toml)\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_python_examples_run(page: Path, tmp_path, monkeypatch) -> None:
    found = BLOCK.findall(page.read_text(encoding="utf-8"))
    files = [(b.splitlines()[0][len("# file: "):].strip(), b) for kind, b in found
             if kind == "toml" and b.startswith("# file: ")]
    blocks = [b for kind, b in found if kind == "python" and not b.startswith("# illustrative")]
    if not blocks:
        pytest.skip("no runnable example")
    if any("pandas" in b or "assess_frame" in b or "synthetic_communes" in b for b in blocks):
        pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "docs_example"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, block in enumerate(blocks):
            try:
                exec(compile(block, f"{page.name}[block {i}]", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - the message is the point
                pytest.fail(f"{page.relative_to(DOCS)}, example {i + 1}: "
                            f"{type(exc).__name__}: {exc}\n{block}")


def test_catalogue_page_lists_every_indicator_and_threshold_of_the_set(tmp_path) -> None:
    import sys

    import ntmkit

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import catalogue
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    names = catalogue.write_catalogue(tmp_path)
    assert "commune-ntm-2024-03-01" in names
    cs = ntmkit.registry.get("commune/ntm@2024-03-01")
    page = (tmp_path / "commune-ntm-2024-03-01.md").read_text(encoding="utf-8")
    assert cs.fingerprint in page
    for criterion in cs.criteria.values():
        assert f"### `{criterion.code}` {criterion.name_vi} · *{criterion.name_en}*" in page
    for ind in cs.indicators.values():
        section = page.split(f"**`{ind.code}`** — ", 1)[1].split("\n\n", 2)[1]
        rows = [r for r in section.splitlines() if r.startswith("| ")][1:]  # no header
        assert len(rows) == len(ind.rule.thresholds), ind.code
        for row, t in zip(rows, ind.rule.thresholds, strict=True):
            context, value, confidence = (c.strip() for c in row.strip("|").split("|")[:3])
            # Vietnamese first, English beside it.
            if t.when.region is not None:
                assert context.startswith(ntmkit.i18n.region_name(t.when.region, "vi"))
                assert f"*{ntmkit.i18n.region_name(t.when.region, 'en')}" in context
            if t.when.year is not None:
                assert f"năm {t.when.year}" in context and f"year {t.when.year}" in context
            if t.when == ntmkit.Condition():
                assert context == "mọi vùng · *everywhere*"
            assert confidence.startswith(ntmkit.i18n.confidence_name(t.confidence, "vi"))
            if t.confidence.has_value and t.value is not None:
                assert value.endswith(f"{t.value:g}")
            elif not t.confidence.has_value:
                assert value.startswith("**chưa rõ ngưỡng**")
    unknowns = (tmp_path / "unknowns.md").read_text(encoding="utf-8")
    assert "## commune/ntm@2024-03-01" in unknowns


def test_index_includes_a_registry_table_of_every_set_version(tmp_path) -> None:
    import sys

    import ntmkit

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import catalogue
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    catalogue.write_catalogue(tmp_path)
    table = (tmp_path / "registry-table.inc").read_text(encoding="utf-8").splitlines()
    rows = table[2:]
    summaries = ntmkit.registry.list()
    assert len(rows) == len(summaries) > 2
    for row, s in zip(rows, summaries, strict=True):
        assert f"`{s.id} </catalogue/" in row and f"`{s.version}`" in row
    assert "{include} catalogue/registry-table.inc" in (DOCS / "index.md").read_text("utf-8")


def test_readme_example_prints_what_the_readme_shows(capsys) -> None:
    text = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    code = re.search(r"^```python\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    shown = re.search(r"^prints\n\n```text\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert code is not None and shown is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code.group(1), "README.md", "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == shown.group(1)
