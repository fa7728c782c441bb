"""The home page is open to anyone once published. Registered with visibility.registry from
HomeConfig.ready(): open is a decision, not an omission."""

from visibility.registry import OpenPageRule, register

from .models import HomePage

register(OpenPageRule(HomePage))
