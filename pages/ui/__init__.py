"""The Streamlit helpers the pages share; with pages/ and app.py, the only code that imports
streamlit.

- ``cache``: cached wrappers of geo calls (the shipped data, the store's datasets, the Map view)
- ``session``: what every page does first (``load_or_stop``) and last (``footer``)
- ``widgets``: sidebar widgets, and the map, table, chart and download helpers
- ``messages``: Markdown-safe text, the error panel, messages kept across a rerun
- ``access``: sign-in and the editor check each change passes
- ``data_page``: the sections of the Data page (import, datasets, corrections, records)
"""
