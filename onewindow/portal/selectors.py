"""Public reads that the portal composes from catalogue and org. Published items only, fixed query counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from onewindow.catalogue.models import ItemVersion, Theme
from onewindow.catalogue.selectors import item_search
from onewindow.org.constants import RegionLevel
from onewindow.org.models import Delegation, Department, Hall, Region

__all__ = [
    "departments_with_counts",
    "hot_items",
    "themes_by_audience",
    "nearby_regions_for",
    "delegation_regions",
    "active_delegations",
    "halls_for_regions",
]


def departments_with_counts() -> QuerySet[Department]:
    """Departments that have published items, each with `item_count`: one query."""
    return (
        Department.objects.annotate(item_count=Count("items", filter=Q(items__published_version__isnull=False)))
        .filter(item_count__gt=0)
        .order_by("sort", "name")
    )


def hot_items(*, limit: int = 8) -> list[ItemVersion]:
    """The most used published items (popularity, then name): one query."""
    return item_search(page_size=limit).results


def themes_by_audience() -> dict[str, list[Theme]]:
    out: dict[str, list[Theme]] = defaultdict(list)
    for theme in Theme.objects.order_by("audience", "sort", "code"):
        out[theme.audience].append(theme)
    return out


def _effective(qs: QuerySet[Delegation]) -> QuerySet[Delegation]:
    today = timezone.localdate()
    return qs.filter(effective_from__lte=today).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))


def active_delegations(delegations: Iterable[Delegation]) -> list[Delegation]:
    """Delegations in force today, from an already fetched (prefetched) list: no query."""
    today = timezone.localdate()
    return [d for d in delegations
            if d.effective_from <= today and (d.effective_to is None or d.effective_to >= today)]


def nearby_regions_for(versions: Iterable[ItemVersion]) -> dict[int, list[Region]]:
    """Townships / villages / parks where each item can be handled nearby, by item id: one query."""
    item_ids = [v.item_id for v in versions]
    out: dict[int, list[Region]] = defaultdict(list)
    if not item_ids:
        return out
    for d in _effective(Delegation.objects.filter(item_id__in=item_ids)).select_related("region").order_by(
            "region__code"):
        out[d.item_id].append(d.region)
    return out


def delegation_regions() -> QuerySet[Region]:
    """Regions (townships, villages, parks) that hold at least one delegated item, for the 就近办 filter."""
    return (
        Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
        .filter(pk__in=_effective(Delegation.objects.all()).values("region_id"))
        .order_by("code")
    )


def halls_for_regions(region_ids: Iterable[int]) -> dict[int, list[Hall]]:
    """Service halls of the given regions, by region id: one query."""
    ids = sorted(set(region_ids))
    out: dict[int, list[Hall]] = defaultdict(list)
    if not ids:
        return out
    for hall in Hall.objects.filter(region_id__in=ids).order_by("region__code", "name"):
        out[hall.region_id].append(hall)
    return out
