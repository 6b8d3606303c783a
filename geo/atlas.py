"""The atlas as every page sees it: incidents (joined to regions, indexed by quarter), the
published figures and the geography, in one container.

``Atlas.key`` names the data it holds (the incidents file, the datasets shown and when they were
imported), so what is computed from an atlas can be cached by that name instead of by hashing
a million rows.
"""

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd


@dataclass(frozen=True)
class Atlas:
    incidents: gpd.GeoDataFrame  # with province_id from the join and border_region_ids
    figures: pd.DataFrame  # every series; pages select one
    provinces: gpd.GeoDataFrame
    border_regions: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    quarter_bounds: dict[str, tuple[int, int]] | None = None  # incidents' row range per quarter
    choices: dict[str, list[str]] = field(default_factory=dict)  # filter options, once per dataset
    key: str = ""  # what data this is: equal keys, equal data

    @property
    def region_names(self) -> dict[str, str]:
        names = dict(zip(self.provinces["id"], self.provinces["name"], strict=True))
        names.update(zip(self.border_regions["id"], self.border_regions["name"], strict=True))
        return names
