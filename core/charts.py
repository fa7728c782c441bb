"""Bar charts, drawn in SVG by {% bar_chart %} (core/templatetags/chart_tags.py): the statistics'
plots and the machines' documentation rate."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone

# The geometry, in SVG units (as templates/components/bar_chart.html): one column per bar, bars
# up to BAR_MAX high standing on BAR_BASE.
COLUMN_WIDTH, BAR_MAX, BAR_BASE = 100, 150, 175
# A column is never drawn narrower than this on screen (the labels' text scales with it).
COLUMN_MIN_PIXELS = 70


@dataclass(frozen=True)
class Bar:
    index: int
    label: str
    value: int
    maximum: int
    text: str  # the value as written above the bar
    detail: str  # the bar's tooltip

    @property
    def x(self) -> int:
        return self.index * COLUMN_WIDTH

    @property
    def height(self) -> int:
        return round(BAR_MAX * self.value / self.maximum) if self.maximum else 0

    @property
    def y(self) -> int:
        return BAR_BASE - self.height


def bar_chart(
    pairs: list[tuple[str, int]],
    *,
    maximum: int | None = None,
    suffix: str = "",
    details: list[str] | None = None,
) -> list[Bar]:
    """One bar per (label, value), as high as the value against `maximum` (default: the largest
    value). A bar's tooltip shows its detail, by default "label: value"."""
    top = maximum if maximum is not None else max((value for _label, value in pairs), default=0)
    bars = []
    for index, (label, value) in enumerate(pairs):
        text = f"{value}{suffix}"
        detail = details[index] if details else f"{label}: {text}"
        bars.append(Bar(index, label, value, top, text, detail))
    return bars


def chart_width(bars: list[Bar]) -> int:
    return max(len(bars), 1) * COLUMN_WIDTH


def chart_pixel_width(bars: list[Bar]) -> int:
    """The chart's narrowest width on screen, in CSS pixels: below it the labels would shrink
    past reading and collide, so a narrow screen scrolls the chart sideways instead."""
    return max(len(bars), 1) * COLUMN_MIN_PIXELS


def month_label(month: date | datetime) -> str:
    """A month as a bar's label, "Jan 2026" (a datetime in the current time zone, as a template
    shows it)."""
    if isinstance(month, datetime) and timezone.is_aware(month):
        month = timezone.localtime(month)
    return formats.date_format(month, "M Y")
