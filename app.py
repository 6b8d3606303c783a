"""Entry point: page config, navigation over pages/, and the footer naming the data sources."""

import streamlit as st

from pages import shared

st.set_page_config(page_title="Pakistan Security Atlas", page_icon=":world_map:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    ]
)
navigation.run()
shared.footer()
