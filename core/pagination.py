"""Page numbers read from query parameters, for listings served a page at a time."""

# Beyond any real listing; keeps a forged page number inside the database's integer range.
MAX_PAGE_NUMBER = 10_000


def page_number(params, name: str = "page") -> int:
    """The page `params` (a request's GET) ask for, from 1 to MAX_PAGE_NUMBER; 1 when it is not
    a number."""
    try:
        return min(max(int(params.get(name, 1)), 1), MAX_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1
