"""Class breaks and colours for choropleths, and the matching legend.

Breaks come from mapclassify's Fisher-Jenks natural breaks when there are more distinct values
than classes, else one class per distinct value. The palette is ColorBrewer YlOrRd, which stays
ordered for the common colour-vision deficiencies. Missing values get no colour at all (the map
draws them as "no data"), so a missing figure can never look like zero.
"""

import html
import math
import warnings

import mapclassify
import numpy as np

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
# ColorBrewer Purples for border regions, so they never read as the provinces' colour scale.
BORDER_PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
NO_DATA_LABEL = "no data"


def _known(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[~np.isnan(array)]


def class_breaks(values, k: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to ``k`` classes over the known values (empty when none is known)."""
    known = _known(values)
    distinct = np.unique(known)
    if len(distinct) == 0:
        return []
    if len(distinct) <= k:
        return [float(v) for v in distinct]
    with warnings.catch_warnings():  # "Numba not installed": fine for the few dozen regions drawn
        warnings.simplefilter("ignore", UserWarning)
        bins = mapclassify.FisherJenks(known, k=k).bins
    return [float(b) for b in bins]


def colour_for(value, breaks: list[float], palette: tuple[str, ...] = PALETTE) -> str | None:
    """The palette colour of ``value``; None for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
        return None
    offset = len(palette) - len(breaks)  # few classes use the darker end, so they stay readable
    for index, upper in enumerate(breaks):
        if value <= upper:
            return palette[offset + index]
    return palette[-1]


def legend_html(breaks: list[float], title: str, digits: int = 0) -> str:
    """A small fixed legend: one swatch per class plus the "no data" swatch."""
    rows = []
    lower = None
    for upper in breaks:
        if lower is None:
            label = f"≤ {upper:,.{digits}f}" if len(breaks) > 1 and upper > 0 else f"{upper:,.{digits}f}"
        else:
            label = f"{lower:,.{digits}f} – {upper:,.{digits}f}"
        rows.append((colour_for(upper, breaks), label))
        lower = upper
    swatches = "".join(
        f"<div><span style='display:inline-block;width:14px;height:10px;background:{colour};"
        f"border:1px solid #777'></span> {html.escape(label)}</div>"
        for colour, label in rows
    )
    swatches += (
        "<div><span style='display:inline-block;width:14px;height:10px;background:#fff;"
        f"border:1px dashed #444'></span> {NO_DATA_LABEL}</div>"
    )
    return (
        "<div class='atlas-legend' style='position:fixed;bottom:24px;left:12px;z-index:9999;"
        "background:#fff;padding:6px 8px;border:1px solid #999;font:12px sans-serif'>"
        f"<b>{html.escape(title)}</b>{swatches}</div>"
    )
