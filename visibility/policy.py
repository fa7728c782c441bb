"""Who may see what: the questions every surface of Carnet asks, answered by the registered rules.

Pages, listings, search, the API, feeds, sitemaps, exports and media files all ask here (or the
owning app's `visibility.py` for its own querysets: `projects_visible_to`, `tribes_shown_to`…).
The rules themselves live with the types they are about, registered in `visibility.registry`
from each app's `<app>/visibility.py`; this module names no app's types. A type with no rule is
refused everywhere (docs/visibility.md). Nothing else filters on visibility, and templates never
do. Public-only surfaces (API v2, feeds, sitemaps) ask what an anonymous visitor sees: `public()`.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from wagtail.models import get_page_models

from users.roles import is_active_member, is_staff

from . import registry
from .registry import PUBLIC_AUDIENCE, VisibilityRule


def _rule_of(obj) -> VisibilityRule | None:
    if not isinstance(obj, Model):
        raise TypeError(f"No visibility rule for {type(obj).__name__}: not a model")
    return registry.rule_for(type(obj))


def can_view(user, obj) -> bool:
    rule = _rule_of(obj)
    return rule is not None and rule.can_view(user, obj)


def visible_to(user, model: type[Model]) -> QuerySet:
    rule = registry.rule_for(model)
    return model._default_manager.none() if rule is None else rule.visible_to(user)


def public(model: type[Model]) -> QuerySet:
    return visible_to(AnonymousUser(), model)


def pages_public(pages: QuerySet) -> QuerySet:
    """The pages of `pages` that public surfaces (the pages API, the sitemap) may show: those of a
    type whose rule serves pages, and public by that rule. Pages of any other type are left out."""
    served: dict[VisibilityRule, list] = {}
    for model in get_page_models():
        rule = registry.rule_for(model)
        if rule is not None and rule.serves_pages:
            served.setdefault(rule, []).append(model)
    if not served:
        return pages.none()
    content_types = ContentType.objects.get_for_models(
        *(model for models in served.values() for model in models), for_concrete_models=False
    )
    allowed = (
        Q(
            content_type__in=[content_types[model].pk for model in models],
            pk__in=rule.public().values("pk"),
        )
        for rule, models in served.items()
    )
    return pages.filter(reduce(or_, allowed))


# Media files --------------------------------------------------------------------------------
# A photo or a file is as visible as what uses it, and public only when something public does.
# Each app registers what of its types uses photos or files (`registry.MediaUse`: a project's
# photos and files, a tribe's logo, a machine's photo…). A photo or file that nothing uses (an
# upload whose form was never sent, a row left behind) is private: staff and the member who
# uploaded it. Each rule is a queryset, so the media view, the API and the per-object checks ask
# the same question, each in one query.


def _any(filters) -> Q:
    """Any of `filters`; none of them: no row."""
    filters = list(filters)
    return reduce(or_, filters) if filters else Q(pk__in=[])


def _media_filter(user, media: type[Model]) -> Q:
    uses = registry.media_uses(media)
    rule = _any(use.visible_to(user) for use in uses)
    if is_active_member(user):
        rule |= Q(uploaded_by_user=user) & ~_any(use.used() for use in uses)
    return rule


class MediaRule(VisibilityRule):
    """Photos or files (an image or document model): as visible as what uses them."""

    def can_view(self, user, obj) -> bool:
        return is_staff(user) or self.visible_to(user).filter(pk=obj.pk).exists()

    def visible_to(self, user) -> QuerySet:
        rows = self.model._default_manager.all()
        return rows if is_staff(user) else rows.filter(_media_filter(user, self.model))


def media_access(user, queryset: QuerySet, *, ref: str = "pk") -> list[tuple[bool, bool]]:
    """For each row of `queryset` (photos, files, or renditions with ref="image"): (may `user`
    see the photo or file it refers to, may shared caches keep it), all in one query."""
    model = queryset.model._meta.get_field(ref).related_model if ref != "pk" else queryset.model
    field = "pk" if ref == "pk" else f"{ref}_id"
    rows = queryset.annotate(
        visible=Exists(visible_to(user, model).filter(pk=OuterRef(field))),
        public=Exists(public(model).filter(pk=OuterRef(field))),
    ).values_list("visible", "public")
    return [(bool(visible), bool(visible and public)) for visible, public in rows]


# Search audiences ---------------------------------------------------------------------------
# Search indexes cannot call can_view() for every hit, so each indexed object carries the
# tokens of the people who may see it, and each reader the tokens they hold: a hit is shown when
# the two sets meet. For every non-staff user and object,
# can_view(user, obj) == bool(audiences_for(obj) & audiences_of(user)); the tests check it.

# The name of search terms that carry audiences (search.models.SearchTerm).
AUDIENCE_TERM = "audience"


def audiences_for(obj) -> set[str]:
    """The tokens of the people who may see `obj`; none for a type without a rule."""
    rule = _rule_of(obj)
    return set() if rule is None else rule.audiences(obj)


def audiences_of(user) -> set[str] | None:
    """The tokens this reader holds; None for staff, who see everything."""
    if is_staff(user):
        return None
    if not is_active_member(user):
        return {PUBLIC_AUDIENCE}
    tokens = {PUBLIC_AUDIENCE, f"user:{user.pk}"}
    for rule in registry.rules():
        tokens |= rule.reader_audiences(user)
    return tokens
