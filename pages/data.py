"""Data page: import your own incident file into the store, choose the datasets every page shows,
read each import report, remove (with undo) or correct stored records, see every record's source
and who changed what. The sections, and who may use them, are in pages/ui/data_page.py."""

import streamlit as st

from pages.ui import access, cache, data_page, session

st.title("Your data")
st.caption(f"Import CSV, TSV, zipped CSV or GeoJSON files of up to {data_page.LIMIT_MB} MB. ACLED, UCDP GED, GTD, "
           "the Kaggle Pakistan suicide/drone files and the atlas's own layout are recognised by their columns; for "
           "other tables, map the columns. Imports are saved and shown on every page until you remove them.")
who = access.access_panel()
data_page.upload_section(who)
atlas = session.load_or_stop()
try:
    stored, removed = cache.stored_datasets(), cache.stored_datasets(removed=True)
except Exception:  # noqa: BLE001 - load_or_stop has already said why the store is unreadable
    st.stop()
data_page.datasets_section(stored, removed, who)
data_page.correction_section(stored, who)
data_page.records_section(atlas)
