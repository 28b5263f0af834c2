"""Zonal: forecast and plan police forces, handle online complaints, measure the policy cycle."""

from __future__ import annotations

__version__ = "0.1.0"
