"""Figures of the explanation, rendered to PNG bytes with matplotlib's Agg backend.

* ``figures/shap_bar.png``: mean |attribution| per feature with its bootstrap interval;
* ``figures/shap_beeswarm.png``: shap's beeswarm (one dot per row and feature);
* ``figures/shap_groups_<attribute>.png``: mean attribution per group for the top features.

Labels are in the report's language. Output is deterministic: the beeswarm's jitter is seeded
and the PNG carries no software or date metadata.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from auditkit.i18n import locale_for, translate

if TYPE_CHECKING:
    from auditkit.explain._attributions import Attributions
    from auditkit.explain._drivers import FeatureImportance, GroupDrivers

__all__ = ["bar_figure", "beeswarm_figure", "figure_name", "group_figure"]

_PNG_METADATA: dict[str, Any] = {"Software": None}


def figure_name(kind: str, attribute: str | None = None) -> str:
    """File name of a figure inside the output folder."""
    if attribute is None:
        return f"figures/shap_{kind}.png"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", attribute).strip("_") or "attribute"
    return f"figures/shap_{kind}_{slug}.png"


def _pyplot() -> Any:
    import matplotlib

    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata=_PNG_METADATA)
    _pyplot().close(figure)
    return buffer.getvalue()


def _localise_numbers(ax: Any, lang: str) -> None:
    """Tick values of the value axis in the language's notation (``0,25`` in Portuguese)."""
    from babel.numbers import format_decimal
    from matplotlib.ticker import FuncFormatter

    locale = locale_for(lang)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: str(format_decimal(value, "#,##0.###", locale=locale)))
    )


def bar_figure(importance: Sequence[FeatureImportance], *, lang: str, top_k: int = 10) -> bytes:
    """Horizontal bars of mean |attribution| with the bootstrap interval as error bars."""
    plt = _pyplot()
    shown = list(importance[:top_k])[::-1]
    figure, ax = plt.subplots(figsize=(7, 0.45 * len(shown) + 1.2))
    means = np.array([f.mean_abs for f in shown])
    errors = np.array([[f.mean_abs - f.low for f in shown], [f.high - f.mean_abs for f in shown]])
    ax.barh([f.feature for f in shown], means, xerr=np.clip(errors, 0, None), color="#1E88E5")
    ax.set_xlabel(translate("explain.figure.mean_abs", lang))
    ax.set_title(translate("explain.figure.bar", lang))
    _localise_numbers(ax, lang)
    return _png(figure)


def beeswarm_figure(
    attributions: Attributions, *, lang: str, seed: int = 0, top_k: int = 10
) -> bytes:
    """shap's beeswarm plot of the explained rows."""
    from auditkit.explain._attributions import import_shap

    plt = _pyplot()
    shap = import_shap()
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        figure = plt.figure()
        with warnings.catch_warnings():
            # text columns have no numeric value to colour by: shap draws them grey
            warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
            shap.plots.beeswarm(
                attributions.to_shap(),
                max_display=top_k,
                show=False,
                color_bar_label=translate("explain.figure.feature_value", lang),
            )
        ax = figure.axes[0]
        ax.set_xlabel(translate("explain.figure.shap_value", lang))
        ax.set_title(translate("explain.figure.beeswarm", lang))
        translate_shap_labels(figure, lang)
        _localise_numbers(ax, lang)
        return _png(figure)
    finally:
        np.random.set_state(state)


# Texts shap draws in English with no option to change them: the colour bar's ends and the row
# that sums the features beyond max_display.
_SHAP_OTHERS = re.compile(r"^Sum of (\d+) other features?$")


def _shap_text(text: str, lang: str) -> str:
    if text in ("High", "Low"):
        return translate(f"explain.figure.{text.lower()}", lang)
    match = _SHAP_OTHERS.match(text)
    if match:
        return translate("explain.figure.other_features", lang, count=match.group(1))
    return text


def translate_shap_labels(figure: Any, lang: str) -> None:
    """Rewrite the English labels shap hard-codes (tick labels of every axes) into ``lang``.

    Tick labels are set again through ``set_*ticklabels`` (shap fixes the tick positions), so the
    translated texts survive the next draw.
    """
    for ax in figure.axes:
        for axis, ticks, setter in (
            ("y", ax.get_yticks(), ax.set_yticklabels),
            ("x", ax.get_xticks(), ax.set_xticklabels),
        ):
            labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
            texts = [label.get_text() for label in labels]
            shown = [_shap_text(text, lang) for text in texts]
            if shown != texts and len(labels) == len(ticks):
                ax.set_yticks(ticks) if axis == "y" else ax.set_xticks(ticks)
                setter(shown)


def group_figure(drivers: GroupDrivers, features: Sequence[str], *, lang: str) -> bytes:
    """Mean attribution of the given features in each group, side by side."""
    plt = _pyplot()
    index = [drivers.features.index(f) for f in features]
    figure, ax = plt.subplots(
        figsize=(7, 0.55 * len(index) * max(1, len(drivers.groups)) / 2 + 1.5)
    )
    height = 0.8 / max(1, len(drivers.groups))
    positions = np.arange(len(index))[::-1]
    for g, group in enumerate(drivers.groups):
        ax.barh(
            positions - 0.4 + height * (g + 0.5),
            drivers.mean[g, index],
            height=height,
            label=str(group),
        )
    ax.set_yticks(positions, [str(f) for f in features])
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(translate("explain.figure.mean_shap", lang))
    ax.set_title(translate("explain.figure.groups", lang, attribute=drivers.attribute))
    ax.legend(title=drivers.attribute, fontsize="small")
    _localise_numbers(ax, lang)
    return _png(figure)
