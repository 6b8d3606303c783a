"""Entry point: page config, navigation over pages/, and the footer naming the data sources."""

import streamlit as st

from pages.ui import session

st.set_page_config(page_title="Pakistan Security Atlas", page_icon=":world_map:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
        st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:"),
        st.Page("pages/border.py", title="Border", icon=":material/swap_horiz:"),
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
        st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:"),
    ]
)
navigation.run()
session.footer()
