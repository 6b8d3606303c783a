"""Seeded synthetic incidents across Pakistan in the native schema, for benchmarks only.

Points are drawn uniformly in Pakistan's bounding box and kept when they fall inside Pakistan's
outline, so the spatial join has real work to do. Values are plausible but meaningless: these
rows must never be shown as data.
"""

import numpy as np
import pandas as pd
import shapely

from geo import boundaries, schema

EVENT_TYPES = [e for e in schema.EVENT_TYPES if e != "cross_border_strike"]
PERPETRATORS = ["TTP", "BLA", "BLF", "IS-K", "unknown"]
PROVINCES = ["PK-BA", "PK-KP", "PK-PB", "PK-SD"]


def _points_in_pakistan(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    outline = boundaries.load_neighbours().set_index("id").geometry["PK"]
    shapely.prepare(outline)
    xs, ys = np.empty(0), np.empty(0)
    while len(xs) < n:
        x = rng.uniform(60.8, 77.9, n)
        y = rng.uniform(23.5, 37.1, n)
        inside = shapely.contains_xy(outline, x, y)
        xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
    return xs[:n].round(5), ys[:n].round(5)


def incidents(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` synthetic incident rows as strings, exactly as a native CSV would hold them."""
    rng = np.random.default_rng(seed)
    lon, lat = _points_in_pakistan(n, rng)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1096, n), unit="D")
    killed_low = rng.poisson(2.0, n)
    killed_high = killed_low + rng.integers(0, 3, n)
    frame = pd.DataFrame({
        "id": [f"SYN-{i:07d}" for i in range(n)],
        "occurred_on": days.strftime("%Y-%m-%d"),
        "date_precision": "day",
        "place": "synthetic",
        "province_id": rng.choice(PROVINCES, n),
        "country": "PK",
        "lon": lon.astype(str),
        "lat": lat.astype(str),
        "location_precision": "town",
        "event_type": rng.choice(EVENT_TYPES, n),
        "perpetrator": rng.choice(PERPETRATORS, n),
        "target": rng.choice(["civilians", "security_forces", "police"], n),
        "killed_low": killed_low.astype(str),
        "killed_high": killed_high.astype(str),
        "killed": killed_low.astype(str),
        "injured": rng.poisson(3.0, n).astype(str),
        "sources": "https://example.org/synthetic",
        "status": "confirmed",
        "fully_sourced": "yes",
        "counts_in_totals": "true",
    })
    return frame
