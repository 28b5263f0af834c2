"""The one exception tree of Zonal: every exception class Zonal defines is drawn here.

    ZonalError                       anything Zonal refuses, with a message saying what to fix
     ├── InputError                  bad input from a user: a file, a value, an option (422)
     │    ├── FileFormatError        a file that cannot be read as the format it claims
     │    ├── MappingError           a column mapping that names a missing or unknown column
     │    ├── RegistryFormatError    a zone registry file that breaks the documented format
     │    ├── IllegalTransition *    a status change the case workflow does not allow (409)
     │    ├── InvalidIdentifier *    an IBAN, phone, e-mail, URL, handle or wallet, malformed
     │    ├── PlaceAmbiguous *       a postal code that spans zones, without the municipality
     │    └── ReceiptInvalid *       a reference and receipt code that open no case (403)
     ├── NotFoundError               a zone, municipality, postal code or record that is not there
     │    └── CaseNotFound *         no case with that reference within the staff member's scope
     ├── NotAllowed                  a role or scope that does not permit the action (403)
     │    └── AuthenticationFailed * a login that failed, whatever the reason (401)
     ├── TooManyAttempts             locked after repeated failures: wait `retry_after` s (429)
     │    └── RateLimited †          too many requests from one client in a time window (429)
     ├── ConcurrentUpdate            a case changed by someone else since it was read (409)
     ├── CsrfError †                 a form post without its anti-forgery token (403)
     ├── LoginRequired ‡             a back-office page asked for without a live session (401)
     ├── NotReady                    a result still being computed in the background (503)
     └── ConfigurationError          a setting that is missing or unsafe (500)

    Defined in this module, except: * zonal.complaints.domain.errors (the complaints domain's
    own), † zonal.web.security, ‡ zonal.web.routes.backoffice_deps.

Each class carries `http_status`, `exit_code` and `retry_after` (seconds to wait, or None).
Domain and analytic code raise these; the CLI maps them to exit codes (cli/_app.py) and the
web app to a status, a Retry-After header and an HTML or JSON page (web/errors.py), in one
place each. Never raise HTTP errors from the domain. A unit test checks that this drawing
names every exception class of src/zonal under its real parent.
"""

from __future__ import annotations


class ZonalError(Exception):
    """Base class: the message says what was wrong and what to do about it."""

    exit_code = 1
    http_status = 400
    retry_after: int | None = None  # seconds after which trying again can succeed


class InputError(ZonalError):
    """Input from a user (file, option, form field) that Zonal cannot use as given."""

    exit_code = 2
    http_status = 422


class FileFormatError(InputError):
    """A file that cannot be read as the format it claims (encoding, CSV structure, empty)."""


class MappingError(InputError):
    """A column mapping that names a column the file does not have, or an unknown target."""


class RegistryFormatError(InputError):
    """A zone registry file that does not follow the documented format."""


class NotFoundError(ZonalError):
    """A zone, municipality, postal code or stored record that does not exist."""

    exit_code = 3
    http_status = 404


class ConfigurationError(ZonalError):
    """A setting that is missing, malformed or unsafe; checked once at start-up."""

    exit_code = 78
    http_status = 500


class NotAllowed(ZonalError):
    """The staff member's role or scope does not permit the action."""

    exit_code = 4
    http_status = 403


class TooManyAttempts(ZonalError):
    """Too many attempts in a short time; the caller must wait `retry_after` seconds."""

    exit_code = 4
    http_status = 429
    retry_after: int

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotReady(ZonalError):
    """A result that is still being computed in the background (a plan's roster)."""

    exit_code = 75  # EX_TEMPFAIL: try again later
    http_status = 503

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConcurrentUpdate(ZonalError):
    """A write refused because the record changed since it was read: read it again and redo.

    The store raises it when a save finds a newer version than the one its unit of work read;
    the use cases retry on a fresh read, and raise it only when every retry met a newer one.
    """

    exit_code = 5
    http_status = 409
