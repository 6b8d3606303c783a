"""The sections of the Data page: import a file into the store, choose the datasets every page
shows, read each import report, remove (with undo) or correct stored records, and list the
records shown with their sources.

Only editors change data (geo/auth.py). The widgets for changes are disabled for viewers, but that
is a courtesy: each callback asks ``access.editor`` at the moment of the change, and the store
refuses a person who is not an editor, so a forged request changes nothing.

Dataset names, file names, record values and error texts come from visitors' files, and Streamlit
renders labels and messages as Markdown: every such text goes through ``plain`` first, so a name
like ``![t](http://tracker.example/ds.png)`` is shown as those characters and fetches nothing.
"""

import itertools

import pandas as pd
import streamlit as st

from geo import auth, export, importers, schema, store
from geo.importers import names
from geo.importers.report import ImportReport, counts_of
from geo.views import data as view
from pages.ui import access, cache, session, widgets
from pages.ui.messages import flash, plain, show_flash

LIMIT_MB = min(importers.MAX_BYTES // 2**20, st.get_option("server.maxUploadSize"))
SHOWN = ["dataset", "id", "occurred_on", "place", "province_id", "event_type", "killed", "link"]
LABELS = schema.labels(schema.INCIDENT_FIELDS)
DATASET_LABELS = {"name": "Dataset", "source_file": "Source file", "format": "Format",
                  "imported_at": "Imported at (UTC)", "imported_by": "Imported by", "rows": "Records"}
ACTIONS = {"remove": "remove a dataset", "undo_remove": "undo a removal"}  # Store method -> what it does


def save_upload(data: bytes, file_name: str, name: str, mapping: dict | None = None) -> None:
    """Import the file, then save it to the store as ``name`` (all or nothing), with a progress
    bar; the outcome is one success or one readable error, kept for the next run."""
    shown = plain(names.file_label(file_name))
    try:
        by = access.editor("import")
        name = names.check_import_name(name)
    except (auth.NotAllowed, ValueError) as error:
        hint = "" if isinstance(error, auth.NotAllowed) else " (type another name under *Save as*)"
        flash("upload", "error", f"**{shown} was not saved**: {plain(error)}{hint}.")
        return
    bar, stage = st.progress(0.0, text=f"Reading {plain(file_name)}…"), itertools.count(1)
    saving = "Saving record {:,} of {:,}"
    try:
        result = importers.import_bytes(data, file_name, mapping=mapping, dataset=name,
                                        progress=lambda text: bar.progress(0.1 * next(stage), text=plain(text)))
        rows = cache.atlas_store().add_dataset(
            name, result.savable().incidents, names.file_label(file_name), result.report.layout,
            result.report.to_dict(), by=by,
            progress=lambda done, total: bar.progress(0.3 + 0.7 * done / max(total, 1), saving.format(done, total)))
    except importers.NeedsMapping as error:
        st.session_state["needs_mapping"] = (file_name, error.missing, error.columns)
        return
    except store.DatasetExists as error:
        flash("upload", "error", f"**{shown} was not saved**: {plain(error)} (type the name under *Save as*).")
        return
    except Exception as error:  # noqa: BLE001 - a user's file must never show a stack trace
        flash("upload", "error", f"**{shown} could not be imported**\n\n{plain(error)}")
        return
    finally:
        bar.empty()
    st.session_state.pop("needs_mapping", None)
    cache.forget()
    flash("upload", "success", f"Saved {shown} as **{plain(name)}**: {rows:,} records. It is shown on every page.")


def upload_section(who: auth.Person) -> None:
    upload = st.file_uploader("Incident file", type=["csv", "tsv", "txt", "zip", "geojson", "json"], key="upload",
                              disabled=not who.is_editor)
    typed = st.text_input("Save as", key="dataset_name", placeholder="the file name without its extension",
                          help="The dataset's name; each record's popup and the tables show it.",
                          disabled=not who.is_editor)
    if upload is None:
        return
    name = names.upload_name(upload.name, typed)
    done = st.session_state.setdefault("uploads_done", set())
    if (upload.file_id, name) not in done:
        done.add((upload.file_id, name))
        save_upload(upload.getvalue(), upload.name, name)
    pending = st.session_state.get("needs_mapping")
    if pending and pending[0] == upload.name:
        st.warning(f"The layout of {plain(upload.name)} was not recognised. Say which column holds what.")
        with st.form("mapping"):
            choice = {role: st.selectbox(role, ["", *pending[2]], key=f"map_{role}") for role in importers.ROLES}
            if st.form_submit_button("Import with this mapping"):
                save_upload(upload.getvalue(), upload.name, name, {r: c for r, c in choice.items() if c})
                st.rerun()  # redraw without this form when the mapping worked; the outcome is kept
    show_flash("upload")


def change(action: str, name: str) -> None:
    """Remove a dataset or undo its removal (a button callback), if the visitor is an editor now."""
    try:
        getattr(cache.atlas_store(), action)(name, by=access.editor(ACTIONS[action]))
    except (store.StoreError, auth.NotAllowed) as error:
        flash("datasets", "error", plain(error))
        return
    cache.forget()
    done = "removed: it is deleted for good when the app restarts" if action == "remove" else "is back"
    flash("datasets", "success", f"**{plain(name)}** {done}.")


def dataset_panel(row, who: auth.Person) -> None:
    """One imported dataset: who imported it, its import report (counts, problems, CSV), its
    latest changes and the remove button."""
    with st.expander(f"{plain(row.name)}: {row.rows:,} records from {plain(row.source_file)}", expanded=True):
        st.caption(f"Format {row.format}. {plain(view.provenance_line(row))}")
        for column, (label, value) in zip(st.columns(4), counts_of(row.report).items(), strict=False):
            column.metric(label.capitalize(), value)
        report = ImportReport.from_dict(row.report)
        widgets.table(report.to_frame(), key=f"report_{row.name}")
        st.download_button("Download report (CSV)", report.to_csv(),
                           file_name=f"{row.name}-import-report.csv", mime="text/csv", on_click="ignore",
                           key=f"download_report_{row.name}")
        widgets.table(view.activity_table(cache.dataset_activity(row.name)), key=f"activity_{row.name}",
                      placeholder="no changes recorded")
        sure = st.checkbox(f"I understand that {plain(row.name)} disappears from every page", key=f"sure_{row.name}",
                           disabled=not who.is_editor)
        st.button("Remove this dataset", key=f"remove_{row.name}", disabled=not (sure and who.is_editor),
                  on_click=change, args=("remove", row.name))


def datasets_section(stored, removed, who: auth.Person) -> None:
    st.header("Datasets")
    options = [cache.shipped_label(), *stored["name"]]
    # No default in a run where session.shown_datasets set the value (Streamlit warns about both).
    default = None if st.session_state.pop(session.SHOWN_SET, False) else options
    st.multiselect("Shown on every page", options, default=default, key=session.SHOWN_KEY, bind="query-params",
                   persist_state="session", help="Map, Trends, Border and Sources show the records of these.")
    show_flash("datasets")
    for row in removed.itertuples():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.warning(f"**{plain(row.name)}** was removed by {plain(view.done_by(row.removed_by))}. "
                     "It is deleted for good when the app restarts.")
        right.button("Undo", key=f"undo_{row.name}", on_click=change, args=("undo_remove", row.name),
                     disabled=not who.is_editor)
    shipped = cache.atlas().incidents
    widgets.table(view.listed(stored, cache.shipped_label(), cache.shipped_file(), len(shipped)),
                  key="datasets_table", column_config=DATASET_LABELS)
    st.caption(f"**{cache.shipped_label()}** is the data the atlas ships with. It is read-only here: its "
               "records are corrected in the file, with their sources, by the maintainers.")
    for row in stored.itertuples():
        dataset_panel(row, who)


def correct(name: str, record_id: str, current) -> None:
    """Apply the correction form (a submit callback); the outcome is kept for the next run."""
    state = st.session_state
    typed = {field: state[key] for field in state["correct_fields"] if (key := value_key(record_id, field)) in state}
    try:
        by = access.editor("correct")  # first: a visitor who is no editor learns nothing more
        changes = view.changed_values(current, typed)
        if not changes:
            flash("correct", "info", "Nothing to save: the values typed are the record's values.")
            return
        changed = cache.atlas_store().correct(name, record_id, changes, state["correct_reason"], by=by)
    except (ValueError, auth.NotAllowed) as error:  # StoreError and RecordsError are ValueErrors
        flash("correct", "error", f"**The correction was not saved.**\n\n{plain(error)}")
        return
    cache.forget()
    state["correct_reason"] = ""
    flash("correct", "success", f"Saved: {plain('; '.join(f'{f} {old} → {new}' for f, old, new in changed))}.")


def value_key(record_id: str, field: str) -> str:
    return f"correct_{record_id}_{field}"


def correction_form(name: str, record_id: str, current, who: auth.Person) -> None:
    """Pick the fields to change (related ones together, e.g. killed with killed_low), type the
    new values and the reason, save (editors only)."""
    now = dict(zip(current["field"], current["value"], strict=True))
    fields = st.multiselect("Fields to change", view.EDITABLE_FIELDS, format_func=LABELS.get,
                            key="correct_fields", help="Rules tie some fields together: change killed with "
                            "killed_low, lon with lat and location_precision.")
    with st.form("correct"):
        for field in fields:
            st.text_input(f"{LABELS[field]} (now: {plain(now[field]) or 'empty'})", value=now[field],
                          key=value_key(record_id, field), help="Empty = no value. Dates as 2024-03-31.")
        st.text_input("Reason (required)", key="correct_reason", help="The source or error that motivates it.")
        st.form_submit_button("Save correction", on_click=correct, args=(name, record_id, current),
                              disabled=not who.is_editor)


def correction_section(stored, who: auth.Person) -> None:
    st.header("Correct a record")
    if stored.empty:
        st.info("Import a dataset to correct its records; the shipped data is read-only.")
        return
    name = st.selectbox("Dataset", list(stored["name"]), key="correct_dataset")
    record_id = st.text_input("Record ID", key="correct_id", help="The id column of the records table below.")
    show_flash("correct")
    current = view.record_values(cache.stored_incidents(name), record_id)
    if not record_id or current.empty:
        if record_id:
            st.warning(f"{plain(name)} has no record with the ID {plain(repr(record_id))}.")
        return
    left, right = st.columns(2)
    widgets.table(current, left, key="record_values")
    history = view.history_table(cache.atlas_store().history(name, record_id))
    widgets.table(history, right, key="record_history", placeholder="no corrections yet")
    right.caption(plain(view.history_line(history)))
    correction_form(name, record_id, current, who)


def records_section(atlas) -> None:
    st.header("Records shown")
    table = pd.DataFrame(atlas.incidents).drop(columns="geometry").assign(
        link=lambda frame: frame["sources"].str.split(" | ", regex=False).str[0])
    widgets.table(table[SHOWN], key="records", column_config={"link": st.column_config.LinkColumn("Source")})
    st.download_button("Download these records (CSV)", lambda: export.to_csv(table.drop(columns="link")),
                       file_name="atlas-records.csv", mime="text/csv", on_click="ignore", key="download_all")
