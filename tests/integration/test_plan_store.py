"""Plan snapshots in the store: the same claim rules on SQLite, PostgreSQL and the fake, and
one winner when two workers claim the same plan at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

from sqlalchemy import Engine

from tests.integration.test_forecast_store import ORIGIN, forecast, request, save
from zonal.planning.snapshot import OVERVIEW, PlanKey, PlanState
from zonal.services.ports import StoreUnitOfWork
from zonal.storage import SqlStoreUnitOfWork

STALE = timedelta(minutes=10)


def key_of(run_id: int, zone: str = OVERVIEW, incidents: int = 1) -> PlanKey:
    return PlanKey(run_id, "mean", zone, incidents, "settings v1")


def claim(uow: StoreUnitOfWork, key: PlanKey, offset: timedelta = timedelta(0)) -> bool:
    now = ORIGIN + offset
    with uow:
        won = uow.plans.claim(key, now, now - STALE)
        uow.commit()
    return won


def test_a_plan_is_claimed_once_kept_and_found_under_its_key_only(uow: StoreUnitOfWork) -> None:
    key = key_of(save(uow, request(), forecast()))
    assert claim(uow, key) and not claim(uow, key)
    with uow:
        assert uow.plans.get(key).state is PlanState.COMPUTING  # type: ignore[union-attr]
        uow.plans.finish(key, b"\x00snapshot\xff", ORIGIN + timedelta(seconds=3))
        uow.commit()
    with uow:
        kept = uow.plans.get(key)
        assert kept is not None and kept.state is PlanState.READY
        assert kept.content == b"\x00snapshot\xff" and kept.started_at == ORIGIN
        assert uow.plans.get(key_of(key.run_id, incidents=2)) is None, "a re-import plans anew"
        assert uow.plans.get(key_of(key.run_id, zone="5339")) is None
    assert not claim(uow, key, STALE * 3), "a ready plan is never claimed again"


def test_a_failure_or_a_stale_claim_is_taken_over(uow: StoreUnitOfWork) -> None:
    run_id = save(uow, request(), forecast())
    failed, stale = key_of(run_id), key_of(run_id, zone="5339")
    assert claim(uow, failed) and claim(uow, stale)
    with uow:
        uow.plans.fail(failed, "InputError: no shift tiles the day", ORIGIN)
        uow.commit()
    with uow:
        found = uow.plans.get(failed)
        assert found is not None and found.message == "InputError: no shift tiles the day"
    assert claim(uow, failed), "the next visit tries a failed plan again"
    assert not claim(uow, stale, STALE - timedelta(seconds=1)), "its worker may still run"
    assert claim(uow, stale, STALE + timedelta(seconds=1)), "its worker died"


def test_an_uncommitted_claim_is_gone(uow: StoreUnitOfWork) -> None:
    key = key_of(save(uow, request(), forecast()))
    with uow:
        assert uow.plans.claim(key, ORIGIN, ORIGIN - STALE)
    with uow:
        assert uow.plans.get(key) is None


def test_two_workers_claiming_at_once_never_both_win(store: Engine) -> None:
    key = key_of(save(SqlStoreUnitOfWork(store), request(), forecast()))
    start = Barrier(4)

    def worker(_: int) -> bool:
        start.wait()
        return claim(SqlStoreUnitOfWork(store), key)

    with ThreadPoolExecutor(4) as pool:
        wins = list(pool.map(worker, range(4)))
    assert wins.count(True) == 1, wins
