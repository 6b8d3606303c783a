"""Data page: import your own incident file, read the import report, see every record and its source."""

import pandas as pd
import streamlit as st

from geo import export, importers, records
from pages import shared

LIMIT_MB = 200  # Streamlit's default upload limit (server.maxUploadSize)
REPORT_COLUMNS = ["row", "action", "column", "value", "reason"]

st.title("Bring your own data")
st.caption(f"CSV, TSV, zipped CSV or GeoJSON, up to {LIMIT_MB} MB. ACLED, UCDP GED, GTD, the Kaggle Pakistan "
           "suicide/drone files and the atlas's own layout are recognised by their columns; for other tables, "
           "map the columns below.")
datasets = st.session_state.setdefault("datasets", {})
upload = st.file_uploader("Incident file", type=["csv", "tsv", "txt", "zip", "geojson", "json"], key="upload")


def run_import(data: bytes, name: str, mapping: dict | None = None) -> None:
    """Import ``data`` into session_state["datasets"]; a readable error instead of a traceback."""
    try:
        result = importers.import_bytes(data, name, mapping=mapping)
    except importers.NeedsMapping as error:
        st.session_state["needs_mapping"] = (name, error.missing, error.columns)
        return
    except Exception as error:  # noqa: BLE001 - a user's file must never show a stack trace
        shared.show_error(f"{name} could not be imported", error)
        return
    st.session_state.pop("needs_mapping", None)
    datasets[result.report.source] = {"incidents": result.incidents, "report": result.report}


if upload is not None and upload.name not in datasets:
    run_import(upload.getvalue(), upload.name)

pending = st.session_state.get("needs_mapping")
if upload is not None and pending and pending[0] == upload.name:
    name, missing, columns = pending
    st.warning(f"The layout of {name} was not recognised. Say which column holds what.")
    with st.form("mapping"):
        choice = {role: st.selectbox(role, [""] + columns, key=f"map_{role}") for role in importers.ROLES}
        if st.form_submit_button("Import with this mapping"):
            run_import(upload.getvalue(), name, {r: c for r, c in choice.items() if c})

for name, entry in datasets.items():
    report = entry["report"]
    st.subheader(f"Dataset: {name}")
    for column, (label, value) in zip(st.columns(4), report.counts().items(), strict=True):
        column.metric(label.capitalize(), value)
    st.dataframe(report.to_frame(), hide_index=True, key=f"report_{name}")
    st.download_button("Download report (CSV)", report.to_csv(), file_name=f"{name}-import-report.csv",
                       mime="text/csv", on_click="ignore", key=f"download_report_{name}")

st.subheader("Current records")
try:
    frames = [records.load_incidents().assign(dataset=shared.SHIPPED_DATASET)]
except (ValueError, OSError) as error:
    shared.show_error("The shipped records could not be loaded", error)
    frames = []
frames += [entry["incidents"] for entry in datasets.values()]
table = pd.DataFrame(pd.concat(frames, ignore_index=True)).drop(columns="geometry") if frames else pd.DataFrame()
if not table.empty:
    table["link"] = table["sources"].str.split(" | ", regex=False).str[0]
    shown = ["dataset", "id", "occurred_on", "place", "province_id", "event_type", "killed", "link"]
    st.dataframe(table[shown], hide_index=True, column_config={"link": st.column_config.LinkColumn("Source")})
    st.download_button("Download all records (CSV)", export.to_csv(table.drop(columns="link")),
                       file_name="atlas-records.csv", mime="text/csv", on_click="ignore", key="download_all")
