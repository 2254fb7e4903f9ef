"""The query parameters of the list pages, read one way (tryout defect 9):

- `page` is a whole number from bounds.PAGE_MIN to bounds.PAGE_MAX (past the last page: the last page);
  anything else is a 400 naming the field in the reader's language, as the API answers 422;
- a filter form is bound only when the query names one of its fields (an unknown parameter such as `?year=abc`
  leaves it unbound, instead of blaming fields the reader never touched);
- a bad value where no form shows it (a page number, an export's filters) is the site's error page, 400, saying
  which field and why, never a bare text.

`BadQuery` raised by a view is answered by `BadQueryMiddleware`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from borderlink.core import bounds

_DIGITS = re.compile(r"[0-9]{1,7}")


class BadQuery(Exception):
    """A query parameter out of its bounds: {field label: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    if raw == "":
        return 1
    if _DIGITS.fullmatch(raw) and bounds.PAGE_MIN <= int(raw) <= bounds.PAGE_MAX:
        return int(raw)
    raise BadQuery({_("Page"): [_("Give a whole number from %(a)d to %(b)d.") % {"a": bounds.PAGE_MIN,
                                                                                  "b": bounds.PAGE_MAX}]})


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (a total the page already counted another way), so that it
    does not count them again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: set, it is never computed


class Later:
    """Rows built only when a page is sliced from them (`make()`: an ordered QuerySet), for a paginator that is told
    its count (CountedPaginator, InboxPaginator) and whose first pages come from elsewhere (core.prepared): building
    the ORM query is then skipped on the pages that do not need it (issue 19)."""

    ordered = True

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make
        self._built: Any = None

    def _rows(self) -> Any:
        if self._built is None:
            self._built = self.make()
        return self._built

    def __getitem__(self, key: Any) -> Later:
        """The slice, itself built only when read (a paginator slices every page it makes)."""
        return Later(lambda: self._rows()[key])

    def __iter__(self) -> Any:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())


class BoundedPaginator(Paginator):
    """A paginator that counts at most max(COUNT_LIMIT, (page + PAGES_AHEAD) x per_page) rows of `object_list` for
    the page number asked (`page`): one more row tells there are more (`more`; `count` is then that bound plus one,
    and the pages run on as the reader goes). With `page` None the count is exact (an API's `count`). Counting every
    row of a unit's 100,000 joint cases took 78 ms of database CPU per view, its 333,000 inbox entries 44 ms (issue
    19); a page reads its rows in index order and stops. `exchange/_pager.html` shows "Page 1 of 41+" when there
    are more. Subclasses with their own count override `count` and bound it by `limit`."""

    COUNT_LIMIT = 1000
    PAGES_AHEAD = 10

    def __init__(self, object_list: Any, per_page: int, page: int | None) -> None:
        super().__init__(object_list, per_page)
        self.limit = None if page is None else max(self.COUNT_LIMIT, (page + self.PAGES_AHEAD) * per_page)

    @cached_property
    def count(self) -> int:
        rows = cast(Any, self.object_list).order_by()  # a QuerySet
        return (rows if self.limit is None else rows[: self.limit + 1]).count()

    @property
    def more(self) -> bool:
        """More rows than counted: `count` is a lower bound."""
        return self.limit is not None and self.count > self.limit

    @property
    def pages_label(self) -> str:
        """The number of pages as shown: "41+" when there are more."""
        return f"{self.num_pages}+" if self.more else str(self.num_pages)


def bounded_page(request: HttpRequest, object_list: Any, per_page: int) -> Page:
    """The page the query's `page` asks for, counted by a BoundedPaginator. As Paginator.get_page, a `page` that is not
    a number gives the first page and one past the last the last page."""
    number = page_number_or_first(request)
    return BoundedPaginator(object_list, per_page, number).get_page(number)


def page_number_or_first(request: HttpRequest) -> int:
    """The query's `page` as `bounded_page` reads it: a page number within bounds, else 1."""
    raw = request.GET.get("page", "")
    return int(raw) if _DIGITS.fullmatch(raw) and bounds.PAGE_MIN <= int(raw) <= bounds.PAGE_MAX else 1


def page_of(request: HttpRequest, object_list: Any, per_page: int, count: int | None = None) -> Page:
    """The page of `object_list` the query asks for (BadQuery for a `page` that is not a page number). With
    `count`, the number of rows of `object_list` as the caller already knows it, no COUNT query is made."""
    paginator = Paginator(object_list, per_page) if count is None else CountedPaginator(object_list, per_page, count)
    return paginator.get_page(page_number(request))


def query_data(request: HttpRequest, form_class: type[forms.Form]) -> QueryDict | None:
    """The query as the data of a filter form when it names one of the form's fields, else None (unbound)."""
    names = set(form_class.base_fields)
    return request.GET if any(name in names for name in request.GET) else None


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """A bound form's errors keyed by the fields' labels, for BadQuery."""
    return {str(form[name].label) if name in form.fields else _("Query"): [str(e) for e in errors]
            for name, errors in form.errors.items()}


class BadQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadQuery):
            return None
        from borderlink.core.views import bad_request

        text = " ".join(f"{label}: {' '.join(messages)}" for label, messages in exception.errors.items())
        return bad_request(request, 400, text)
