"""Scale data: thousands of realistic, published items with their search terms, written in bulk.

Used by `manage.py generate_catalogue` and bench/search_bench.py. Each run is a new *batch*: its
implementation codes start with `SC<batch>-` (SC01-000001, SC02-000001 ...), so a second run appends
items instead of colliding. Regions and departments are shared by all batches (found by code).

Writing 20,000 items through the catalogue services would take ~30 queries each; here each batch of
items is a handful of bulk INSERTs inside one transaction, with the same elements a published
version gets from the services (search terms from `catalogue.search.terms_for`, steps whose days
add up to the promised days) so that every generated version passes the quality rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from onewindow.catalogue.constants import (
    CrossRegionScope,
    HandlingForm,
    HandlingType,
    MaterialForm,
    MaterialSource,
    Necessity,
    ResultType,
    TimeUnit,
    VersionStatus,
)
from onewindow.catalogue.models import (
    Fee,
    ItemType,
    ItemVersion,
    MaterialSpec,
    SearchTerm,
    ServiceItem,
    Step,
    Theme,
)
from onewindow.catalogue.search import terms_for
from onewindow.core.audit import audit_log
from onewindow.org.constants import RegionLevel
from onewindow.org.models import Department, Region

from .data import county, scale
from .data.helpers import flow

CODE_PREFIX = "SC"
FEE_BASIS = "《国家发展改革委 财政部关于印发〈行政事业性收费标准管理办法〉的通知》（发改价格规〔2018〕988号）及省定收费标准"
# Rows per bulk INSERT; SQLite allows 999 variables per statement in old builds, Django splits for us.
INSERT_BATCH = 2000
# Promised-days range of person services by item type.
PERSON_DAYS = {"01": (3, 15), "04": (0, 0), "05": (1, 15), "07": (0, 15), "10": (0, 3), "20": (0, 3)}


@dataclass
class Template:
    name: str
    basic_code: str
    type_code: str
    dept_base: str
    law: str
    keywords: str
    themes: list[str]
    result: str
    days: tuple[int, int]
    legal_days: int | None
    company: bool
    obj: str


@dataclass
class GenerateResult:
    batch: int
    created: int
    departments: int
    search_terms: int


def templates() -> list[Template]:
    """Every item name the generator can produce, with a stable basic code per name (三级四同)."""
    out: list[Template] = []
    n = 0
    for obj, base, law, keywords, themes, group in scale.BUSINESS_OBJECTS:
        for action, type_code, result, days, legal in scale.BUSINESS_ACTIONS[group]:
            n += 1
            out.append(Template(f"{obj}{action}", f"000{type_code}9{n:05d}", type_code, base, law, keywords, themes,
                                f"{obj}{result}", days, legal, True, obj))
    for subject, base, law, keywords, themes, suffixes in scale.PERSON_SUBJECTS:
        for suffix in suffixes:
            n += 1
            name = f"{subject}{suffix}"
            type_code = scale.person_type(name)
            days = PERSON_DAYS[type_code]
            legal = None if type_code == "20" else max(days[1], 1) * 2
            out.append(Template(name, f"000{type_code}9{n:05d}", type_code, base, law, keywords, themes,
                                f"{name}结果", days, legal, False, subject))
    return out


def next_batch() -> int:
    batch = 1
    while ServiceItem.objects.filter(implementation_code__startswith=f"{CODE_PREFIX}{batch:02d}-").exists():
        batch += 1
    return batch


def generated_count() -> int:
    return ServiceItem.objects.filter(implementation_code__startswith=CODE_PREFIX,
                                      published_version__isnull=False).count()


def ensure_departments(count: int) -> list[Department]:
    """`count` departments spread over the fictional counties; the same ones on every run."""
    city_code, city_name = scale.SCALE_CITY
    city, _ = Region.objects.get_or_create(code=city_code, defaults={"name": city_name, "level": RegionLevel.CITY})
    counties = []
    for code, name in scale.SCALE_COUNTIES:
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "level": RegionLevel.COUNTY,
                                                                        "parent": city})
        counties.append(region)
    bases = scale.DEPARTMENT_BASES
    out = []
    for i in range(count):
        key, suffix, category = bases[i % len(bases)]
        # (base, county) pairs are unique for up to len(bases) * len(counties) departments.
        region = counties[(i + i // len(bases)) % len(counties)]
        code = county.credit_code(category, i + 1, region=region.code)
        dept, _ = Department.objects.get_or_create(
            credit_code=code,
            defaults={"name": f"{region.name}{suffix}", "short_name": suffix, "region": region,
                      "phone": f"0799-{5200000 + i * 17:07d}", "address": f"{region.name}政务服务中心",
                      "sort": 1000 + i})
        dept.base_key = key
        out.append(dept)
    return out


class _Builder:
    def __init__(self, *, departments: list[Department], rng: random.Random, batch: int) -> None:
        self.rng = rng
        self.batch = batch
        self.templates = templates()
        self.by_base: dict[str, list[Department]] = {}
        for d in departments:
            self.by_base.setdefault(d.base_key, []).append(d)
        self.departments = departments
        self.types = {t.code: t for t in ItemType.objects.all()}
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.today = timezone.localdate()
        # Zipf-like popularity of names: a few are everywhere (every county has them), most are rarer.
        order = random.Random(0).sample(range(len(self.templates)), len(self.templates))  # noqa: S311
        total = 0.0
        self.cum_weights = []
        for tpl, rank in zip(self.templates, order, strict=True):
            # People's services are fewer templates but as many items as licences in a real catalogue.
            total += (1 if tpl.company else 2.5) / (rank + 1) ** 0.8
            self.cum_weights.append(total)

    def pick(self) -> tuple[Template, Department, str]:
        rng = self.rng
        tpl = rng.choices(self.templates, cum_weights=self.cum_weights)[0]
        dept = rng.choice(self.by_base.get(tpl.dept_base) or self.departments)
        if not tpl.company:
            qualifier = rng.choice(scale.PERSON_QUALIFIERS)
        elif tpl.name.endswith(("许可", "审批", "备案")):  # 新办/告知承诺 make no sense for 注销, 补办 ...
            qualifier = rng.choice(scale.BUSINESS_QUALIFIERS)
        else:
            qualifier = ""
        return tpl, dept, qualifier

    def version(self, item: ServiceItem, tpl: Template, dept: Department, qualifier: str) -> tuple[ItemVersion, dict]:
        rng = self.rng
        promised = rng.randint(*tpl.days)
        legal = tpl.legal_days if tpl.legal_days is None else max(tpl.legal_days, promised)
        depth = rng.choices([1, 2, 3, 4], weights=[1, 2, 4, 3])[0]
        visits = 0 if depth == 4 else rng.choice([1, 1, 1, 2])
        mail = depth == 4 or rng.random() < 0.6
        has_fee = tpl.company and rng.random() < 0.06
        pool = scale.COMPANY_MATERIALS if tpl.company else scale.PERSON_MATERIALS
        materials = [f"{tpl.obj}申请表"] + rng.sample(pool, rng.randint(2, 11))
        themes = [self.themes[c] for c in tpl.themes if c in self.themes]
        name = f"{tpl.name}{qualifier}"
        v = ItemVersion(
            item=item, number=1, status=VersionStatus.PUBLISHED, name=name, item_type=self.types[tpl.type_code],
            legal_basis=f"{tpl.law}" if self.types[tpl.type_code].is_power else "",
            for_person=not tpl.company or rng.random() < 0.3, for_company=tpl.company,
            acceptance_conditions=f"符合{tpl.law}规定的条件，申请材料齐全、符合法定形式。",
            keywords=tpl.keywords, legal_days=legal, legal_days_unit=TimeUnit.WORKDAY, promised_days=promised,
            promised_days_unit=TimeUnit.WORKDAY,
            time_limit_note="" if legal is not None else "公共服务事项，按承诺时限办理。",
            handling_type=HandlingType.INSTANT if promised == 0 else HandlingType.PROMISED,
            handling_form=HandlingForm.ONLINE_AND_WINDOW if depth >= 3 else HandlingForm.WINDOW,
            place=f"{dept.region.name}政务服务中心 {dept.short_name}窗口", office_hours="工作日 9:00-12:00，14:00-17:30",
            visits_required=visits, online_depth=depth, supports_appointment=rng.random() < 0.3,
            supports_mail_delivery=mail, supports_online_payment=has_fee, supports_self_service=rng.random() < 0.1,
            cross_region_scope=rng.choice([CrossRegionScope.NONE] * 3 + [CrossRegionScope.PROVINCE,
                                                                          CrossRegionScope.NATIONAL]),
            has_fee=has_fee, result_type=ResultType.CERTIFICATE if "证" in tpl.result else ResultType.OTHER,
            result_name=tpl.result, consult_phone=dept.phone, complaint_phone="12345",
            valid_from=self.today, exercise_level="county",
        )
        extra = {"materials": materials, "themes": themes, "promised": promised, "has_fee": has_fee, "dept": dept,
                 "name": name}
        return v, extra

    def children(self, v: ItemVersion, extra: dict) -> tuple[list, list, list]:
        rng = self.rng
        materials = []
        for sort, mname in enumerate(extra["materials"], start=1):
            necessity = Necessity.REQUIRED
            if sort > 2 and v.handling_type == HandlingType.PROMISED and rng.random() < 0.1:
                necessity = Necessity.WAIVABLE
            issuer = scale.GOVERNMENT_ISSUED.get(mname, "")
            source = (MaterialSource.GOVERNMENT if issuer else
                      MaterialSource.INTERMEDIARY if mname in scale.INTERMEDIARY else MaterialSource.APPLICANT)
            materials.append(MaterialSpec(
                version=v, sort=sort, name=mname, necessity=necessity,
                form=MaterialForm.ORIGINAL if sort == 1 else rng.choice(list(MaterialForm.values)),
                source=source, issuing_body=issuer, certificate_type=mname if issuer else ""))
        steps = [Step(version=v, sort=i, kind=s["kind"], name=s["name"], days=s["days"], handler=s["handler"],
                      standard=s["standard"]) for i, s in enumerate(flow(extra["promised"]), start=1)]
        fees = []
        if extra["has_fee"]:
            fees.append(Fee(version=v, sort=1, name="证照工本费", standard="10 元/证", basis=FEE_BASIS))
        return materials, steps, fees


def generate_catalogue(*, departments: int, items: int, seed: int = 2026, chunk: int = 1000,
                       progress: Callable[[int], None] | None = None) -> GenerateResult:
    """Create and publish `items` items over `departments` departments. Deterministic for a seed and batch."""
    if departments < 1 or items < 1:
        raise ValueError("departments and items must be positive")
    with transaction.atomic():
        depts = ensure_departments(departments)
        batch = next_batch()
    rng = random.Random(f"{seed}-{batch}")  # noqa: S311 (reproducible data, not secrets)
    builder = _Builder(departments=depts, rng=rng, batch=batch)
    terms_total = 0
    done = 0
    while done < items:
        n = min(chunk, items - done)
        with transaction.atomic():
            terms_total += _write_chunk(builder, start=done, count=n)
        done += n
        if progress:
            progress(n)
    audit_log(actor=None, action="demo.generate_catalogue", object_type="demo", object_id=f"{CODE_PREFIX}{batch:02d}",
              new={"items": items, "departments": departments, "seed": seed})
    return GenerateResult(batch=batch, created=items, departments=len(depts), search_terms=terms_total)


def _write_chunk(builder: _Builder, *, start: int, count: int) -> int:
    rng = builder.rng
    picks = [builder.pick() for _ in range(count)]
    items = [ServiceItem(implementation_code=f"{CODE_PREFIX}{builder.batch:02d}-{start + i + 1:06d}",
                         basic_code=tpl.basic_code, name=f"{tpl.name}{q}", department=dept,
                         popularity=int(rng.paretovariate(1.5) * 10) - 10)
             for i, (tpl, dept, q) in enumerate(picks)]
    ServiceItem.objects.bulk_create(items, batch_size=INSERT_BATCH)
    versions, extras = [], []
    for item, (tpl, dept, q) in zip(items, picks, strict=True):
        v, extra = builder.version(item, tpl, dept, q)
        versions.append(v)
        extras.append(extra)
    ItemVersion.objects.bulk_create(versions, batch_size=INSERT_BATCH)
    materials, steps, fees, theme_links, terms = [], [], [], [], []
    Through = ItemVersion.themes.through
    for v, extra in zip(versions, extras, strict=True):
        m, s, f = builder.children(v, extra)
        materials += m
        steps += s
        fees += f
        theme_links += [Through(itemversion_id=v.pk, theme_id=t.pk) for t in extra["themes"]]
        weights = terms_for(name=extra["name"], keywords=v.keywords, themes=[t.name for t in extra["themes"]],
                            department=extra["dept"].name, materials=extra["materials"])
        terms += [(v.pk, t, w) for t, w in weights.items()]
    MaterialSpec.objects.bulk_create(materials, batch_size=INSERT_BATCH)
    Step.objects.bulk_create(steps, batch_size=INSERT_BATCH)
    Fee.objects.bulk_create(fees, batch_size=INSERT_BATCH)
    Through.objects.bulk_create(theme_links, batch_size=INSERT_BATCH)
    _insert_terms(terms)
    ServiceItem.objects.filter(pk__in=[i.pk for i in items]).update(
        published_version=Subquery(ItemVersion.objects.filter(item=OuterRef("pk")).values("pk")[:1]))
    return len(terms)


def _insert_terms(rows: list[tuple[int, str, int]]) -> None:
    """SearchTerm rows: COPY on PostgreSQL (several times faster than INSERT), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        table = SearchTerm._meta.db_table
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} (version_id, term, weight) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    SearchTerm.objects.bulk_create([SearchTerm(version_id=v, term=t, weight=w) for v, t, w in rows],
                                   batch_size=INSERT_BATCH)
