"""Border page: strikes across Pakistan's borders, totals per border region, the border-belt share."""

import streamlit as st

from geo.views import border
from pages.ui import session, widgets

atlas = session.load_or_stop()
names = atlas.region_names
strike_rows = border.strikes(atlas.incidents)

st.title("Across the borders")
st.caption("Cross-border strikes into Afghanistan and Iran and into Pakistan, and the atlas's records in the "
           "border regions. Source: this atlas's incident records (data/incidents.csv), each with its own links.")

st.header(f"Cross-border strikes ({len(strike_rows)} in this atlas)")
strike_table = border.strike_table(strike_rows)
widgets.table(strike_table)
st.caption("Killed and injured: lowest to highest figure across the cited sources. An arrow on the map starts "
           "at the nearest point of the origin country: launch sites are not known.")
widgets.csv_download(strike_table, "cross-border-strikes.csv", key="download_strikes")

widgets.show_map(border.border_map_view(atlas.incidents, strike_rows, atlas.border_regions, atlas.neighbours),
                key="border_map", height=560, bounds=border.frame_bounds(atlas.border_regions))

st.header("Per border region and quarter")
totals = border.region_totals(atlas.incidents, names, region_order=atlas.border_regions["id"])
widgets.chart_with_table(border.totals_chart(totals), totals, name="border-region-totals",
                        caption="Killed per border region and quarter in this atlas's records (blank: no record). "
                                "Regions overlap (the former FATA lies partly in the Pak-Afghan belt), so an "
                                "incident can count in two rows. Source: data/incidents.csv.")

st.header("Share of deaths in the border belts")
share_all = border.belt_share(atlas.incidents)
share_pk = border.belt_share(atlas.incidents[atlas.incidents["country"] == "PK"])
left, right = st.columns(2)
left.metric("All atlas records", border.share_text(share_all), help=border.share_help(share_all))
right.metric("Records in Pakistan", border.share_text(share_pk), help=border.share_help(share_pk))
st.caption(f"Deaths in records inside the 50 km Pak-Afghan or Pak-Iran belt, each record counted once even where "
           f"it lies in both. {share_all['records_in_belts']} of {share_all['records_total']} records are in a belt; "
           f"{share_all['unplaced']} records have no point and cannot be placed in any belt.")
