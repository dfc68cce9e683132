"""Benchmark collection: the OpenFisca comparison needs openfisca-core (requirements.txt)."""

from __future__ import annotations

import importlib.util

# With --doctest-modules pytest imports every module here; without openfisca-core the
# OpenFisca model module cannot be imported, so it and its suite are left out (the suite
# would skip anyway).
collect_ignore = [] if importlib.util.find_spec("openfisca_core") else [
    "openfisca_model.py", "test_openfisca.py"]
