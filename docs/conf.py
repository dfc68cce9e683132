"""Sphinx configuration for the ntmkit documentation.

Build (offline, warnings are errors)::

    sphinx-build -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

# Document the source tree next to this folder, whether or not ntmkit is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

import ntmkit

# -- Project -------------------------------------------------------------------------------

project = "ntmkit"
author = "ntmkit contributors"
copyright = "ntmkit contributors"
version = ntmkit.__version__
release = ntmkit.__version__
language = "en"

# -- General -------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "myst_parser",
    "catalogue",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# The build must work offline: no inventories are fetched.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

nitpicky = False

# -- MyST ----------------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]

# -- autodoc -------------------------------------------------------------------------------

autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# -- Optional modules ----------------------------------------------------------------------
#
# ``ntmkit.io`` (observation files, JSON) is developed alongside the rest of the library.
# When it cannot be imported, its part of api.md (between the markers
# ``<!-- optional:io:start -->`` and ``<!-- optional:io:end -->``) is replaced by a note,
# instead of failing the build with an autodoc import warning.

OPTIONAL_MODULES = {"io": "ntmkit.io"}


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except Exception:
        return False
    return True


AVAILABLE = {name: _importable(module) for name, module in OPTIONAL_MODULES.items()}


def _drop_missing_sections(app: object, docname: str, source: list[str]) -> None:
    for name, ok in AVAILABLE.items():
        if ok:
            continue
        pattern = re.compile(
            rf"<!-- optional:{name}:start -->.*?<!-- optional:{name}:end -->", re.DOTALL
        )
        source[0] = pattern.sub(
            f"```{{note}}\nThe module `{OPTIONAL_MODULES[name]}` is not available in this "
            "build.\n```",
            source[0],
        )


# -- HTML ----------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"ntmkit {release}"
html_show_sourcelink = False


def setup(app: object) -> None:
    app.connect("source-read", _drop_missing_sections)  # type: ignore[attr-defined]
