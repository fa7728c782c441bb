"""Secrets handed out once (invitation links, machine event tokens) are kept only as a digest:
a leaked database gives nobody a working link or token."""

import hashlib
import hmac


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(digest: str, secret: str) -> bool:
    """Whether `secret` is the one `digest` was made from, in constant time."""
    return bool(digest and secret) and hmac.compare_digest(digest, secret_digest(secret))
