"""The demo showcases: selections of the demo's public projects with the curator's notes, one
featured on the home page. Written through showcases.services, as staff would publish them. A
showcase that already exists (by title) is left alone, so loading twice creates nothing twice.
Run after the projects and tribes."""

from collections.abc import Iterator

from home.models import HomePage
from home.services import home_featured_showcase_set
from projects.models import ProjectPage
from showcases.models import ShowcasePage
from showcases.services import showcase_create
from users.models import User

from ..reader import DemoContent, DemoShowcase


def showcases_size(content: DemoContent) -> int:
    """What load_showcases() yields, for the progress bar."""
    return len(content.showcases) + any(showcase.featured for showcase in content.showcases)


def load_showcases(content: DemoContent) -> Iterator[tuple[str, bool]]:
    """Create the demo showcases and feature one; yield (label, created) for each."""
    featured = None
    for demo in content.showcases:
        showcase, created = _showcase(demo, curator=_curator(demo))
        if demo.featured:
            featured = showcase, demo
        yield demo.title, created
    if featured is not None:
        showcase, demo = featured
        yield "Vitrine à la une", _feature(showcase, curator=_curator(demo))


def _curator(demo: DemoShowcase) -> User:
    curator = User.objects.filter(username=demo.curator).first()
    if curator is None:
        raise LookupError(f"Demo showcases need the member {demo.curator}: load the members first.")
    return curator


def _showcase(demo: DemoShowcase, *, curator: User) -> tuple[ShowcasePage, bool]:
    existing = ShowcasePage.objects.filter(title=demo.title).first()
    if existing is not None:
        return existing, False
    titles = [title for title, _note in demo.items]
    projects = {
        project.title: project
        for project in ProjectPage.objects.filter(title__in=titles).select_related("cover_image")
    }
    if missing := set(titles) - set(projects):
        raise LookupError(f"Demo showcases need projects {sorted(missing)}: load them first.")
    first = projects[titles[0]]
    showcase = showcase_create(
        user=curator,
        title=demo.title,
        intro=demo.intro,
        hero_image=first.cover_image,
        items=[(projects[title], note) for title, note in demo.items],
    )
    return showcase, True


def _feature(showcase: ShowcasePage, *, curator: User) -> bool:
    home = HomePage.objects.get()
    if home.featured_showcase_id == showcase.pk:
        return False
    home_featured_showcase_set(user=curator, showcase=showcase)
    return True
