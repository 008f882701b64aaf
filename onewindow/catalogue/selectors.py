"""Reads of the catalogue. Public reads see published versions only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404

from onewindow.org.models import Delegation

from . import search_cache
from .constants import HandlingType, Necessity, OnlineDepth, VersionStatus
from .models import ItemVersion, MaterialSpec, SearchTerm, ServiceItem
from .search import query_terms, query_words

__all__ = [
    "published_versions",
    "item_search",
    "SearchPage",
    "item_get_published",
    "version_get_with_children",
]

NAME_CONTAINS_BONUS = 100


def published_versions() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "item__department", "item_type"
    )


@dataclass
class SearchPage:
    results: list[ItemVersion]
    page: int
    page_size: int
    has_next: bool
    query: str

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _filtered(qs: QuerySet[ItemVersion], *, department=None, region=None, item_type=None, theme=None,
              handling_type=None, online_depth=None, audience=None, window=None) -> QuerySet[ItemVersion]:
    if department is not None:
        qs = qs.filter(item__department=department)
    if window is not None:  # a comprehensive window's scope (无差别受理)
        qs = qs.filter(item__windows=window)
    if region is not None:
        delegated = Delegation.objects.active().filter(item=OuterRef("item"), region=region)
        qs = qs.filter(Q(item__department__region=region) | Exists(delegated))
    if item_type is not None:
        qs = qs.filter(item_type=item_type)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if handling_type:
        qs = qs.filter(handling_type=handling_type)
    if online_depth:
        qs = qs.filter(online_depth__gte=online_depth)
    if audience == "person":
        qs = qs.filter(for_person=True)
    elif audience == "company":
        qs = qs.filter(for_company=True)
    return qs


def _prefix_match(prefix: str, field: str) -> Q:
    """Terms starting with a lower-case Latin prefix, as an index range (spjy <= term < spjz).

    Django's `startswith` is LIKE on SQLite, which never uses an index; a range works on both databases.
    """
    if prefix.endswith("z"):  # no successor letter: LIKE for these few
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})


# Candidates must have every word of the query in a strong place (name, initials, keyword, theme, department).
STRICT_MIN_WEIGHT = 2


def _ranked_ids(qs: QuerySet[ItemVersion], match: Q, text: str) -> QuerySet:
    """Ids of the versions of `qs` that match, best first: summed term weights (+ a bonus when the name
    contains the whole query), then popularity and name. Only ids travel through the GROUP BY."""
    bonus = Case(When(name__contains=text, then=Value(NAME_CONTAINS_BONUS)), default=Value(0),
                 output_field=IntegerField())
    return (qs.filter(match).values("pk").annotate(score=Sum("search_terms__weight") + bonus)
            .order_by("-score", "-item__popularity", "name", "pk").values_list("pk", flat=True))


def item_search(*, query: str = "", page: int = 1, page_size: int = 20, **filters) -> SearchPage:
    """One page of published items for a query (ranked as `_item_search` says), served from the result cache
    when the same page was asked for in this catalogue generation (search_cache): then one query reads the
    page's rows by id."""
    page = max(page, 1)
    key = search_cache.key_for(query=query, page=page, page_size=page_size, filters=filters)
    hit = search_cache.get(key)
    if hit is not None:
        ids, has_next = hit
        by_id = published_versions().in_bulk(ids)
        rows = [by_id[i] for i in ids if i in by_id]  # one withdrawn in between: left out, never an error
        return SearchPage(results=rows, page=page, page_size=page_size, has_next=has_next, query=query)
    result = _item_search(query=query, page=page, page_size=page_size, **filters)
    search_cache.put(key, [v.pk for v in result.results], result.has_next)
    return result


def _item_search(*, query: str = "", page: int = 1, page_size: int = 20, **filters) -> SearchPage:
    """One page of published items: those with every word of the query in a strong place (name, pinyin
    initials, keyword, theme, department) first, then those matching only weaker places (materials,
    part-words), each group ranked by the summed term weights, then popularity and name.

    The cost follows the page, not the number of matches (bench/README.md): ids are ranked first and only
    the page's rows are fetched; the weaker group is ranked only when the page reaches past the strong one.
    Usually two queries, at most four.
    """
    page = max(page, 1)
    qs = _filtered(published_versions(), **filters)
    tokens, prefix = query_terms(query)
    text = query.strip()
    start, stop = (page - 1) * page_size, page * page_size + 1
    if not tokens:
        rows = list(qs.order_by("-item__popularity", "name", "pk")[start:stop])
        return SearchPage(results=rows[:page_size], page=page, page_size=page_size,
                          has_next=len(rows) > page_size, query=query)

    match = Q(search_terms__term__in=tokens)
    if prefix:
        match |= _prefix_match(prefix, "search_terms__term")
    strong = qs
    for word in ([] if prefix else query_words(text)):
        strong = strong.filter(
            pk__in=SearchTerm.objects.filter(term=word, weight__gte=STRICT_MIN_WEIGHT).values("version_id"))
    ids = [] if prefix else list(_ranked_ids(strong, match, text)[start:stop])
    if len(ids) == stop - start:
        any_match = True  # a full page of strong matches: the usual case, two queries in all
    else:
        if ids or (page > 1 and not prefix):
            # The strong matches end on this page (or before it): continue with the weaker ones.
            strong_count = start + len(ids) if ids else _ranked_ids(strong, match, text).count()
            rest = qs.exclude(pk__in=strong.values("pk")) if strong_count else qs
        else:
            strong_count, rest = 0, qs  # no strong match at all: rank every match
        offset = max(start - strong_count, 0)
        weaker = _ranked_ids(rest, match, text)
        ids += list(weaker[offset: offset + (stop - start) - len(ids)])
        any_match = bool(ids) or strong_count > 0 or (page > 1 and weaker.exists())
    latin = re.fullmatch(r"[\x00-\x7f]+", text) is not None  # names are Chinese: no substring scan for these
    if not any_match and not latin:
        # A fragment jieba did not keep as a token (e.g. one character): fall back to substring.
        rows = list(qs.filter(name__icontains=text).order_by("-item__popularity", "name", "pk")[start:stop])
    else:
        by_id = published_versions().in_bulk(ids)
        rows = [by_id[i] for i in ids]
    return SearchPage(results=rows[:page_size], page=page, page_size=page_size, has_next=len(rows) > page_size,
                      query=query)


def _with_children(qs: QuerySet[ItemVersion]) -> QuerySet[ItemVersion]:
    return qs.select_related("item__department__region", "item_type").prefetch_related(
        "materials", "steps", "fees", "faqs", "themes",
        Prefetch("item__delegations", queryset=Delegation.objects.select_related("region")),
    )


def item_get_published(*, code: str) -> ItemVersion:
    """The published version of the item with this implementation code, with everything a guide shows.

    A fixed number of queries however many materials, steps or fees it has. 404 if not published.
    """
    return get_object_or_404(_with_children(ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)),
                             item__implementation_code=code)


def version_get_with_children(*, pk: int) -> ItemVersion:
    return get_object_or_404(_with_children(ItemVersion.objects.all()), pk=pk)


def items_with_latest_versions(*, departments) -> QuerySet[ServiceItem]:
    """Items of some departments for the catalogue workbench, with all their versions prefetched."""
    return (
        ServiceItem.objects.filter(department__in=departments)
        .select_related("department", "published_version")
        .prefetch_related(Prefetch("versions", queryset=ItemVersion.objects.order_by("-number")))
        .order_by("department__sort", "implementation_code")
    )


def waivable_materials() -> QuerySet[MaterialSpec]:
    return MaterialSpec.objects.filter(version__status=VersionStatus.PUBLISHED, necessity=Necessity.WAIVABLE)


def is_instant(version: ItemVersion) -> bool:
    return version.handling_type == HandlingType.INSTANT


def is_online(version: ItemVersion) -> bool:
    return version.online_depth >= OnlineDepth.PREREVIEW
