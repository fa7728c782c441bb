"""The visibility rules of each type, registered by the app that owns the type.

Each app declares the rules of its own models in `<app>/visibility.py`, imported from its
`AppConfig.ready()`, the way Wagtail's apps register their permission policies. The policy, the
pages API, the sitemap and search audiences ask this registry and never name an app's types, so
this module imports no app. A model is looked up along its class's MRO (a page subclass follows
its parent's rule); **a model with no rule is refused everywhere**: `can_view` is false, search
gives it no audience, the API does not serve it and the sitemap does not list it. An open type
(the home page, an index page) is registered with `OpenPageRule`: open is a decision too.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

# The audience every reader holds: an object with it is public in search.
PUBLIC_AUDIENCE = "public"


@dataclass(frozen=True)
class MediaUse:
    """Photos or files a type uses (a tribe's logo, a project's photos and files), and which of
    them a reader may see. The policy composes the media rules from every registered use."""

    # The media model these rows are (CarnetImage or CarnetDocument, or their Wagtail base).
    media: type[Model]
    # A filter on the media model: the rows this type uses.
    used: Callable[[], Q]
    # A filter on the media model: the rows of `used` the reader (the argument) may see.
    visible_to: Callable[[object], Q]


class VisibilityRule:
    """Who may see the objects of one model. Every answer refuses unless a rule says otherwise."""

    # May the public pages API and the sitemap serve this type's pages (the `public()` ones)?
    serves_pages = False

    def __init__(self, model: type[Model]):
        self.model = model

    def can_view(self, user, obj) -> bool:
        return False

    def visible_to(self, user) -> QuerySet:
        return self.model._default_manager.none()

    def public(self) -> QuerySet:
        """What an anonymous visitor sees: what public surfaces (API, feeds, sitemap) show."""
        return self.visible_to(AnonymousUser())

    def audiences(self, obj) -> set[str]:
        """The search tokens of the people who may see `obj` (none: only staff find it)."""
        return set()

    def reader_audiences(self, user) -> set[str]:
        """The tokens `user`, an active member, holds because of this type ("tribe:4"…)."""
        return set()

    def media_uses(self) -> list[MediaUse]:
        return []


class OpenPageRule(VisibilityRule):
    """A page anyone may see once published: the home page, index pages."""

    serves_pages = True

    def can_view(self, user, obj) -> bool:
        return obj.live

    def visible_to(self, user) -> QuerySet:
        return self.model._default_manager.filter(live=True)

    def audiences(self, obj) -> set[str]:
        return {PUBLIC_AUDIENCE} if obj.live else set()


_rules: dict[type[Model], VisibilityRule] = {}


def register(rule: VisibilityRule) -> VisibilityRule:
    """Register `rule` for its model; a model has one rule."""
    if rule.model in _rules and _rules[rule.model] is not rule:
        raise ValueError(f"{rule.model.__name__} already has a visibility rule")
    _rules[rule.model] = rule
    return rule


def rule_for(model: type[Model]) -> VisibilityRule | None:
    """The rule of `model` or of its nearest registered parent class; None: refused."""
    for cls in model.__mro__:
        if cls in _rules:
            return _rules[cls]
    return None


def rules() -> Iterator[VisibilityRule]:
    return iter(list(_rules.values()))


def media_uses(media: type[Model]) -> list[MediaUse]:
    """Every registered use of the photos or files of `media`."""
    return [use for rule in rules() for use in rule.media_uses() if issubclass(media, use.media)]
