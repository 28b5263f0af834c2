"""A synthetic team of officers sized to a plan, for the demo and for plans of a zone whose
real officers are not loaded: seeded, so every caller gets the same team."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from zonal.planning.roster.model import Officer

SYNTHETIC_LEAVE_FROM = date(2025, 2, 3)  # the demo's first planned Monday: leave days count from it


def demo_officers(weekly_officer_hours: float, seed: int = 0, margin: float = 1.1) -> list[Officer]:
    """A synthetic team large enough for `weekly_officer_hours` (times `margin` for leave).

    About 15% part-time, a third French-speaking and a third Dutch-speaking (Brussels is
    bilingual), 60% with an emergency-driving licence, a fifth in fixed pairs, and each
    officer with up to three days of leave in the first four weeks.
    """
    rng = np.random.default_rng(seed)
    count = max(2, math.ceil(weekly_officer_hours * margin / 36.0))
    officers = []
    for i in range(count):
        skills = {"driver"} if rng.random() < 0.6 else set()
        skills.add(str(rng.choice(["fr", "nl", "fr", "nl", "de"], p=[0.3, 0.3, 0.15, 0.15, 0.1])))
        leave = rng.choice(28, size=int(rng.integers(0, 4)), replace=False)
        officers.append(
            Officer(
                officer_id=f"P{i + 1:03d}",
                contract_hours=30.4 if rng.random() < 0.15 else 38.0,
                skills=frozenset(skills),
                team=f"pair-{i // 2 + 1}" if i < count // 5 * 2 else None,
                unavailable=frozenset(SYNTHETIC_LEAVE_FROM + timedelta(days=int(d)) for d in leave),
            )
        )
    return officers
