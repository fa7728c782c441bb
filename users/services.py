"""Writes about accounts: sign-up, the member's own profile, stored avatars. Messages between
members are sent by members.services."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from core.image_files import StoredImageOutcome, clean_image_upload, stored_file_clean

from .models import User

# Room for a number ("-12") within the 150 characters of a username.
USERNAME_BASE_MAX_LENGTH = 140


def username_from_name(name: str) -> str:
    """A username nobody has yet, made from a display name: "Léa Martin" gives lea-martin,
    then lea-martin-2… A name with no Latin letter keeps its own script ("Ольга Петрова" gives
    ольга-петрова), so every name gives a username."""
    slug = slugify(name) or slugify(name, allow_unicode=True)
    base = slug[:USERNAME_BASE_MAX_LENGTH].strip("-") or "member"
    username, counter = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username = f"{base}-{counter}"
        counter += 1
    return username


# Two members with the same name signing up at the same instant draw the same username.
USERNAME_ATTEMPTS = 5


def user_create(
    *,
    email: str,
    password: str,
    display_name: str = "",
    username: str = "",
    language: str = "",
) -> User:
    """Create an account. Without a username, one is made from the display name (drawn again
    if someone took it meanwhile); without a language, the site's."""
    attempt = 1
    while True:
        user = User(
            username=username or username_from_name(display_name),
            email=email,
            display_name=display_name,
            language=language or settings.LANGUAGE_CODE,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if username or attempt == USERNAME_ATTEMPTS:
                raise
            attempt += 1
        else:
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
