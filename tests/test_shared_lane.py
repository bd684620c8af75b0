"""The shared worker (:class:`kg.query.SharedLane`): cheap queries on threads of one process, and what
happens to the queries it holds when one of them must be stopped.

Real worker processes on real stores, driven from an event loop as `kg serve` drives them. Which queries
count as cheap is what the pool learned from answering them (:meth:`WorkerPool.fast_query`); the tests
that need a heavy query counted as cheap (the case where the shared worker must be stopped) record it so
through the pool's own bookkeeping, since no heavy query answers within ``slow_after``.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from query_helpers import ROOT, fixture_store_at

from kg.errors import QueryOverloaded, QueryTimeout
from kg.query import PoolLimits, SharedLane, WorkerPool, prepare
from kg.store import open_store

pytestmark = pytest.mark.server

CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: a cartesian product of the fixture graph, four ways: runs for minutes
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HEAVY_TOO = "SELECT (COUNT(*) AS ?m) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: the issue's memory-hungry query: sorts the square of the graph
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    return fixture_store_at(tmp_path_factory.mktemp("lane") / "store")


def make_pool(location: str, **limits) -> WorkerPool:
    return WorkerPool(location, sandbox=False,
                      limits=PoolLimits(workers=2, slow_workers=0, worker_store="disk", **limits))


def with_lane(pool: WorkerPool, scenario, run=asyncio.run) -> None:
    """Run ``scenario(lane)`` on an event loop (``run``: asyncio's, or uvloop's) with a lane over ``pool``;
    stop the lane and the pool after."""
    async def main():
        lane = SharedLane(pool)
        try:
            await scenario(lane)
        finally:
            lane.close()

    try:
        run(main())
    finally:
        pool.close()


def count_as_cheap(pool: WorkerPool, text: str) -> None:
    """Record ``text`` as a query answered within slow_after (what a quick answer on the pool does)."""
    pool._remember(text, None, prepare(text, base=pool.base), pool.generation)


def test_a_query_answered_quickly_runs_on_the_shared_worker_next_time(fixture_store):
    pool = make_pool(fixture_store)

    async def scenario(lane):
        assert await lane.run(CHEAP, formats=["json"], max_rows=None, timeout=30) is None  # unknown yet
        on_pool = pool.run(CHEAP, formats=["json"], max_rows=None, timeout=30)
        assert pool.fast_query(CHEAP, None) is not None
        shared = await lane.run(CHEAP, formats=["json"], max_rows=None, timeout=30)
        # the same bytes, whichever worker answered
        assert shared is not None and shared.data == on_pool.data and shared.rows == on_pool.rows == 1
        # a dataset is part of what was measured: the same text over other graphs is not known
        other = (("http://example.org/nothing",), ())
        assert await lane.run(CHEAP, formats=["json"], max_rows=None, timeout=30, dataset=other) is None
        # many at once, more than its threads: each waits for a thread and gets its own answer
        many = await asyncio.gather(*(lane.run(CHEAP, formats=[fmt], max_rows=None, timeout=30)
                                      for fmt in ("json", "xml", "csv", "tsv") * 3))
        assert [a.format for a in many] == ["json", "xml", "csv", "tsv"] * 3
        assert all(a.rows == 1 for a in many)

    with_lane(pool, scenario)


def test_a_query_past_its_deadline_stops_the_shared_worker_and_its_neighbour_runs_again(fixture_store):
    pool = make_pool(fixture_store)
    pool.run(CHEAP, formats=["json"], max_rows=None, timeout=30)
    count_as_cheap(pool, HEAVY)
    count_as_cheap(pool, HEAVY_TOO)

    async def scenario(lane):
        first = lane._worker
        assert first is not None and first.alive
        neighbour = asyncio.ensure_future(lane.run(HEAVY_TOO, formats=["json"], max_rows=None, timeout=120))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await lane.run(HEAVY, formats=["json"], max_rows=None, timeout=1.5)
        assert time.monotonic() - started < 10
        # the neighbour was not answered and not failed: it goes back, to run on a worker of its own
        assert await neighbour is None
        assert not first.alive
        assert pool.fast_query(HEAVY, None) is None and pool.fast_query(HEAVY_TOO, None) is None
        # a new shared worker is started for the next cheap query
        deadline = time.monotonic() + 60
        answer = None
        while answer is None and time.monotonic() < deadline:
            answer = await lane.run(CHEAP, formats=["json"], max_rows=None, timeout=30)
            await asyncio.sleep(0.2)
        assert answer is not None and answer.rows == 1
        assert lane._worker is not None and lane._worker is not first

    with_lane(pool, scenario)


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory):
    import pyoxigraph

    location = str(tmp_path_factory.mktemp("bundled") / "store")
    with open_store(location) as store:
        store.native.bulk_load(path=str(ROOT / "exports" / "peacekeeping.trig"),
                               format=pyoxigraph.RdfFormat.TRIG)
    return location


def test_a_query_over_the_memory_cap_on_the_shared_worker_is_run_again_alone_and_stopped(bundled_store):
    pool = make_pool(bundled_store, memory_mb=400)
    count_as_cheap(pool, HUNGRY)

    async def scenario(lane):
        # the whole shared worker ends: the lane cannot tell which query was guilty, so it sends it back
        assert await lane.run(HUNGRY, formats=["json"], max_rows=None, timeout=60) is None
        assert pool.fast_query(HUNGRY, None) is None
        # on a worker of its own it is the guilty one, and gets the memory message
        with pytest.raises(QueryOverloaded, match="more than 400 MB"):
            pool.run(HUNGRY, formats=["json"], max_rows=None, timeout=60)

    with_lane(pool, scenario)


def test_without_shared_threads_no_shared_worker_is_started(fixture_store):
    pool = WorkerPool(fixture_store, sandbox=False,
                      limits=PoolLimits(workers=1, slow_workers=0, worker_store="disk", shared_threads=0))
    try:
        assert pool.limits.threads == 0 and pool.take_shared() is None
    finally:
        pool.close()


def test_long_answers_come_back_whole_under_uvloop(fixture_store):
    """`kg serve` runs on uvloop, which makes a watched descriptor non-blocking: an answer longer than
    the pipe holds must still arrive as one message (it was read in part, and the worker taken for
    lost, before the lane made its end blocking again)."""
    uvloop = pytest.importorskip("uvloop", reason="uvloop is not installed on this platform (Windows)")
    pool = make_pool(fixture_store)
    everything = "SELECT * WHERE { ?s ?p ?o VALUES ?copy { 1 2 3 4 5 6 7 8 } } ORDER BY ?copy ?s ?p ?o"

    async def scenario(lane):
        on_pool = pool.run(everything, formats=["json"], max_rows=None, timeout=30)
        assert len(on_pool.data) > 1024 * 1024  # far more than a pipe's buffer
        count_as_cheap(pool, everything)  # however long the sort took on this machine
        answers = await asyncio.gather(*(lane.run(everything, formats=["json"], max_rows=None, timeout=30)
                                         for _ in range(3)))
        assert [a and len(a.data) for a in answers] == [len(on_pool.data)] * 3
        assert all(a.data == on_pool.data for a in answers)
        assert lane._worker is not None and lane._worker.alive  # never taken for lost

    with_lane(pool, scenario, run=uvloop.run)
