"""The one exception tree of Zonal.

    ZonalError                      anything Zonal refuses, with a message saying what to fix
     ├── InputError                 bad input from a user: a file, a value, an option
     │    ├── FileFormatError       a file that cannot be read as the format it claims
     │    ├── MappingError          a column mapping that names a missing or unknown column
     │    └── RegistryFormatError   a zone registry file that breaks the documented format
     ├── NotFoundError              a zone, municipality, postal code or record that does not exist
     └── ConfigurationError         a setting that is missing or unsafe

Domain and analytic code raise these; the CLI maps them to exit codes and the web app to
HTTP statuses in one place each. Never raise HTTP errors from the domain.
"""

from __future__ import annotations


class ZonalError(Exception):
    """Base class: the message says what was wrong and what to do about it."""

    exit_code = 1
    http_status = 400


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
