"""Class breaks and colours for choropleths, and the matching legend.

Breaks are Fisher-Jenks natural breaks (computed here: the few dozen regions drawn need no
library, and mapclassify's import of scipy cost seconds on every cold start) when there are more
distinct values than classes, else one class per distinct value. The palette is ColorBrewer YlOrRd, which stays
ordered for the common colour-vision deficiencies. Missing values get no colour at all (the map
draws them as "no data"), so a missing figure can never look like zero.
"""

import html
import math

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
    return fisher_jenks(known, k)


def fisher_jenks(values, k: int) -> list[float]:
    """Upper bounds of the ``k`` classes that minimise the within-class sum of squared deviations
    (Fisher's exact optimisation; O(k n²), meant for the tens of regions on a map)."""
    data = np.sort(np.asarray(values, dtype=float))
    n = len(data)
    prefix = np.concatenate([[0.0], np.cumsum(data)])
    prefix_sq = np.concatenate([[0.0], np.cumsum(data * data)])

    def cost(i: int, j: int) -> float:  # squared deviations of data[i:j]
        total, count = prefix[j] - prefix[i], j - i
        return prefix_sq[j] - prefix_sq[i] - total * total / count

    best = np.full((k + 1, n + 1), np.inf)
    split = np.zeros((k + 1, n + 1), dtype=int)
    best[0, 0] = 0.0
    for classes in range(1, k + 1):
        for end in range(classes, n + 1):
            for start in range(classes - 1, end):
                candidate = best[classes - 1, start] + cost(start, end)
                if candidate < best[classes, end]:
                    best[classes, end], split[classes, end] = candidate, start
    bounds, end = [], n
    for classes in range(k, 0, -1):
        bounds.append(float(data[end - 1]))
        end = split[classes, end]
    return bounds[::-1]


def colour_for(value, breaks: list[float], palette: tuple[str, ...] = PALETTE) -> str | None:
    """The palette colour of ``value``; None for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
        return None
    offset = len(palette) - len(breaks)  # few classes use the darker end, so they stay readable
    for index, upper in enumerate(breaks):
        if value <= upper:
            return palette[offset + index]
    return palette[-1]


def legend_html(breaks: list[float], title: str, digits: int = 0, palette: tuple[str, ...] = PALETTE) -> str:
    """A small legend (the inside of the map's legend box): one swatch per class plus "no data"."""
    rows = []
    lower = None
    for upper in breaks:
        if lower is None:
            label = f"≤ {upper:,.{digits}f}" if len(breaks) > 1 and upper > 0 else f"{upper:,.{digits}f}"
        else:
            label = f"{lower:,.{digits}f} – {upper:,.{digits}f}"
        rows.append((colour_for(upper, breaks, palette), label))
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
    return f"<b>{html.escape(title)}</b>{swatches}"
