"""The complaints domain's errors, all inside the one tree of `zonal.errors`.

ZonalError
 ├── InputError
 │    ├── IllegalTransition     a status change the workflow does not allow (409)
 │    ├── InvalidIdentifier     an IBAN, phone, e-mail, URL, handle or wallet that is malformed
 │    ├── PlaceAmbiguous        a postal code that spans zones, without the municipality
 │    └── ReceiptInvalid        a reference and receipt code that do not open a case (403)
 ├── NotFoundError
 │    └── CaseNotFound          no case with that reference within the staff member's scope
 ├── NotAllowed                 a role or scope that does not permit the action (403)
 │    └── AuthenticationFailed  a login that failed, whatever the reason (401)
 └── TooManyAttempts            a login or receipt look-up locked after repeated failures (429)
"""

from __future__ import annotations

from zonal.errors import InputError, NotFoundError, ZonalError


class IllegalTransition(InputError):
    """A status change that the case workflow does not allow from the current state."""

    http_status = 409


class InvalidIdentifier(InputError):
    """An identifier (IBAN, phone, e-mail, URL, handle, wallet) that cannot be normalised."""


class PlaceAmbiguous(InputError):
    """A postal code that covers municipalities of more than one zone."""


class ReceiptInvalid(InputError):
    """A reference and receipt code that do not open a case; never says which part was wrong."""

    http_status = 403


class CaseNotFound(NotFoundError):
    """No case with this reference within the caller's zones or units."""


class NotAllowed(ZonalError):
    """The staff member's role or scope does not permit the action."""

    exit_code = 4
    http_status = 403


class AuthenticationFailed(NotAllowed):
    """A failed login: one message for unknown users, wrong passwords and wrong codes."""

    http_status = 401


class TooManyAttempts(ZonalError):
    """Too many failed attempts in a short time; the caller must wait before trying again."""

    exit_code = 4
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
