"""Reads of the catalogue. Public reads see published versions only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404

from onewindow.org.models import Delegation

from .constants import HandlingType, Necessity, OnlineDepth, VersionStatus
from .models import ItemVersion, MaterialSpec, ServiceItem
from .search import query_terms

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
              handling_type=None, online_depth=None, audience=None) -> QuerySet[ItemVersion]:
    if department is not None:
        qs = qs.filter(item__department=department)
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


def item_search(*, query: str = "", page: int = 1, page_size: int = 20, **filters) -> SearchPage:
    """One page of published items: ranked by name, then keywords, then materials.

    One SQL query per page (page_size + 1 rows tell whether there is a next page).
    """
    page = max(page, 1)
    qs = _filtered(published_versions(), **filters)
    tokens, prefix = query_terms(query)
    if tokens:
        match = Q(search_terms__term__in=tokens)
        if prefix:
            match |= Q(search_terms__term__startswith=prefix)
        ranked = (
            qs.filter(match)
            .annotate(
                score=Sum("search_terms__weight")
                + Case(When(name__contains=query.strip(), then=Value(NAME_CONTAINS_BONUS)), default=Value(0),
                       output_field=IntegerField())
            )
            .order_by("-score", "-item__popularity", "name", "pk")
        )
        rows = list(ranked[(page - 1) * page_size: page * page_size + 1])
        if not rows and (page == 1 or not ranked.exists()):
            # A fragment jieba did not keep as a token (e.g. one character): fall back to substring.
            rows = list(qs.filter(name__icontains=query.strip()).order_by("-item__popularity", "name", "pk")
                        [(page - 1) * page_size: page * page_size + 1])
    else:
        rows = list(qs.order_by("-item__popularity", "name", "pk")[(page - 1) * page_size: page * page_size + 1])
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
