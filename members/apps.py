from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Members' pages: the directory, public profiles and the Contact button. The accounts
    themselves (the User model, sign-up, login) stay in users, at the bottom of the graph."""

    name = "members"

    def ready(self):
        from . import (
            cache,  # noqa: F401 - purges the proxy cache when a member's profile changes
            visibility,  # noqa: F401 - registers the visibility rules of its types
        )
