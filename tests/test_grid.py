import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.render import grid, maps


def frame(points, killed):
    return gpd.GeoDataFrame({"killed": pd.array(killed, dtype="Int64")}, geometry=points, crs=4326)


def test_points_in_one_cell_are_counted_together_and_unplaced_records_left_out():
    cells = grid.bin_points(frame([Point(70.01, 30.01), Point(70.2, 30.2), Point(71.1, 30.1), None],
                                  [2, None, 5, 9]), cell_deg=0.25)
    assert cells["records"].tolist() == [2, 1]
    assert cells["killed"].tolist() == [2.0, 5.0]  # the unknown toll is not counted as 0
    assert cells["records"].sum() == 3


def test_cell_killed_is_missing_when_no_toll_is_known():
    cells = grid.bin_points(frame([Point(70.01, 30.01)], [None]))
    assert pd.isna(cells["killed"].iloc[0])


def test_many_incidents_are_drawn_as_cells_not_markers():
    n = maps.MARKERS_UP_TO + 1
    many = frame([Point(66 + (i % 90) / 10, 25 + (i // 90) / 10) for i in range(n)], [1] * n)
    layer = maps.incident_layer(many)
    assert "markers" not in layer and 0 < len(layer["cells"]) < n
    assert sum(int(cell[3].split(" records")[0].replace(",", "")) for cell in layer["cells"]) == n
