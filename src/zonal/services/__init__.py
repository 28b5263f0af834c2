"""Use cases that wire the pure packages to the store; the CLI and the web app call only these."""

from __future__ import annotations
