"""Staff accounts: creation (with TOTP enrolment), login with password and TOTP code, and
what an administrator does to an account later: list, disable, enable, reset the password,
re-enrol the authenticator. Each of those checks MANAGE_STAFF and writes to the Art. 25 log.

Login fails with one message whatever was wrong (unknown user, password, code, disabled),
and unknown users cost as much time as known ones, so nothing reveals who has an account.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from datetime import datetime
from typing import NoReturn

import pyotp

from zonal.complaints import rules
from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import AuthenticationFailed
from zonal.complaints.domain.staff import (
    TOTP_STEP_SECONDS,
    Action,
    Role,
    StaffAccount,
    can,
    check_scope,
    check_username,
    roles_that_can,
)
from zonal.complaints.queries import StaffCredentials, StaffListing
from zonal.complaints.schemas import StaffCreate
from zonal.complaints.views import StaffCreated
from zonal.errors import InputError, NotAllowed, NotFoundError, TooManyAttempts
from zonal.services.complaints._citizen import check_lockout
from zonal.services.complaints._common import allow, log
from zonal.services.complaints.ports import UnitOfWork

# Failures of a username from all clients, beside the per-client "login" ones.
ACCOUNT_ATTEMPTS = "login-acct"
LOGIN_REFUSED = "The username, password or code is not right. Try again."


def create_staff(uow: UnitOfWork, actor: StaffAccount | None, data: StaffCreate) -> StaffCreated:
    """Create a staff account and its TOTP secret.

    Args:
        actor: an account that may manage staff (an administrator); None only to create the
            very first such account.
        data: username, name, role, scope (zones/units) and an initial password.
    Returns:
        The account with its TOTP secret and otpauth:// URI, to enrol an authenticator app;
        shown once, stored only encrypted.
    Raises:
        NotAllowed: the actor is not an administrator, or bootstrapping is over.
        InputError: a malformed or taken username, or a malformed scope.
    """
    with uow:
        creator = _creator(uow, actor, data.role)
        username, scope = check_username(data.username), check_scope(set(data.scope))
        if uow.staff.exists(username):
            raise InputError(f"username {username!r} is taken; choose another")
        secret = pyotp.random_base32()
        account = uow.staff.add(
            StaffAccount(0, username, data.display_name, data.role, scope),
            uow.policy.hasher.hash(data.password),
            secret,
            uow.policy.clock(),
        )
        log(
            uow,
            creator,
            AuditAction.CHANGE,
            None,
            "staff account created",
            staff=username,
            staff_role=data.role.value,
            scope=sorted(scope),
        )
        uow.commit()
        return _enrolment(account, secret)


def list_staff(uow: UnitOfWork, actor: StaffAccount) -> list[StaffListing]:
    """Every staff account, by username, with whether it is active and its last login.

    Raises:
        NotAllowed: the actor may not manage staff (logged).
    """
    with uow:
        allow(uow, actor, Action.MANAGE_STAFF, None)
        return uow.staff.listing()


def disable_staff(uow: UnitOfWork, actor: StaffAccount, username: str) -> StaffAccount:
    """Disable an account: it can no longer log in, and its open sessions end at their next
    request (the web app re-reads the account on each one).

    Raises:
        NotAllowed: the actor may not manage staff (logged).
        NotFoundError: no such account. InputError: already disabled, or the actor's own.
    """
    return _set_active(uow, actor, username, active=False)


def enable_staff(uow: UnitOfWork, actor: StaffAccount, username: str) -> StaffAccount:
    """Let a disabled account log in again (with its password and authenticator as they were).

    Raises:
        NotAllowed: the actor may not manage staff (logged).
        NotFoundError: no such account. InputError: the account is active already.
    """
    return _set_active(uow, actor, username, active=True)


def reset_staff_password(
    uow: UnitOfWork, actor: StaffAccount, username: str, password: str
) -> StaffAccount:
    """Give an account a new password (its authenticator app stays enrolled).

    Raises:
        NotAllowed: the actor may not manage staff (logged).
        NotFoundError: no such account. InputError: a password the rule refuses
            (rules.password_problem: length, repetition, names, common list).
    """
    with uow:
        account = _managed(uow, actor, username)
        problem = rules.password_problem(password, account.username, account.display_name)
        if problem is not None:
            raise InputError(problem)
        uow.staff.set_password_hash(account.username, uow.policy.hasher.hash(password))
        _log_change(uow, actor, account, "staff password reset")
        uow.commit()
        return account


def reenrol_staff(uow: UnitOfWork, actor: StaffAccount, username: str) -> StaffCreated:
    """A new TOTP secret for an account (a lost or new phone); codes of the old one stop working.

    Returns:
        The account with its new secret and otpauth:// URI, shown once.
    Raises:
        NotAllowed: the actor may not manage staff (logged). NotFoundError: no such account.
    """
    with uow:
        account = _managed(uow, actor, username)
        secret = pyotp.random_base32()
        uow.staff.set_totp_secret(account.username, secret)
        _log_change(uow, actor, account, "staff authenticator re-enrolled")
        uow.commit()
        return _enrolment(account, secret)


def authenticate(
    uow: UnitOfWork, username: str, password: str, totp: str, client: str = ""
) -> StaffAccount:
    """Check a login: Argon2id password, TOTP code (not replayable), lockout after failures.

    Failures lock the username for the client that made them (before any hash is computed);
    failures from many clients throttle the account, but the right password and code pass.

    Returns:
        The account, for the web layer's session.
    Raises:
        AuthenticationFailed: anything wrong, always with the same message.
        TooManyAttempts: too many failures for this username recently (known or not) from this
            client, or from everywhere (then only with a wrong password or code).
    """
    with uow:
        policy, now, name = uow.policy, uow.policy.clock(), username.strip().lower()[:64]
        pair = f"{name} from {client}"
        check_lockout(uow, "login", pair, now, policy.login_lockout)
        found = uow.staff.credentials(name)
        step = _verify(uow, found, password, totp, now)
        throttled = _throttled(uow, name, now)
        uow.attempts.record("login", pair, client, now, step is not None)
        uow.attempts.record(ACCOUNT_ATTEMPTS, name, client, now, step is not None)
        if found is None or step is None:
            _refuse(uow, found, client, throttled)
        uow.staff.record_totp_step(found.account.username, step)
        log(uow, found.account, AuditAction.LOGIN, None, "login", client=client[:64])
        uow.commit()
        return found.account


def _throttled(uow: UnitOfWork, name: str, now: datetime) -> TooManyAttempts | None:
    try:
        check_lockout(uow, ACCOUNT_ATTEMPTS, name, now, uow.policy.login_account_throttle)
    except TooManyAttempts as exc:
        return exc
    return None


def _refuse(
    uow: UnitOfWork, found: StaffCredentials | None, client: str, throttled: Exception | None
) -> NoReturn:
    actor = found.account.username if found else "unknown"
    log(uow, actor, AuditAction.LOGIN, None, "login refused", client=client[:64])
    uow.commit()  # the failed attempt must count even though we refuse
    raise throttled or AuthenticationFailed(LOGIN_REFUSED)


def get_staff(uow: UnitOfWork, staff_id: int) -> StaffAccount:
    """The account behind a session, re-read so that a disabled account stops at once.

    Raises:
        NotFoundError: no such account, or it is disabled.
    """
    with uow:
        account = uow.staff.get(staff_id)
        if account is None or not account.active:
            raise NotFoundError(f"no active staff account {staff_id}; log in again")
        return account


def _verify(
    uow: UnitOfWork, found: StaffCredentials | None, password: str, code: str, now: datetime
) -> int | None:
    """The TOTP time step that matched, or None when anything is wrong."""
    hasher = uow.policy.hasher
    if found is None:
        hasher.dummy_verify(password)
        return None
    if not hasher.verify(found.password_hash, password) or not found.account.active:
        return None
    return _totp_step(found.totp_secret, code, now, found.totp_last_step)


def _totp_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    # One step of clock drift either way; a step already used is refused (replay).
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // TOTP_STEP_SECONDS
    typed = "".join(code.split())
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), typed):
            return step
    return None


def _set_active(
    uow: UnitOfWork, actor: StaffAccount, username: str, *, active: bool
) -> StaffAccount:
    with uow:
        account = _managed(uow, actor, username)
        if account.active is active:
            state = "active" if active else "disabled"
            raise InputError(f"{account.username} is {state} already; nothing to change")
        if account.id == actor.id:
            raise InputError("you cannot disable your own account; ask another administrator")
        uow.staff.set_active(account.username, active)
        _log_change(uow, actor, account, f"staff account {'enabled' if active else 'disabled'}")
        uow.commit()
        return replace(account, active=active)


def _managed(uow: UnitOfWork, actor: StaffAccount, username: str) -> StaffAccount:
    """The account `username`, once the actor is known to manage staff (a refusal is logged)."""
    allow(uow, actor, Action.MANAGE_STAFF, None)
    found = uow.staff.credentials(username.strip().lower()[:64])
    if found is None:
        raise NotFoundError(f"no staff account {username[:40]!r}; `zonal staff list` shows them")
    return found.account


def _log_change(uow: UnitOfWork, actor: StaffAccount, account: StaffAccount, what: str) -> None:
    log(uow, actor, AuditAction.CHANGE, None, what, staff=account.username)


def _enrolment(account: StaffAccount, secret: str) -> StaffCreated:
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.username, issuer_name="Zonal")
    return StaffCreated(
        id=account.id,
        username=account.username,
        role=account.role.value,
        scope=sorted(account.scope),
        totp_secret=secret,
        totp_uri=uri,
    )


def _creator(uow: UnitOfWork, actor: StaffAccount | None, role: Role) -> StaffAccount | str:
    if actor is not None:
        allow(uow, actor, Action.MANAGE_STAFF, None)
        return actor
    # Bootstrapping: the first account must be one that can create the others.
    managers = roles_that_can(Action.MANAGE_STAFF)
    if not can(role, Action.MANAGE_STAFF) or sum(map(uow.staff.count_role, managers)) > 0:
        raise NotAllowed("only an administrator creates accounts; the first one must be one")
    return "system"
