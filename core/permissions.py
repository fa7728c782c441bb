"""Permission pieces several apps' admin menus share."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadMostlyPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus the actions the admin must not offer (the front end
    and the services make those changes)."""

    def __init__(self, model, *, refused: set[str]):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.refused])
