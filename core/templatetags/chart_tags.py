from django import template

from core.charts import chart_pixel_width, chart_width

register = template.Library()


@register.inclusion_tag("components/bar_chart.html")
def bar_chart(bars, *, title, chart_id, caption=""):
    """A bar chart of core.charts.bar_chart's bars, titled for screen readers; nothing when there
    are no bars."""
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "caption": caption,
        "width": chart_width(bars),
        "pixel_width": chart_pixel_width(bars),
    }
