"""The atlas as every page sees it: incidents (joined to regions, indexed by quarter), the
published figures and the geography, in one container, and the flow that makes it from a file
(``load_atlas``) and from the datasets people imported (``combine``).

``Atlas.key`` names the data it holds (the incidents file, the datasets shown and when they were
imported), so what is computed from an atlas can be cached by that name instead of by hashing
a million rows.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import boundaries, filters, join, periods
from geo.figures import load_figures
from geo.incidents import load_incidents


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

    def select(self, period: str, state: dict) -> pd.DataFrame:
        """The incidents of ``period`` (year, quarter or month) that pass the filters in ``state``."""
        return period_incidents(self.incidents, period, state, self.quarter_bounds)

    @property
    def region_names(self) -> dict[str, str]:
        names = dict(zip(self.provinces["id"], self.provinces["name"], strict=True))
        names.update(zip(self.border_regions["id"], self.border_regions["name"], strict=True))
        return names


def index_by_quarter(incidents: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    """``incidents`` sorted by quarter (stable; undated records last) and each quarter's row range.

    Done once per dataset, it turns picking a quarter into a slice instead of copying the rows
    that match a mask, which is most of the cost of a quarter switch at a million incidents.
    """
    ordered = incidents.sort_values("quarter", kind="stable", na_position="last").reset_index(drop=True)
    codes, labels = pd.factorize(ordered["quarter"])
    edges = np.flatnonzero(np.diff(codes)) + 1
    starts, stops = np.r_[0, edges], np.r_[edges, len(codes)]
    bounds = {str(labels[codes[a]]): (int(a), int(b)) for a, b in zip(starts, stops, strict=True)
              if len(codes) and codes[a] >= 0}
    return ordered, bounds


def period_incidents(incidents: pd.DataFrame, period: str, state: dict,
                     bounds: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    """The incidents of ``period`` (a year, quarter or month; see geo.periods) that pass the
    filters in ``state``.

    With ``bounds`` from ``index_by_quarter`` (and ``incidents`` as it returned them) a quarter is
    a slice and a year the slice of its quarters (they sit side by side); a month is its quarter's
    slice narrowed by date. Without ``bounds``, masks select the rows.
    """
    wanted = periods.parse(period)
    quarters = periods.quarters_in(period)
    if bounds is not None:
        ranges = [bounds[q] for q in quarters if q in bounds]
        rows = incidents.iloc[min(a for a, _ in ranges):max(b for _, b in ranges)] if ranges else incidents.iloc[:0]
    else:
        rows = incidents[incidents["quarter"].isin(quarters).fillna(False).astype(bool)]
    if wanted.granularity == "month":
        dates = rows["occurred_on"]
        rows = rows[((dates.dt.year == wanted.year) & (dates.dt.month == wanted.index)).fillna(False).astype(bool)]
    return rows[filters.passes(rows, state)] if any(state.values()) else rows


def _with_incidents(atlas: Atlas, incidents: gpd.GeoDataFrame, key: str) -> Atlas:
    """``atlas`` holding ``incidents`` instead, indexed by quarter, with their filter options."""
    ordered, bounds = index_by_quarter(incidents)
    return replace(atlas, incidents=ordered, quarter_bounds=bounds, choices=filters.all_choices(ordered), key=key)


def geography() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Provinces, border regions and neighbouring countries from data/."""
    return boundaries.load_provinces(), boundaries.load_border_regions(), boundaries.load_neighbours()


def load_atlas(incidents_file: Path, dataset: str, regions=None) -> Atlas:
    """The whole flow from a file to what the pages show: read and validate the incidents
    (load_incidents), label them ``dataset``, place them in provinces and border regions
    (join.assign_regions), sort them by quarter (index_by_quarter), beside the published
    figures (figures.load_figures) and the geography. ``regions``: geography() if already loaded."""
    provinces, border_regions, neighbours = regions or geography()
    incidents = load_incidents(Path(incidents_file)).assign(dataset=dataset)
    joined = join.assign_regions(incidents, provinces, border_regions)
    empty = Atlas(joined.iloc[:0], load_figures(), provinces, border_regions, neighbours)
    return _with_incidents(empty, joined, str(incidents_file))


def combine(base: Atlas, include_base: bool, stored: list[gpd.GeoDataFrame], key: str) -> Atlas:
    """``base`` with imported datasets (already joined, see join.assign_regions) added to, or in
    place of, its own incidents; ``key`` names the combination."""
    frames = ([base.incidents] if include_base else []) + list(stored)
    if len(frames) == 1 and frames[0] is base.incidents:
        return base
    incidents = pd.concat(frames, ignore_index=True) if frames else base.incidents.iloc[:0]
    return _with_incidents(base, gpd.GeoDataFrame(incidents, crs=base.incidents.crs), key)
