"""The public addresses that show a member — their profile and the members' directory — purged
from the proxy cache when their account changes (core/frontend_cache.py). The user model's app
sits at the bottom of the graph and knows no proxy: this app listens to its saves instead."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse

from core.frontend_cache import absolute_urls, purge_on_commit
from users.models import User

# Saves that change nothing a page shows: a login stamps last_login.
NOT_SHOWN_FIELDS = {"last_login", "password"}


def member_urls(member: User) -> list[str]:
    return absolute_urls([member.get_absolute_url(), reverse("members:directory")])


def _shows_nothing(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= NOT_SHOWN_FIELDS


@receiver(pre_save, sender=User, dispatch_uid="members_purge_renamed_profile")
def purge_renamed_profile(sender, instance: User, update_fields=None, **kwargs):
    """A member who changes their username moves their profile: the old address is purged too."""
    if instance.pk is None or _shows_nothing(update_fields):
        return
    old = User.objects.filter(pk=instance.pk).values_list("username", flat=True).first()
    if old and old != instance.username:
        old_url = reverse("members:profile", kwargs={"username": old})
        purge_on_commit(absolute_urls, [old_url])


@receiver(post_save, sender=User, dispatch_uid="members_purge_member_pages")
def purge_member_pages(sender, instance: User, created: bool, update_fields=None, **kwargs):
    if created or _shows_nothing(update_fields):
        return
    purge_on_commit(member_urls, instance)
