"""The page of a staff table that staff ask for (issue 15): which rows, in which order, matching
which search. Staff tables page on the server so that a task of 10,000 learners answers 50 rows
as fast as a task of 12; each table names its own sort columns.
"""
from ..errors import BadRequest
from ..i18n import N_, Text, gettext

# The rows per page unless asked, the most a page may have, the longest search.
PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH = 150


def page_query(data, sorts: tuple[str, ...], default_sort: str, default_order: str = "asc") -> dict:
    """The page asked for: `{"page", "per_page", "sort", "order", "search"}`, each optional (the
    first page of PER_PAGE rows by `default_sort` unless asked); 400 with a code for a value that
    is not one of them."""
    data = data if isinstance(data, dict) else {}

    def whole(name, default, low, high, code):
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise BadRequest(Text(N_("`%(name)s` must be a whole number from %(low)s to %(high)s."),
                                  {"name": name, "low": low, "high": high}).render(), code)
        return value

    page = whole("page", 1, 1, 10**9, "bad_page")
    per_page = whole("per_page", PER_PAGE, 1, MAX_PER_PAGE, "bad_per_page")
    sort = data.get("sort", default_sort)
    if sort not in sorts:
        raise BadRequest(Text(N_("`sort` must be one of: %(columns)s."), {"columns": ", ".join(sorts)}).render(),
                         "bad_sort")
    order = data.get("order", default_order)
    if order not in ("asc", "desc"):
        raise BadRequest(gettext("`order` must be asc or desc."), "bad_order")
    search = data.get("search", "")
    if not isinstance(search, str) or len(search) > MAX_SEARCH:
        raise BadRequest(Text(N_("`search` must be text of at most %(n)s characters."), {"n": MAX_SEARCH}).render(),
                         "bad_search")
    return {"page": page, "per_page": per_page, "sort": sort, "order": order, "search": search.strip()}


def page_bounds(query: dict, total: int) -> tuple[int, int, int]:
    """(the page shown, its first row's index, the number of pages) for `total` matching rows: a
    page past the end (a search shrank the list) shows the last one."""
    pages = _pages(query, total)
    page = min(query["page"], pages)
    return page, (page - 1) * query["per_page"], pages


def _pages(query: dict, total: int) -> int:
    return max(1, -(-total // query["per_page"]))


def page_fields(query: dict, page: int, total: int, sorts: tuple[str, ...]) -> dict:
    """The fields every paged staff answer carries beside its rows."""
    return {"page": page, "per_page": query["per_page"], "total": total,
            "pages": _pages(query, total),
            "sort": query["sort"], "order": query["order"], "search": query["search"],
            "sorts": list(sorts)}
