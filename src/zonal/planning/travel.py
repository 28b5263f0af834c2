"""Travel-time estimates between sectors when no road-network times are available."""

from __future__ import annotations

import numpy as np
import polars as pl

from zonal.errors import InputError

EARTH_RADIUS_KM = 6371.0


def travel_minutes(
    sectors: pl.DataFrame,
    speed_kmh: float = 40.0,
    detour: float = 1.3,
    base_minutes: float = 2.0,
) -> pl.DataFrame:
    """Estimated minutes between every pair of sectors from their centroids.

    Minutes = base + great-circle km x detour / speed: the detour factor turns straight
    lines into road distance (about 1.3 in European towns), the base is the time to get
    rolling. Replace with routed times when you have them; the frame format is the same.

    Args:
        sectors: sector, lat, lon (WGS84 degrees) per sector.

    Returns:
        from_sector, to_sector, minutes for every ordered pair (including i to i).

    Raises:
        InputError: missing columns, null or out-of-range coordinates, non-positive speed.
    """
    missing = [c for c in ("sector", "lat", "lon") if c not in sectors.columns]
    if missing:
        raise InputError(f"sector frame lacks {missing}; give sector, lat, lon per sector")
    if speed_kmh <= 0 or detour < 1.0 or base_minutes < 0:
        raise InputError(
            f"speed_kmh ({speed_kmh}) must be > 0, detour ({detour}) >= 1, "
            f"base_minutes ({base_minutes}) >= 0"
        )
    lat = sectors["lat"].cast(pl.Float64).to_numpy()
    lon = sectors["lon"].cast(pl.Float64).to_numpy()
    if np.isnan(lat).any() or np.isnan(lon).any() or (np.abs(lat) > 90).any():
        raise InputError("sector coordinates must be WGS84 degrees without nulls")
    km = _haversine_km(lat, lon)
    minutes = base_minutes + km * detour / speed_kmh * 60.0
    names = sectors["sector"].cast(pl.String).to_numpy()
    n = names.size
    return pl.DataFrame(
        {
            "from_sector": np.repeat(names, n),
            "to_sector": np.tile(names, n),
            "minutes": minutes.reshape(-1),
        }
    )


def _haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), float)
