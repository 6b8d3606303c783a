"""Pakistan Security Atlas: pure-Python core (data loading, geometry, summaries, map builders).

Nothing in this package imports Streamlit; the pages in ``pages/`` are thin wrappers around it.
"""
