"""The nightly "who fits what" batch on a Dask cluster (dask.distributed): every person with a profile ×
every open vacancy, top `limit` each.

The matcher (the vacancy side with its inverted indexes, and the people) is scattered to the workers once;
each task ranks one block of people — blocks follow the country of residence, so a block's people share
the same cross-border rules and mostly the same vacancies — with `Matcher.rank_rows`, the same function the
single-process batch uses, so the cluster's result equals it exactly. Without a scheduler address a
`LocalCluster` runs on this machine (one process per worker).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from pont.matching import engine


def blocks(matcher: engine.Matcher, size: int = 2048) -> list[np.ndarray]:
    """Return the people rows in blocks of at most `size`, one country of residence per block."""
    out = []
    for country in np.unique(matcher.p_country):
        rows = np.flatnonzero(matcher.p_country == country)
        out += [rows[i:i + size] for i in range(0, len(rows), size)]
    return out


def _rank(matcher: engine.Matcher, rows: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    idx, score = matcher.rank_rows(rows, limit)
    return rows, idx, score


def run(matcher: engine.Matcher, client, limit: int = 20, size: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Return (vacancy rows, scores), each (people, limit), computed on the cluster behind `client`."""
    n = len(matcher.p)
    top_idx = np.full((n, limit), -1, dtype=np.int64)
    top_score = np.zeros((n, limit), dtype=np.float64)
    if n == 0 or limit <= 0:
        return top_idx, top_score
    matcher._overlap_operator()  # built once here, not once per worker
    remote = client.scatter(matcher, broadcast=True)
    futures = [client.submit(_rank, remote, rows, limit, pure=False) for rows in blocks(matcher, size)]
    for rows, idx, score in client.gather(futures):
        top_idx[rows], top_score[rows] = idx, score
    return top_idx, top_score


@contextmanager
def connect(scheduler: str | None = None, workers: int = 2) -> Iterator:
    """Yield a Dask client: of the cluster at `scheduler` (tcp://host:8786), else of a LocalCluster with
    `workers` single-threaded worker processes, closed afterwards."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as local, \
            Client(local) as client:
        yield client
