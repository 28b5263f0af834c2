"""Staff accounts: creation (with TOTP enrolment) and login with password and TOTP code.

Login fails with one message whatever was wrong (unknown user, password, code, disabled),
and unknown users cost as much time as known ones, so nothing reveals who has an account.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

from zonal.complaints.domain.audit import AuditAction
from zonal.complaints.domain.errors import AuthenticationFailed
from zonal.complaints.domain.staff import (
    Action,
    Role,
    StaffAccount,
    can,
    check_scope,
    check_username,
    roles_that_can,
)
from zonal.complaints.queries import StaffCredentials
from zonal.complaints.schemas import StaffCreate
from zonal.complaints.views import StaffCreated
from zonal.errors import InputError, NotAllowed, NotFoundError
from zonal.services.complaints._citizen import check_lockout
from zonal.services.complaints._common import allow, log
from zonal.services.complaints.ports import UnitOfWork

LOGIN_REFUSED = "The username, password or code is not right. Try again."
_TOTP_STEP = 30


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
        uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Zonal")
        return StaffCreated(
            id=account.id,
            username=username,
            role=data.role.value,
            scope=sorted(scope),
            totp_secret=secret,
            totp_uri=uri,
        )


def authenticate(
    uow: UnitOfWork, username: str, password: str, totp: str, client: str = ""
) -> StaffAccount:
    """Check a login: Argon2id password, TOTP code (not replayable), lockout after failures.

    Returns:
        The account, for the web layer's session.
    Raises:
        AuthenticationFailed: anything wrong, always with the same message.
        TooManyAttempts: too many failures for this username recently (known or not).
    """
    with uow:
        now, subject = uow.policy.clock(), username.strip().lower()[:64]
        check_lockout(uow, "login", subject, now, uow.policy.login_lockout)
        found = uow.staff.credentials(subject)
        step = _verify(uow, found, password, totp, now)
        uow.attempts.record("login", subject, client, now, step is not None)
        if found is None or step is None:
            actor = found.account.username if found else "unknown"
            log(uow, actor, AuditAction.LOGIN, None, "login refused", client=client[:64])
            uow.commit()
            raise AuthenticationFailed(LOGIN_REFUSED)
        uow.staff.record_totp_step(found.account.username, step)
        log(uow, found.account, AuditAction.LOGIN, None, "login", client=client[:64])
        uow.commit()
        return found.account


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
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // _TOTP_STEP
    typed = "".join(code.split())
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * _TOTP_STEP), typed):
            return step
    return None


def _creator(uow: UnitOfWork, actor: StaffAccount | None, role: Role) -> StaffAccount | str:
    if actor is not None:
        allow(uow, actor, Action.MANAGE_STAFF, None)
        return actor
    # Bootstrapping: the first account must be one that can create the others.
    managers = roles_that_can(Action.MANAGE_STAFF)
    if not can(role, Action.MANAGE_STAFF) or sum(map(uow.staff.count_role, managers)) > 0:
        raise NotAllowed("only an administrator creates accounts; the first one must be one")
    return "system"
