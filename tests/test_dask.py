"""assess_frame on a Dask DataFrame, partition by partition, on a local Dask cluster."""

from __future__ import annotations

import pytest

import ntmkit

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from ntmkit.datasets import synthetic_communes  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_dask_frame_is_scored_partition_by_partition_like_pandas(client) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    frame = synthetic_communes(3_000, seed=5).drop(columns=["code", "name", "synthetic"])
    lazy = dd.from_pandas(frame, npartitions=4)
    result = ntmkit.assess_frame(lazy, cs)
    assert isinstance(result, dd.DataFrame)
    expected = ntmkit.assess_frame(frame, cs)
    assert list(result.columns) == list(expected.columns)  # the declared schema
    assert (result.dtypes == expected.dtypes).all()
    computed = client.compute(result).result().sort_index()
    pd.testing.assert_frame_equal(computed, expected)


def test_dask_frame_errors_are_ntmkit_errors(client) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    frame = pd.DataFrame({"region": ["southeast"] * 4, "year": [2024] * 4,
                          "3.1": [90.0, 80.0, 140.0, 50.0]})
    lazy = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(ntmkit.InvalidValue, match=r"row 2, column '3\.1'"):
        client.compute(ntmkit.assess_frame(lazy, cs)).result()
    with pytest.raises(ntmkit.UnknownIndicator):
        ntmkit.assess_frame(lazy.rename(columns={"3.1": "3.11"}), cs)
