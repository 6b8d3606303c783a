"""What the Border page shows: cross-border strikes, totals per border region, the border-belt share.

Border regions overlap (the former FATA lies partly inside the Pak-Afghan belt), so the totals per
region count an incident in every region it falls in, while the belt share counts each incident
once. Records without a point cannot be placed in any border region; they are counted separately
so the share never hides them. Totals use ``summarize.countable`` rows only (no aggregate tallies).
"""

import altair as alt
import pandas as pd

from geo import periods, schema, summarize
from geo.join import REGION_SEPARATOR
from geo.render import classify, maps
from geo.views import sources
from geo.views.map import border_values

STRIKE = "cross_border_strike"
BELTS = ("PK-AF-BELT", "PK-IR-BELT")
STRIKE_COLUMNS = ["date", "place", "origin_country", "country", "killed", "injured", "source", "perpetrator",
                  "status", "id", "sources"]
MARGIN_DEG = 0.5


def strikes(incidents: pd.DataFrame) -> pd.DataFrame:
    """The cross-border strikes among ``incidents`` (into Pakistan and out of it), oldest first."""
    return incidents[incidents["event_type"] == STRIKE].sort_values(["occurred_on", "id"])


def range_text(low, high) -> str:
    """A casualty range as text: "15–46", "2", or "unknown" when nothing was reported."""
    if pd.isna(low) and pd.isna(high):
        return "unknown"
    if pd.isna(high) or pd.isna(low) or low == high:
        return f"{int(low if pd.notna(low) else high):,}"
    return f"{int(low):,}–{int(high):,}"


def strike_table(strike_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per strike: date, place, from and into which country, killed/injured ranges, sources."""
    rows = strike_rows
    table = pd.DataFrame({
        "id": rows["id"],
        "date": pd.to_datetime(rows["occurred_on"]).dt.date,
        "place": rows["place"],
        "origin_country": rows["origin_country"].map(schema.COUNTRIES),
        "country": rows["country"].map(schema.COUNTRIES),
        "killed": [range_text(lo, hi) for lo, hi in zip(rows["killed_low"], rows["killed_high"], strict=True)],
        "injured": [range_text(lo, hi) for lo, hi in zip(rows["injured_low"], rows["injured_high"], strict=True)],
        "perpetrator": rows["perpetrator"],
        "status": rows["status"],
        "source": rows["sources"].map(sources.first_source),
        "sources": rows["sources"],
    })
    return table[STRIKE_COLUMNS].reset_index(drop=True)


def region_totals(incidents: pd.DataFrame, region_names: dict[str, str], region_order=()) -> pd.DataFrame:
    """Records, killed and injured per border region and quarter (from ``summarize.by_border_region``).

    Only region-quarters with records appear; killed stays missing where no toll was reported.
    """
    totals = summarize.by_border_region(incidents, keys=("quarter",))
    columns = ["region", "quarter", "incidents", "killed", "injured", "region_id"]
    if totals.empty:
        return pd.DataFrame(columns=columns)
    rank = {region_id: i for i, region_id in enumerate(region_order)}
    totals = totals.assign(region=totals["region_id"].map(region_names).fillna(totals["region_id"]),
                           _rank=totals["region_id"].map(rank).fillna(len(rank)))
    return totals.sort_values(["_rank", "region_id", "quarter"])[columns].reset_index(drop=True)


def in_belts(incidents: pd.DataFrame, belts=BELTS) -> pd.Series:
    """True for each incident inside at least one of ``belts`` (so each incident counts once)."""
    ids = incidents["border_region_ids"].fillna("").astype(str).str.split(REGION_SEPARATOR)
    return ids.map(lambda parts: bool(set(parts) & set(belts))).astype(bool)


def belt_share(incidents: pd.DataFrame, belts=BELTS) -> dict:
    """Deaths and records inside the border belts against all of ``incidents``, each counted once.

    Keys: killed_in_belts, killed_total, share_pct (NaN when no toll is known), records_in_belts,
    records_total, unplaced (records without a point, which no belt can contain).
    """
    frame = summarize.countable(incidents)
    inside = in_belts(frame, belts)
    killed_total = frame["killed"].sum(min_count=1)
    killed_in = frame.loc[inside, "killed"].sum()
    share = float("nan") if pd.isna(killed_total) or killed_total == 0 else float(killed_in) / killed_total * 100
    return {
        "killed_in_belts": int(killed_in),
        "killed_total": None if pd.isna(killed_total) else int(killed_total),
        "share_pct": share,
        "records_in_belts": int(inside.sum()),
        "records_total": len(frame),
        "unplaced": int(frame["lon"].isna().sum()),
    }


def share_text(share: dict) -> str:
    """The belt share as display text ("46%"), or "no data" when no toll is known."""
    return "no data" if pd.isna(share["share_pct"]) else f"{share['share_pct']:.0f}%"


def share_help(share: dict) -> str:
    """Which numbers the share divides, for the tooltip."""
    total = share["killed_total"]
    return f"{share['killed_in_belts']:,} of {total:,} killed" if total is not None else "no toll known"


def frame_bounds(*frames) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around the given GeoDataFrames, with a small margin."""
    boxes = [frame.total_bounds for frame in frames if len(frame) and frame.geometry.notna().any()]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[south - MARGIN_DEG, west - MARGIN_DEG], [north + MARGIN_DEG, east + MARGIN_DEG]]


def totals_chart(totals: pd.DataFrame) -> alt.LayerChart:
    """A region-by-quarter grid of deaths in the atlas's records (blank: no record there)."""
    axis = periods.quarter_range(totals["quarter"].min(), totals["quarter"].max()) if len(totals) else []
    base = alt.Chart(totals).encode(
        x=alt.X("quarter:O", scale=alt.Scale(domain=axis), title=None),
        y=alt.Y("region:N", sort=list(dict.fromkeys(totals["region"])), title=None,
                axis=alt.Axis(labelLimit=260)),
        tooltip=["region", "quarter", "incidents", "killed", "injured"],
    )
    cells = base.mark_rect().encode(color=alt.Color("killed:Q", title="Killed", scale=alt.Scale(scheme="purples")))
    labels = base.mark_text(fontSize=11).encode(text=alt.Text("killed:Q", format=",.0f"))
    return alt.layer(cells, labels).properties(height=alt.Step(26))


def border_map_view(incidents: pd.DataFrame, strikes: pd.DataFrame, border_regions: pd.DataFrame,
                    countries: pd.DataFrame) -> dict:
    """What the Border page's map shows: deaths per border region over every record, the
    cross-border strikes as markers and arrows (provinces plain)."""
    label = "Killed, all quarters (atlas records)"
    colours, breaks = maps.region_colours(border_regions["id"], border_values(incidents, "deaths"), label,
                                          palette=classify.BORDER_PALETTE)
    return maps.view("all quarters", legend=classify.legend_html(breaks, label, palette=classify.BORDER_PALETTE),
                     border_regions=colours, incidents=strikes, strikes=maps.strike_arrows(strikes, countries))
