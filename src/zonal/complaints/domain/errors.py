"""The complaints domain's own errors, each under a branch of the one tree drawn in
`zonal.errors` (which also holds NotAllowed and TooManyAttempts, shared with the web layer)."""

from __future__ import annotations

from zonal.errors import InputError, NotAllowed, NotFoundError


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


class AuthenticationFailed(NotAllowed):
    """A failed login: one message for unknown users, wrong passwords and wrong codes."""

    http_status = 401
