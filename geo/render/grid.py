"""Server-side aggregation of many incidents into grid cells, so the map stays light.

Above a few thousand located incidents, drawing one marker each costs seconds per rerun and
megabytes of payload (see ../shared/STACK-NOTES.md). Instead the points are binned into square
cells of ``cell_deg`` degrees; each cell carries its record count and summed deaths, and is drawn
as one marker at the mean position of its points.
"""

import numpy as np
import pandas as pd
import shapely


def bin_points(incidents, cell_deg: float = 0.25) -> pd.DataFrame:
    """Cells with columns lon, lat (mean of the cell's points), records, killed (NaN if none known).

    Records without a point are not binned (they have no place on the map).
    """
    geoms = np.asarray(incidents.geometry.array, dtype=object)
    located = ~shapely.is_missing(geoms)
    located[located] = ~shapely.is_empty(geoms[located])
    x, y = shapely.get_x(geoms[located]), shapely.get_y(geoms[located])
    killed = pd.to_numeric(pd.Series(incidents["killed"].to_numpy()[located]), errors="coerce")
    cells = pd.DataFrame({
        "ix": np.floor(x / cell_deg).astype(np.int64),
        "iy": np.floor(y / cell_deg).astype(np.int64),
        "lon": x, "lat": y, "killed": killed.astype(float),
    })
    grouped = cells.groupby(["ix", "iy"], sort=True)
    return pd.DataFrame({
        "lon": grouped["lon"].mean(),
        "lat": grouped["lat"].mean(),
        "records": grouped.size(),
        "killed": grouped["killed"].sum(min_count=1),
    }).reset_index(drop=True)
