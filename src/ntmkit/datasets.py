"""Synthetic commune data for demos, documentation and benchmarks.

**Everything here is synthetic.** The numbers are drawn from a seeded random model, not from
statistics: they look like commune data (incomes differ by region, indicators move together,
some cells are missing) so that examples and benchmarks have realistic shapes. Never read
anything about a real commune, province or region into them.
"""

from __future__ import annotations

from typing import Any

from ntmkit.model.enums import Region

__all__ = ["synthetic_communes"]

# Relative development level of each region in the synthetic model (a latent score, not a
# statistic): it only makes the synthetic regions differ from one another.
_LATENT_MEAN = {
    Region.NORTHERN_MIDLANDS_MOUNTAINS: -0.8,
    Region.RED_RIVER_DELTA: 0.5,
    Region.NORTH_CENTRAL_COAST: -0.2,
    Region.SOUTH_CENTRAL_COAST: 0.0,
    Region.CENTRAL_HIGHLANDS: -0.4,
    Region.SOUTHEAST: 0.6,
    Region.MEKONG_DELTA: 0.0,
}


def synthetic_communes(
    n: int = 1000,
    *,
    seed: int = 0,
    year: int = 2024,
    regions: list[Region | str] | None = None,
    missing: float = 0.05,
) -> Any:
    """A DataFrame of *n* synthetic communes for ``commune/ntm`` (2021-2025 indicator codes).

    Columns: ``code`` (``SYN-…``), ``name``, ``region``, ``year``, ``classes``,
    ``synthetic`` (always True), and the indicator columns ``2.1``–``2.4``, ``3.1``,
    ``3.2``, ``6.2``, ``6.village_cultural_houses``, ``7``, ``8.1``–``8.4``,
    ``9.1``, ``9.2``, ``10`` (million VND/person/year), ``11``, ``14.1``, ``15.3``,
    ``15.4``, ``17.piped_water``.  Each indicator cell is missing (NaN / None)
    with probability *missing*.  The same *seed* gives the same frame.

    >>> frame = synthetic_communes(5, seed=1)
    >>> bool(frame["synthetic"].all()), len(frame)
    (True, 5)
    """
    import numpy as np
    import pandas as pd

    if n < 0 or not 0.0 <= missing <= 1.0:
        raise ValueError("n must be >= 0 and missing between 0 and 1")
    rng = np.random.default_rng(seed)
    pool = [Region(r) for r in regions] if regions else list(Region)
    region = rng.choice(np.array([r.value for r in pool], dtype=object), n)
    mean = np.array([_LATENT_MEAN[Region(r)] for r in region])
    z = rng.normal(mean, 0.8)  # one latent level per commune: indicators move together

    def share(centre: float, spread: float, noise: float = 6.0) -> Any:
        return np.clip(centre + spread * z + rng.normal(0, noise, n), 0, 100).round(1)

    def yes(bias: float) -> Any:
        p = 1 / (1 + np.exp(-(bias + 1.5 * z)))
        return rng.random(n) < p

    mountain = region == Region.NORTHERN_MIDLANDS_MOUNTAINS.value
    classes = np.where(mountain & (rng.random(n) < 0.3), "area_iii", "")
    columns: dict[str, Any] = {
        "2.1": share(97, 3, 3), "2.2": share(82, 8), "2.3": share(70, 10), "2.4": share(72, 9),
        "3.1": share(80, 7), "3.2": yes(2.0), "6.2": rng.poisson(1.2 + 0.5 * (z > 0), n),
        "6.village_cultural_houses": share(96, 3, 4), "7": yes(1.5), "8.1": yes(3.0),
        "8.2": yes(3.0), "8.3": yes(2.0), "8.4": yes(2.5),
        "9.1": rng.poisson(np.clip(1.5 - z, 0.05, None)).astype(float), "9.2": share(85, 6),
        "10": (48 * np.exp(0.25 * z + rng.normal(0, 0.1, n))).round(1),
        "11": np.clip(4 - 2.5 * z + rng.normal(0, 1.0, n), 0, 60).round(2),
        "14.1": yes(2.5),
        "15.3": np.clip(18 - 5 * z + rng.normal(0, 2.5, n), 2, 50).round(1),
        "15.4": share(60, 10, 8), "17.piped_water": share(45, 15, 10),
    }
    frame = pd.DataFrame({
        "code": [f"SYN-{i:06d}" for i in range(1, n + 1)],
        "name": [f"Synthetic commune {i}" for i in range(1, n + 1)],
        "region": region, "year": np.full(n, year), "classes": classes,
        "synthetic": np.ones(n, dtype=bool),
    })
    for code, values in columns.items():
        values = np.asarray(values)
        gone = rng.random(n) < missing
        if values.dtype == bool:
            cells = values.astype(object)
            cells[gone] = None
        else:
            cells = values.astype(float)
            cells[gone] = np.nan
        frame[code] = cells
    return frame
