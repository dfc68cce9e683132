from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import ntmkit
from ntmkit.schemas import generate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "ntmkit" / "registry" / "data"


def test_shipped_schema_files_match_the_format_definitions() -> None:
    for name, schema in generate().items():
        shipped = importlib.resources.files("ntmkit.schemas").joinpath(name)
        assert json.loads(shipped.read_text(encoding="utf-8")) == schema, (
            f"{name} is stale: run python -c 'from ntmkit.schemas import write_schemas; "
            "write_schemas(\"src/ntmkit/schemas\")'")


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_every_shipped_data_file_validates_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    toml = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    schema = generate()["criteria-set.v1.json"]
    files = sorted(DATA.glob("*.toml"))
    assert files
    for path in files:
        data = _jsonable(toml.loads(path.read_text(encoding="utf-8")))
        jsonschema.validate(data, schema)
    broken = _jsonable(toml.loads(files[0].read_text(encoding="utf-8")))
    broken["pillars"][0]["criteria"][0]["nonsense"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_observation_json_schema_accepts_the_documented_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = generate()["observations.v1.json"]
    example = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "00001", "name": "Tứ Dân", "province": "Hưng Yên"},
         "year": 2024,
         "observations": {"3.1": 85, "3.2": True,
                          "10": {"value": 4.8, "unit": "million VND/person/month"}}}]}
    jsonschema.validate(example, schema)
    example["communes"][0]["observations"]["10"] = {"value": 4.8}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(example, schema)


@pytest.mark.skipif(os.environ.get("NTMKIT_SKIP_WHEEL") == "1", reason="NTMKIT_SKIP_WHEEL=1")
def test_wheel_installs_in_a_fresh_venv_and_loads_every_set(tmp_path) -> None:
    """Build the wheel, install it (not the source tree) and read every set from it."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(wheels), str(ROOT)], check=True, capture_output=True, timeout=600)
    (wheel,) = wheels.glob("ntmkit-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The dependencies come from this environment (a path file); the wheel itself is
    # installed into the new one by this environment's pip, with nothing downloaded.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    outer = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(purelib) / "outer.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    script = (
        "import json, ntmkit, pathlib; from ntmkit import registry; "
        "assert 'site-packages' in ntmkit.__file__; "
        "print(json.dumps({s.id + '@' + s.version: s.fingerprint for s in registry.list()}))"
    )
    out = subprocess.run([str(python), "-c", script], check=True, capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    installed = json.loads(out.stdout)
    here = {f"{s.id}@{s.version}": s.fingerprint for s in ntmkit.registry.list()}
    assert installed == here
    cli = subprocess.run([str(env_dir / "bin" / "ntmkit"), "criteria", "list"], check=True,
                         capture_output=True, text=True, timeout=120)
    assert "commune/ntm-advanced" in cli.stdout
