"""Sources page: where every number comes from, how each organisation counts, gaps, doubts, schema."""

import streamlit as st

from geo import schema
from geo.views import sources
from pages.ui import cache, session, widgets

atlas = session.load_or_stop()

st.title("Sources")
st.caption("Every number in the atlas traces to a page. This page lists the data files, how the organisations "
           "count, what is missing or disputed, and every incident record with its own links.")

st.header("Data files")
files = sources.provenance_table(cache.data_provenance())
widgets.table(files)
widgets.csv_download(files, "data-files.csv", key="download_files")

st.header("How each organisation counts")
for org, text in sources.HOW_ORGS_COUNT.items():
    st.markdown(f"**{org}** ({schema.SOURCE_ORGS[org]}): {text}")
st.markdown("Because the definitions differ, the atlas never adds or averages figures of different "
            "organisations. The atlas's own records count `killed` as the lowest total across their sources.")

st.header("Known gaps")
st.markdown("\n".join(f"- {line}" for line in sources.GAPS))

st.header("Revisions and disagreements")
st.markdown("\n".join(f"- {line}" for line in sources.DISAGREEMENTS))
revised = sources.revisions(atlas.figures)
widgets.table(revised)
widgets.csv_download(revised, "revised-figures.csv", key="download_revisions")
st.subheader("Figures to use with care")
careful = sources.doubtful(atlas.figures)
widgets.table(careful)
widgets.csv_download(careful, "figures-to-use-with-care.csv", key="download_doubtful")

st.header("Boundaries")
st.markdown(sources.BOUNDARY_NOTE)

st.header("Incident records and their sources")
incidents = sources.incident_sources(atlas.incidents)
widgets.table(incidents)
widgets.csv_download(incidents, "incident-sources.csv", key="download_incident_sources")

st.header("Fields")
for title, fields, name in (("Incidents (data/incidents.csv)", schema.INCIDENT_FIELDS, "incident"),
                            ("Published figures (data/figures.csv)", schema.FIGURE_FIELDS, "figure")):
    st.subheader(title)
    fields_table = sources.schema_table(fields)
    widgets.table(fields_table)
    widgets.csv_download(fields_table, f"{name}-fields.csv", key=f"download_{name}_fields")
