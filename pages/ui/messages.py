"""Text on screen that may quote visitors' files: Markdown neutralised, one readable error panel,
and messages kept across the rerun a callback triggers."""

import re

import streamlit as st

MARKDOWN = re.compile(r"([\\`*{}\[\]<>~$|]|(?<![^\W_])_|_(?![^\W_]))")
LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#+=-])")  # headings, lists, rules


def plain(text) -> str:
    """``text`` escaped so that Markdown shows it as typed (no link, image, emphasis, colour or
    heading); its lines are kept as line breaks."""
    lines = [LINE_START.sub(r"\1\\\2", MARKDOWN.sub(r"\\\1", line)) for line in str(text).splitlines()]
    return "  \n".join(lines)


def show_error(title: str, error: Exception) -> None:
    """One readable error panel instead of a stack trace; the error (which can quote a file's
    values) is shown as plain text."""
    st.error(f"**{title}**\n\n{plain(error)}")


def flash(key: str, kind: str, text: str) -> None:
    """Keep a message for the next run (callbacks run before the page is drawn)."""
    st.session_state[f"flash_{key}"] = (kind, text)


def show_flash(key: str) -> None:
    """Show (once) the message kept under ``key``, if any."""
    kind, text = st.session_state.pop(f"flash_{key}", (None, ""))
    if kind:
        getattr(st, kind)(text)
