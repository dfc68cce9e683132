"""ntmkit criteria export: a pinned snapshot any language can vendor."""

from __future__ import annotations

import hashlib
import json

import pytest

from ntmkit import registry
from ntmkit.cli import main
from ntmkit.export import export, set_json

jsonschema = pytest.importorskip("jsonschema")


def test_export_writes_every_version_an_index_and_schemas_that_validate(tmp_path,
                                                                        capsys) -> None:
    out = tmp_path / "snapshot"
    assert main(["criteria", "export", "-o", str(out), "--lang", "en"]) == 0
    assert f"wrote {len(registry.list())} set versions" in capsys.readouterr().out
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "schemas" / "criteria-set-canonical.v1.json").read_text())
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    listed = [(s["id"], v) for s in index["sets"] for v in s["versions"]]
    assert len(listed) == len(registry.list())
    for set_id, v in listed:
        cs = registry.get(set_id, version=v["version"])
        data = (out / v["path"]).read_bytes()
        assert data == set_json(cs)
        digest = "sha256:" + hashlib.sha256(b"ntmkit.criteria-set.v1\n" + data).hexdigest()
        assert digest == v["fingerprint"] == cs.fingerprint
        validator.validate(json.loads(data))
    assert {p.name for p in (out / "schemas").iterdir()} >= {
        "criteria-set.v1.json", "observations.v1.json", "criteria-set-canonical.v1.json"}


def test_the_schema_rejects_a_set_with_a_misspelt_field() -> None:
    from ntmkit.export import canonical_json_schema

    doc = json.loads(set_json(registry.get("commune/ntm@2024-03-01")))
    doc["pillars"][0]["criteria"][0]["nmae_vi"] = "x"
    errors = list(jsonschema.Draft202012Validator(canonical_json_schema()).iter_errors(doc))
    assert errors and "nmae_vi" in errors[0].message


def test_export_refuses_a_folder_with_files_and_leaves_it_alone(tmp_path, capsys) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["criteria", "export", "-o", str(tmp_path)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_export_into_an_empty_folder(tmp_path) -> None:
    (tmp_path / "out").mkdir()
    assert export(tmp_path / "out") == len(registry.list())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
