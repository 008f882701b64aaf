"""A PROPOSED item_search, measured by `search_bench.py --proposal` against the current selector.

Not used by the application: it is here so that the lead can see the change and its figures before
moving it into onewindow/catalogue/selectors.py (see bench/README.md, "What would fix it").

Three changes, each measured:
1. Rank ids only, then fetch the page (two steps): the current query GROUPs BY and sorts every matching
   version with all its columns (~800 bytes a row); on 2 cores it spills to temp files for common words.
2. Candidates must contain every word of the query (jieba accurate mode) as a term of weight >= 2 (name,
   keyword, theme, department), so that "不动产登记" no longer drags in every item with "登记", and
   "身份证" no longer every item that merely asks for an ID card among its materials. Only if nothing
   matches that way, fall back to the current OR match over all terms (so a query still finds what it
   found before). Ranking (score, popularity, name) is unchanged.
3. No substring fallback (name LIKE '%q%': a sequential scan) for Latin queries: names are Chinese;
   pinyin-initial prefixes as an index range instead of LIKE (SQLite cannot use an index for LIKE).
Plus three indexes (model Meta.indexes + a migration, see `proposed_indexes`) so that the candidate,
score and tie-break look-ups are index-only scans.
"""

from __future__ import annotations

import re

import jieba
from django.db.models import Case, IntegerField, Q, Sum, Value, When

from onewindow.catalogue.models import SearchTerm
from onewindow.catalogue.search import _PUNCT, _STOP, MAX_TERM_LENGTH, _ensure_jieba, query_terms
from onewindow.catalogue.selectors import NAME_CONTAINS_BONUS, SearchPage, _filtered, published_versions


def proposed_indexes() -> list:
    """(model, Index) pairs to add to the models' Meta.indexes (and a migration)."""
    from django.db import models

    from onewindow.catalogue.models import ItemVersion, ServiceItem

    return [
        # candidates and scores read from the index alone (index-only scan)
        (SearchTerm, models.Index(fields=["term", "weight", "version"], name="catalogue_st_term_weight_ver")),
        # the ranking joins read id, item and name of published versions without touching the wide rows
        (ItemVersion, models.Index(fields=["id"], include=["item", "name"], condition=Q(status="published"),
                                   name="catalogue_ver_published_cover")),
        (ServiceItem, models.Index(fields=["id"], include=["popularity"], name="catalogue_item_popularity_cover")),
    ]


def set_proposed_indexes(present: bool) -> None:
    """Add or remove the proposed indexes in the benchmark database (SQLite ignores INCLUDE)."""
    from django.db import connection

    with connection.schema_editor() as editor, connection.cursor() as cursor:
        for model, index in proposed_indexes():
            cursor.execute(f'DROP INDEX IF EXISTS "{index.name}"')
            if present:
                editor.add_index(model, index)
        if present:
            cursor.execute("ANALYZE")
STRICT_MIN_WEIGHT = 2


def words(query: str) -> list[str]:
    """Words of the query in jieba's accurate mode (no overlapping sub-words)."""
    _ensure_jieba()
    out = []
    for tok in jieba.cut((query or "").strip().lower()[:100]):
        tok = tok.strip()
        if tok and tok not in _STOP and not _PUNCT.match(tok):
            out.append(tok[:MAX_TERM_LENGTH])
    return list(dict.fromkeys(out))


def prefix_match(prefix: str, field: str) -> Q:
    """Terms starting with a lower-case Latin prefix, as an index range (spjy <= term < spjz).

    On SQLite, Django's `startswith` is `LIKE 'spjy%' ESCAPE '\\'`, which never uses an index: a scan of
    every search term (~140 ms at 20,000 items). A range works on both databases.
    """
    if prefix.endswith("z"):  # no exact successor among the letters: keep LIKE for these few
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})


def item_search(*, query: str = "", page: int = 1, page_size: int = 20, **filters) -> SearchPage:
    page = max(page, 1)
    qs = _filtered(published_versions(), **filters)
    tokens, prefix = query_terms(query)
    text = query.strip()
    start, stop = (page - 1) * page_size, page * page_size + 1
    if not tokens:
        rows = list(qs.order_by("-item__popularity", "name", "pk")[start:stop])
        return SearchPage(results=rows[:page_size], page=page, page_size=page_size, has_next=len(rows) > page_size,
                          query=query)

    candidates = qs
    for word in ([] if prefix else words(text)):
        candidates = candidates.filter(
            pk__in=SearchTerm.objects.filter(term=word, weight__gte=STRICT_MIN_WEIGHT).values("version_id"))
    strict = not prefix and candidates.exists()
    if not strict:  # the current behaviour: any token, any weight (and initials by prefix)
        candidates = qs
    match = Q(search_terms__term__in=tokens)
    if prefix:
        match |= prefix_match(prefix, "search_terms__term")
    ranked = (candidates.filter(match).values("pk")
              .annotate(score=Sum("search_terms__weight")
                        + Case(When(name__contains=text, then=Value(NAME_CONTAINS_BONUS)), default=Value(0),
                               output_field=IntegerField()))
              .order_by("-score", "-item__popularity", "name", "pk").values_list("pk", flat=True))
    ids = list(ranked[start:stop])
    if not ids and page == 1 and not re.fullmatch(r"[\x00-\x7f]+", text):
        rows = list(qs.filter(name__icontains=text).order_by("-item__popularity", "name", "pk")[: page_size + 1])
    else:
        by_id = published_versions().in_bulk(ids)
        rows = [by_id[i] for i in ids]
    return SearchPage(results=rows[:page_size], page=page, page_size=page_size, has_next=len(rows) > page_size,
                      query=query)
