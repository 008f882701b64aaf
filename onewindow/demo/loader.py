"""Load the demo county (云溪县) into an empty database, once.

Catalogue items go through the catalogue services (item_create, version_publish_unreviewed,
version_submit ...) so that they pass the same quality rules, audit and search indexing as real ones.
Organisation data (regions, departments, halls, windows, staff roles, delegations) has no services
yet and is written directly, inside the same transaction.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onewindow.accounts.models import CitizenProfile, CompanyAuthorization
from onewindow.catalogue import services
from onewindow.catalogue.constants import HandlingForm, HandlingType, VersionStatus
from onewindow.catalogue.models import ItemType, ItemVersion, ServiceItem
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError
from onewindow.org.constants import WindowKind
from onewindow.org.models import Delegation, Department, Hall, Region, StaffRole, Window

from .data import county, drafts, items_business, items_construction, items_people
from .data.helpers import flow
from .summary import DEMO_CITIZENS, DEMO_MEMBER, DEMO_TOTP_KEY_HEX, accounts_rows, demo_is_loaded

PUBLISHED_SPECS = items_business.ITEMS + items_people.ITEMS + items_construction.ITEMS
PUBLISH_REASON = "演示数据初始化（demo_load）"

# Keys of an item spec that are not version elements.
_SPEC_ONLY = {"dept", "type", "audience", "lane"}


@dataclass
class LoadResult:
    loaded: bool  # False if the demo was already there
    published: int = 0
    drafts: int = 0
    in_review: int = 0
    delegations: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    history: object = None  # history.HistoryResult when the case history was written by this run
    seconds: float = 0.0  # time taken by the county (without the history)


def demo_load(*, history: bool = True) -> LoadResult:
    """Create the demo county unless it is there already (one transaction: all or nothing), then, unless
    `history` is False, its history of cases and ratings (demo/history.py; its own transaction, once)."""
    if demo_is_loaded():
        result = LoadResult(loaded=False, accounts=accounts_rows())
    else:
        started = time.monotonic()
        with transaction.atomic():
            result = _Loader().run()
        result.seconds = time.monotonic() - started
    if history:
        from .history import history_load

        result.history = history_load()
    return result


class _Loader:
    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        self.departments: dict[str, Department] = {}
        self.counters: dict[str, str] = {}
        self.halls: dict[str, Hall] = {}
        self.windows: dict[tuple[str, str], Window] = {}
        self.users: dict[str, object] = {}
        self.types = {t.code: t for t in ItemType.objects.all()}
        self.item_seq: dict[str, int] = {}
        self.lanes: dict[int, str | None] = {}  # item id → lane

    def run(self) -> LoadResult:
        self._regions()
        self._departments()
        self._halls_and_windows()
        self._accounts()
        self._citizens()
        result = LoadResult(loaded=True)
        admin = self.users["admin"]
        for spec in PUBLISHED_SPECS:
            version = self._create(spec, actor=admin)
            try:
                services.version_publish_unreviewed(actor=admin, version=version, reason=PUBLISH_REASON)
            except ApplicationError as exc:  # a data mistake: say which item and why
                raise ApplicationError(f"演示事项“{spec['name']}”未通过质量检查：{exc.fields}", code=exc.code) from exc
            result.published += 1
        editor = self.users["editor"]
        for spec in drafts.DRAFTS + [drafts.BROKEN]:
            self._create(spec, actor=editor)
            result.drafts += 1
        for spec in drafts.IN_REVIEW:
            version = self._create(spec, actor=editor)
            services.version_submit(actor=editor, version=version)
            result.in_review += 1
        name, changes = drafts.REVISION
        item = ServiceItem.objects.get(name=name, department=self.departments[drafts.DRAFTS[0]["dept"]])
        revision = services.version_start_draft(actor=editor, item=item)
        services.version_update(actor=editor, version=revision, data=changes)
        result.drafts += 1
        self._popularity()
        result.delegations = self._delegations()
        self._window_scopes()
        audit_log(actor=admin, action="demo.load", object_type="demo", object_id=county.COUNTY_CODE,
                  new={"published": result.published, "drafts": result.drafts, "in_review": result.in_review})
        result.accounts = accounts_rows()
        return result

    # -------------------------------------------------------------- organisation
    def _regions(self) -> None:
        for code, name, level, kind, parent in county.REGIONS:
            self.regions[code] = Region.objects.create(
                code=code, name=name, level=level, kind=kind, parent=self.regions.get(parent) if parent else None)

    def _departments(self) -> None:
        region = self.regions[county.COUNTY_CODE]
        for sort, (key, name, short, category, phone, address, counter) in enumerate(county.DEPARTMENTS, start=1):
            self.departments[key] = Department.objects.create(
                name=name, short_name=short, credit_code=county.credit_code(category, sort), region=region,
                phone=f"{county.PHONE_AREA}-{phone}", address=address, sort=sort * 10)
            self.counters[key] = counter

    def _halls_and_windows(self) -> None:
        for key, name, region, address, hours, phone in county.HALLS:
            self.halls[key] = Hall.objects.create(name=name, region=self.regions[region], address=address,
                                                  office_hours=hours, phone=phone)
        for hall, number, name, _lanes in county.COMPREHENSIVE_WINDOWS:
            self.windows[(hall, number)] = Window.objects.create(
                hall=self.halls[hall], number=number, name=name, kind=WindowKind.COMPREHENSIVE)
        for key, dept in self.departments.items():
            number = re.search(r"(\d+) 号窗口", self.counters[key]).group(1)
            self.windows[("county", number)] = Window.objects.create(
                hall=self.halls["county"], number=number, name=f"{dept.short_name}窗口", kind=WindowKind.DEPARTMENT,
                department=dept)

    def _accounts(self) -> None:
        User = get_user_model()
        password = make_password(county.DEMO_PASSWORD)  # hashed once: the same for every demo account
        for username, name, role, dept, region, window, superuser, _scope in county.ACCOUNTS:
            user = User.objects.create(username=username, name=name, password=password, is_staff=superuser,
                                       is_superuser=superuser)
            StaffRole.objects.create(
                user=user, role=role, department=self.departments.get(dept) if dept else None,
                region=self.regions[county.COUNTY_CODE] if region == "county" else None,
                window=self.windows[window] if window else None)
            # Staff sign in with a TOTP code as second step; the demo's secret is fixed and documented.
            TOTPDevice.objects.create(user=user, name="演示动态验证码", key=DEMO_TOTP_KEY_HEX, confirmed=True)
            self.users[username] = user

    def _citizens(self) -> None:
        """Online-hall accounts: two persons and a company that authorises one of them (docs/accounts.md)."""
        User = get_user_model()
        password = make_password(county.DEMO_PASSWORD)
        users = {}
        for mobile, kind, name, id_number, company, credit_code in DEMO_CITIZENS:
            user = User.objects.create(username=f"demo{mobile}", name=name, mobile=mobile, password=password)
            CitizenProfile.objects.create(user=user, kind=kind, mobile=mobile, name=name, id_number=id_number,
                                          company_name=company, credit_code=credit_code)
            users[mobile] = user
        company, member = (users[m] for m in DEMO_MEMBER)
        CompanyAuthorization.objects.create(company=company, member=member, valid_from=timezone.localdate(),
                                            granted_by=company)

    # -------------------------------------------------------------- catalogue
    def _codes(self, dept_key: str, type_code: str) -> tuple[str, str]:
        """基本编码 (12 digits: 000 + type + department no. + item no. + 00) and 实施编码 (credit code + 基本编码)."""
        dept_no = [d[0] for d in county.DEPARTMENTS].index(dept_key) + 1
        self.item_seq[dept_key] = n = self.item_seq.get(dept_key, 0) + 1
        basic = f"000{type_code}{dept_no:02d}{n:03d}00"
        return basic, f"{self.departments[dept_key].credit_code}{basic}"

    def _version_data(self, spec: dict) -> dict:
        dept_key = spec["dept"]
        dept = self.departments[dept_key]
        hall = self.halls["county"]
        data = {k: v for k, v in spec.items() if k not in _SPEC_ONLY}
        data["item_type"] = self.types[spec["type"]]
        data["for_person"] = spec["audience"] in ("person", "both")
        data["for_company"] = spec["audience"] in ("company", "both")
        promised = spec["promised_days"]
        depth = spec.get("online_depth", 3)
        data.setdefault("online_depth", depth)
        data.setdefault("handling_type", HandlingType.INSTANT if promised == 0 else HandlingType.PROMISED)
        data.setdefault("visits_required", 0 if depth == 4 else 1)
        data.setdefault("handling_form", HandlingForm.ONLINE_AND_WINDOW if depth >= 3 else HandlingForm.WINDOW)
        data.setdefault("place", f"{hall.name}{self.counters[dept_key]}（{hall.address}）")
        data.setdefault("office_hours", hall.office_hours)
        data.setdefault("consult_phone", dept.phone)
        data.setdefault("complaint_phone", county.COMPLAINT_PHONE)
        data.setdefault("steps", flow(promised))
        data.setdefault("legal_days", None)
        return data

    def _create(self, spec: dict, *, actor) -> ItemVersion:
        basic, code = self._codes(spec["dept"], spec["type"])
        version = services.item_create(actor=actor, department=self.departments[spec["dept"]],
                                       implementation_code=code, basic_code=basic, data=self._version_data(spec))
        self.lanes[version.item_id] = spec.get("lane")
        return version

    def _popularity(self) -> None:
        for name, value in county.POPULARITY.items():
            ServiceItem.objects.filter(name=name, department__region__code=county.COUNTY_CODE).update(popularity=value)

    def _delegations(self) -> int:
        items = {i.name: i for i in ServiceItem.objects.filter(published_version__isnull=False)}
        for name, region, mode, note in county.DELEGATIONS:
            Delegation.objects.create(item=items[name], region=self.regions[region], mode=mode,
                                      effective_from=county.DELEGATION_FROM, document=county.DELEGATION_DOCUMENT,
                                      note=note)
        return len(county.DELEGATIONS)

    def _window_scopes(self) -> None:
        """Comprehensive windows accept the published items of their lanes; department windows their own."""
        published = list(ServiceItem.objects.filter(published_version__status=VersionStatus.PUBLISHED))
        delegated: dict[str, set[int]] = {}
        for d in Delegation.objects.select_related("region"):
            level = {county.TOWNSHIP_CODE: "township", county.VILLAGE_CODE: "village"}.get(d.region.code, "park")
            delegated.setdefault(f"delegated:{level}", set()).add(d.item_id)
        for hall, number, _name, lanes in county.COMPREHENSIVE_WINDOWS:
            ids = {i.pk for i in published if self.lanes.get(i.pk) in lanes}
            for lane in lanes:
                ids |= delegated.get(lane, set())
            self.windows[(hall, number)].items.set(ids)
        for window in self.windows.values():
            if window.kind == WindowKind.DEPARTMENT:
                window.items.set([i.pk for i in published if i.department_id == window.department_id])
