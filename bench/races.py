"""Benchmark: lost updates under N concurrent note, message and transition requests on one case.

Through the use cases the web routes call, on SQLite and PostgreSQL: one case under
investigation receives N requests at once from a pool of threads: internal notes from four
staff accounts, messages from the victim (with the receipt code), status changes between
under_investigation and awaiting_victim, and a close sent last. Afterwards every acknowledged
note, message and status change is looked for in the stored case (lost: acknowledged but not
stored), every stored one in the Art. 25 log, and the close in the history. Prints a table
and rewrites its own section of docs/benchmarks.md.

    .venv/bin/python bench/races.py [--requests 1000] [--workers 12]

The default of 12 threads stays under the engine's pool of 15 connections: more threads than
connections measure the pool's wait (a TimeoutError after 30 s), not the case's writes.
"""

from __future__ import annotations

import argparse
import logging
import platform
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import sqlalchemy
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from _docs import DOCS, replace_section
from zonal.complaints.domain.model import Author, Complaint
from zonal.complaints.domain.receipt import SecretHasher
from zonal.complaints.domain.staff import Role, StaffAccount
from zonal.complaints.domain.workflow import Outcome, Status
from zonal.complaints.policy import ComplaintsPolicy
from zonal.complaints.queries import AuditQuery
from zonal.complaints.schemas import ComplaintCreate, MessageIn, StaffCreate, TransitionIn
from zonal.services import complaints as services
from zonal.storage import make_engine, session_factory, upgrade
from zonal.storage.complaints.crypto import FieldCipher
from zonal.storage.complaints.unit_of_work import SqlUnitOfWork

START, END = "<!-- bench:races -->", "<!-- /bench:races -->"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery staple"
STAFF = {"chief": Role.ZONE_CHIEF, "inv1": Role.ZONE_INVESTIGATOR,
         "inv2": Role.ZONE_INVESTIGATOR, "inv3": Role.ZONE_INVESTIGATOR}  # fmt: skip
KINDS = ("note", "message", "note", "transition", "message")  # 40% / 40% / 20%
SETUP_TRANSITIONS = 1  # under_investigation, before the requests


class Retries(logging.Handler):
    """Counts the use cases' retries of a change refused as stale."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:  # noqa: ARG002 - one record, one retry
        self.count += 1


@dataclass(frozen=True)
class Request:
    kind: str  # note, message, transition or close
    label: str  # the body or the reason, unique, found again in the stored case
    send: Callable[[], object]


@dataclass
class Case:
    uow: Callable[[], SqlUnitOfWork]
    staff: dict[str, StaffAccount]
    reference: str
    code: str


@dataclass(frozen=True)
class Result:
    store: str
    requests: int
    acknowledged: int
    refused: Counter[str]
    stored: int
    lost: int
    phantom: int  # stored without having been acknowledged
    retries: int
    log_matches: bool
    close_kept: bool
    seconds: float


def prepare(engine: Engine) -> Case:
    """A migrated store with four staff accounts and one case of 5339 under investigation."""
    upgrade(engine)
    sessions, cipher = session_factory(engine), FieldCipher(secrets.token_bytes(32))
    policy = ComplaintsPolicy(hasher=SecretHasher(1, 1024, 1))  # cheap Argon2: 2 shared cores

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, cipher, policy)

    staff = accounts(uow)
    receipt = services.submit_complaint(uow(), complaint())
    chief, ref = staff["chief"], receipt.reference
    services.triage(uow(), chief, ref)
    services.assign(uow(), chief, ref, "chief")
    services.transition(uow(), chief, ref, TransitionIn(target=Status.UNDER_INVESTIGATION))
    return Case(uow, staff, ref, receipt.receipt_code)


def accounts(uow: Callable[[], SqlUnitOfWork]) -> dict[str, StaffAccount]:
    """The STAFF, created by a bootstrapped administrator and logged in."""

    def create(actor: StaffAccount | None, name: str, role: Role) -> StaffAccount:
        data = StaffCreate(username=name, display_name=name.title(), role=role,
                           scope=frozenset({"5339"}), password=PASSWORD)  # fmt: skip
        secret = services.create_staff(uow(), actor, data).totp_secret
        return services.authenticate(uow(), name, PASSWORD, pyotp.TOTP(secret).now())

    admin = create(None, "admin", Role.ADMINISTRATOR)
    return {name: create(admin, name, role) for name, role in STAFF.items()}


def complaint() -> ComplaintCreate:
    return ComplaintCreate.model_validate(
        {
            "offence_type": "phishing",
            "language": "fr",
            "occurred_from": "2026-03-01T18:30:00+01:00",
            "place": {"postal_code": "1050"},
            "description": "Un SMS de ma banque m'a demandé mes codes.",
            "loss_eur": "250.00",
            "privacy_notice_accepted": True,
        }
    )


def requests(case: Case, n: int) -> list[Request]:
    """N - 1 notes, messages and status changes, in turn, then the close."""
    made = [request(case, KINDS[i % len(KINDS)], i) for i in range(n - 1)]
    close = TransitionIn(target=Status.CLOSED, outcome=Outcome.NO_FURTHER_ACTION, reason="close")
    chief, ref = case.staff["chief"], case.reference
    closing = Request("close", "close", lambda: services.transition(case.uow(), chief, ref, close))
    return [*made, closing]


def request(case: Case, kind: str, i: int) -> Request:
    ref, staff, uow = case.reference, list(case.staff.values())[i % len(case.staff)], case.uow
    label = f"{kind} {i}"
    if kind == "note":
        note = MessageIn(body=label)
        return Request(kind, label, lambda: services.add_internal_note(uow(), staff, ref, note))
    if kind == "message":
        return Request(kind, label, lambda: services.victim_message(uow(), ref, case.code, label))
    target = Status.AWAITING_VICTIM if i % 2 else Status.UNDER_INVESTIGATION
    move = TransitionIn(target=target, reason=label)
    return Request(kind, label, lambda: services.transition(uow(), staff, ref, move))


def fire(made: list[Request], workers: int) -> tuple[list[str | None], float]:
    """Every request at once on `workers` threads: None when acknowledged, else the error."""

    def send(item: Request) -> str | None:
        try:
            item.send()
        except Exception as exc:  # a refusal is an outcome to count, not a failure
            return type(exc).__name__
        return None

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(send, made))
    return outcomes, time.perf_counter() - start


def stored_labels(case: Complaint) -> set[str]:
    notes = {note.body for note in case.notes}
    messages = {m.body for m in case.messages if m.author is Author.VICTIM}
    return notes | messages | {change.reason for change in case.history if change.reason}


def log_matches(case: Case, stored: Complaint) -> bool:
    """One event per stored note, victim message and status change, and an intact chain."""
    with case.uow() as uow:
        query = AuditQuery(reference=case.reference, limit=1_000_000)
        events = Counter(record.event.justification for record in uow.audit.entries(query))
        intact = uow.audit.verify_chain() is None
    labels = stored_labels(stored)
    moves = sum(1 for label in labels if label.startswith("transition") or label == "close")
    return intact and [events["internal_note"], events["victim sent a message"],
                       events["transition"] - SETUP_TRANSITIONS] == [
        len(stored.notes), sum(m.author is Author.VICTIM for m in stored.messages), moves
    ]  # fmt: skip


def measure(name: str, engine: Engine, n: int, workers: int) -> Result:
    case, retries = prepare(engine), Retries()
    made = requests(case, n)
    logger = logging.getLogger("zonal.complaints.retries")
    logger.addHandler(retries)
    logger.setLevel(logging.INFO)
    try:
        outcomes, seconds = fire(made, workers)
    finally:
        logger.removeHandler(retries)
    with case.uow() as uow:
        after = uow.complaints.get(case.reference, None)
    assert after is not None
    return result(name, case, made, outcomes, after, retries.count, seconds)


def result(
    name: str,
    case: Case,
    made: list[Request],
    outcomes: list[str | None],
    after: Complaint,
    retries: int,
    seconds: float,
) -> Result:
    acknowledged = {r.label for r, error in zip(made, outcomes, strict=True) if error is None}
    stored = stored_labels(after) & {r.label for r in made}
    closes = [change.to_status for change in after.history].count(Status.CLOSED)
    close_kept = ("close" in acknowledged) == (after.status is Status.CLOSED) and closes <= 1
    refused = Counter(error for error in outcomes if error is not None)
    return Result(name, len(made), len(acknowledged), refused, len(stored),
                  len(acknowledged - stored), len(stored - acknowledged), retries,
                  log_matches(case, after), close_kept, seconds)  # fmt: skip


def postgres_engine() -> Engine | None:
    """A fresh schema on the local PostgreSQL, or None when it is not reachable."""
    try:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS zonal_bench_races CASCADE"))
            connection.execute(text("CREATE SCHEMA zonal_bench_races"))
        admin.dispose()
    except OperationalError:
        return None
    return make_engine(f"{POSTGRES_URL}?options=-csearch_path%3Dzonal_bench_races")


def run(n: int, workers: int) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = make_engine(f"sqlite:///{Path(folder) / 'races.db'}")
        results.append(measure("SQLite", sqlite, n, workers))
        sqlite.dispose()
    postgres = postgres_engine()
    if postgres is not None:
        results.append(measure("PostgreSQL", postgres, n, workers))
        postgres.dispose()
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| store | requests | acknowledged | refused (why) | stored | lost | stored, not "
        "acknowledged | retries | log matches | close kept | seconds | requests/s |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in results:
        why = ", ".join(f"{count} {name}" for name, count in sorted(r.refused.items())) or "none"
        lines.append(
            f"| {r.store} | {r.requests:,} | {r.acknowledged:,} | {why} | {r.stored:,} | "
            f"{r.lost} | {r.phantom} | {r.retries:,} | {'yes' if r.log_matches else 'NO'} | "
            f"{'yes' if r.close_kept else 'NO'} | {r.seconds:.1f} | {r.requests / r.seconds:.0f} |"
        )
    return "\n".join(lines)


def write_docs(results: list[Result], workers: int) -> None:
    machine = (
        f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"{platform.machine()}, run {datetime.now(UTC):%Y-%m-%d}"
    )
    section = "\n".join(
        [
            START,
            "## Concurrent writes on one case (`bench/races.py`)",
            "",
            f"One case under investigation gets all the requests at once from {workers} "
            "threads, through the use cases the web routes call: 40% internal notes from four "
            "staff accounts, 40% messages from the victim, 20% status changes between "
            "under_investigation and awaiting_victim, and a close sent last. A save writes "
            "only over the case version it read; a change refused as stale is redone on a "
            "fresh read that holds the case (services/complaints/_common.py). *Lost* counts "
            "acknowledged requests whose note, message or status change is not in the stored "
            "case; *refused* are answers the caller sees (IllegalTransition: the workflow no "
            "longer allowed the status change, or the case was closed; ConcurrentUpdate: "
            "still stale after every retry). *Log matches*: one Art. 25 event per stored "
            "change and an intact chain. *Close kept*: the case ends closed, closed once.",
            "",
            table(results),
            "",
            f"Argon2 at test costs (the receipt check is not what is measured); {machine}. The "
            "machine's two cores were shared with other work; the time grows with the case, "
            "whose every read decrypts all its rows.",
            END,
        ]
    )
    replace_section(START, END, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=12)
    parser.add_argument("--no-docs", action="store_true", help="print only, leave docs alone")
    args = parser.parse_args()
    results = run(args.requests, args.workers)
    print(table(results))
    if not args.no_docs:
        write_docs(results, args.workers)
        print(f"updated {DOCS}")


if __name__ == "__main__":
    main()
