from django.utils.translation import gettext_lazy as _

# The main sections, in the order of the header. Each later capability adds its own page.
NAVIGATION = [
    (_("Projects"), "/projects/"),
    (_("Tribes"), "/tribes/"),
    (_("Machines"), "/machines/"),
    (_("Members"), "/members/"),
    (_("Calls for projects"), "/calls/"),
    (_("Showcases"), "/showcases/"),
    (_("Search"), "/search/"),
]


def navigation(request):
    return {
        "navigation": [
            {"label": label, "url": url, "current": request.path.startswith(url)}
            for label, url in NAVIGATION
        ]
    }
