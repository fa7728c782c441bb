"""Writes about accounts: sign-up, the member's own profile, stored avatars. Messages between
members are sent by members.services."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.image_files import StoredImageOutcome, clean_image_upload, stored_file_clean

from .models import User


@transaction.atomic
def user_create(*, username: str, email: str, password: str, display_name: str = "") -> User:
    user = User(username=username, email=email, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_profile_update(*, user: User, skills=None, **fields) -> User:
    avatar = fields.get("avatar")
    if isinstance(avatar, UploadedFile):
        # Stored without location or other metadata, like every photo (docs/media.md).
        fields["avatar"] = clean_image_upload(avatar, name=avatar.name)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    if skills is not None:
        user.skills.set(list(skills))
    return user


@transaction.atomic
def user_avatar_clean_stored(*, user) -> StoredImageOutcome:
    """Rewrite an avatar stored before uploads were cleaned without its metadata (the
    `clean_stored_images` command). Idempotent: a clean avatar is left as it is."""
    if not user.avatar:
        return StoredImageOutcome.ALREADY_CLEAN
    outcome, old_name = stored_file_clean(user.avatar)
    if outcome is StoredImageOutcome.CLEANED:
        user.save(update_fields=["avatar"])
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return outcome
