"""Badge UIDs come from card readers in many spellings ("04a1b2", "04:A1:B2", "04-a1-b2");
they are stored and looked up in one: upper-case hex pairs joined by colons."""

import re

_SEPARATORS = re.compile(r"[\s:\-.]")
_HEX = re.compile(r"^[0-9A-F]+$")


def normalise_badge_uid(raw: str) -> str:
    compact = _SEPARATORS.sub("", raw or "").upper()
    if compact and _HEX.match(compact) and len(compact) % 2 == 0:
        return ":".join(compact[i : i + 2] for i in range(0, len(compact), 2))
    return (raw or "").strip()
