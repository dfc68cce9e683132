from __future__ import annotations

import datetime as dt

import pytest

import ntmkit


@pytest.fixture(scope="session")
def ntm_2022() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2022-03-08")


@pytest.fixture(scope="session")
def ntm_2024() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2024-03-01")


@pytest.fixture
def red_river() -> ntmkit.Commune:
    return ntmkit.Commune(code="T-1", name="Thử nghiệm", region=ntmkit.Region.RED_RIVER_DELTA)


ASSESS_DAY = dt.date(2024, 6, 1)


# Fuzz profiles (tests/test_fuzz.py).  "fuzz" is the bounded run of the normal test suite
# (about 20 s in all); "fuzz-long" is the long run, over 100,000 cases in all:
#     NTMKIT_FUZZ=long python -m pytest tests/test_fuzz.py -p no:randomly -q
# Each fuzz test multiplies the profile's max_examples by its own weight (a CLI run costs
# more than a call of assess), so the weights decide how the cases are shared out.
from hypothesis import HealthCheck, settings  # noqa: E402

_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large,
                HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]
settings.register_profile("fuzz", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=_FUZZ_CHECKS, print_blob=True)
settings.register_profile("fuzz-long", max_examples=13_000, deadline=None,
                          suppress_health_check=_FUZZ_CHECKS, print_blob=True)
# Every other property test: no per-example deadline, since a shared CI machine can be slow
# for a moment (speed is measured in benchmarks/, never asserted here).
settings.register_profile("ntmkit", deadline=None)
settings.load_profile("ntmkit")


@pytest.fixture(autouse=True)
def command_line_language(monkeypatch) -> None:
    """The command line's default language, whatever ``NTMKIT_LANG`` the shell has set.

    A test that wants English sets the variable, or passes ``--lang en``.
    """
    monkeypatch.delenv("NTMKIT_LANG", raising=False)
