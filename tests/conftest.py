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
