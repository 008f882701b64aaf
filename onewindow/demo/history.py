"""A realistic history of cases and ratings for the demo county, written through the real services.

`history_load()` files applications, accepts (one with 容缺), asks for corrections, decides, completes and
delivers cases, rates them (mostly good, a few bad) and handles the bad ratings — each step at a past instant:
`django.utils.timezone.now` is patched (unittest.mock) while the service runs, and the callbacks the service
registers with `transaction.on_commit` (documents, notifications, rating invitations, supervision cards) are
run at that same instant, as the commit of a request would run them. Everything is one transaction: all or
nothing; `history_is_loaded()` (an audit row) makes a second run a no-op.

Dates are relative to the day it runs (working days from workcalendar) and every choice comes from a fixed
seed, so two runs on the same day build the same history. What it makes, and for whom:

* 李明 (13800138000): a case waiting for acceptance, one with a correction notice to act on, one under
  review, and one delivered with its decision document and an open whole-case rating invitation (the link is
  printed by `demo_load`).
* 青禾农业 (13900139000): an accepted case with a 容缺 material still owed.
* ~40 cases completed over the last two months across departments, rated on every channel; the bad ratings
  are in every stage of 差评整改 (closed, replied, appealed and upheld, rectifying, waiting for verification).
* ~10 open cases of 市场监管局 under review, due from three working days ago to nine days ahead (the
  reviewer's inbox shows green, yellow and red), one extension waiting for the head, one quick decision that
  the supervision rules flag; then the periodic jobs once at the real now (supervision run, 差评 overdue scan,
  expiry of rating invitations whose window closed).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from onewindow.cases import services as cases
from onewindow.cases.constants import ApplicantKind, CaseStatus, Channel, Decision, DeliveryMethod
from onewindow.cases.models import Case
from onewindow.catalogue.constants import Necessity
from onewindow.catalogue.models import ServiceItem
from onewindow.core.audit import audit_log
from onewindow.org.models import Window
from onewindow.ratings import services as ratings
from onewindow.ratings.constants import Level, Outcome, RatingChannel, ServiceEvent
from onewindow.ratings.models import RatingInvitation
from onewindow.supervision import services as supervision
from onewindow.supervision.models import Anomaly
from onewindow.workcalendar.clock import add_workdays, clock_settings

from .data import county
from .summary import DEMO_CITIZENS, HISTORY_ACTION, history_is_loaded

logger = logging.getLogger("onewindow.demo")

SEED = 2026
SITE_URL = "http://127.0.0.1:8000"  # where `make demo` serves (RATINGS_LINK_BASE_URL wins when set)
LIMING, QINGHE = DEMO_CITIZENS[0][0], DEMO_CITIZENS[1][0]

# Small valid files (the upload check reads the content, not the name).
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

# Items of 市场监管局 (the demo reviewer's and head's department) that need a decision: name → promised days.
SCJG_PROMISED = ["食品经营许可", "企业注销登记", "特种设备使用登记", "药品零售企业许可"]
# 即办件 finished at the comprehensive window 4 (the demo clerk), across departments.
INSTANT_PERSON = ["个体工商户设立登记", "仅销售预包装食品备案", "临时居民身份证申领", "无犯罪记录证明开具",
                  "社会保障卡申领", "异地就医备案", "生育登记", "购买自住住房提取住房公积金", "发票申领",
                  "不动产抵押权注销登记", "商品房买卖合同网签备案", "就业创业证申领"]
INSTANT_COMPANY = ["企业设立登记", "企业变更登记", "单位参保登记", "机动车维修经营备案", "新办纳税人“套餐式”服务"]

# 行政区划代码 of birth places that the ID check knows (4329xx: 零陵地区, 永州 before 1995; 4301xx: 长沙).
BIRTH_PLACES = ["432901", "432922", "432923", "432924", "430102", "430103", "430104", "430111"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["建华", "秀兰", "志强", "桂英", "海燕", "国庆", "丽娟", "晓东", "文静", "春梅", "建军", "玉兰", "俊杰",
         "慧敏", "永红", "小龙", "雪梅", "家豪", "红霞", "明辉", "佳怡", "德胜", "美玲", "振宇", "淑芬", "子涵"]
COMPANIES = ["云溪县湘源食品有限公司", "云溪县绿野生态农业专业合作社", "永州潇湘建材有限公司", "云溪县佳和商贸有限公司",
             "云溪县恒通物流有限公司", "云溪县康宁大药房有限公司", "云溪县锦程电梯工程有限公司", "云溪县桃源茶业有限公司",
             "云溪县鑫达机动车维修有限公司", "云溪县福满楼餐饮管理有限公司", "云溪县新时代文化传媒有限公司",
             "云溪县舜德科技有限公司"]

GOOD_COMMENTS = {
    Level.VERY_SATISFIED: ["窗口工作人员很耐心，一次就办好了。", "网上提交后很快就受理了，没有跑第二趟。", "", "",
                           "材料一次性告知清楚，点赞！"],
    Level.SATISFIED: ["整体顺利，排队时间稍长。", "", "办理比较快。"],
    Level.BASICALLY_SATISFIED: ["等候时间较长，希望增加窗口。", "流程还可以再简化。"],
}
BAD = [  # (level, options, comment) of the bad ratings, all on 市场监管局 cases (the demo head handles them)
    (Level.DISSATISFIED, ["未一次性告知"], "第一次去只说缺营业执照复印件，第二次去又说要租赁合同，来回跑了两趟。"),
    (Level.VERY_DISSATISFIED, ["办事效率低", "超时办结"], "承诺 3 个工作日，实际过了一个多星期才拿到许可证。"),
    (Level.DISSATISFIED, ["服务态度差"], "随便点的，其实没有问题。"),
    (Level.DISSATISFIED, ["材料要求不合理"], "要求提供的平面图必须由设计院盖章，小店没必要。"),
    (Level.DISSATISFIED, ["多次跑动"], "网上提交了还要到窗口核验一次原件。"),
]


@dataclass
class HistoryResult:
    cases: int = 0
    ratings: int = 0
    bad: int = 0
    red_cards: int = 0
    anomalies: int = 0
    seconds: float = 0.0
    numbers: dict[str, list[str]] = field(default_factory=dict)


def history_load() -> HistoryResult | None:
    """Write the demo history once (None if it is there already). One transaction."""
    if history_is_loaded():
        return None
    started = time.monotonic()
    with transaction.atomic():
        result = _History().run()
    result.seconds = time.monotonic() - started
    return result


# ------------------------------------------------------------------ the clock

@contextmanager
def at(instant: dt.datetime):
    """Run the enclosed service calls as if it were `instant`, and then run the on_commit callbacks they
    registered at that same instant (what the commit of a request would do), so receivers see the past too."""
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield
        while len(connection.run_on_commit) > start:
            pending = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _savepoints, callback, robust in pending:
                if robust:
                    try:
                        callback()
                    except Exception:
                        logger.exception("demo history: an on_commit callback failed")
                else:
                    callback()


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


# ------------------------------------------------------------------ the history

class _History:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.tz = clock_settings().tz
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        User = get_user_model()
        self.staff = {u.username: u for u in User.objects.filter(username__in=[a[0] for a in county.ACCOUNTS])}
        self.citizens = {u.mobile: u for u in User.objects.filter(mobile__in=[c[0] for c in DEMO_CITIZENS])}
        self.items = {i.name: i for i in ServiceItem.objects.filter(
            department__region__code=county.COUNTY_CODE, published_version__isnull=False).select_related(
            "published_version", "department")}
        self.window = Window.objects.select_related("hall").get(hall__region__code=county.COUNTY_CODE, number="4",
                                                                 department__isnull=True)
        self.result = HistoryResult()
        self.seq = 0

    # -------------------------------------------------------------- time helpers
    def day(self, back: int) -> dt.date:
        """The working day `back` working days before today (back ≥ 1)."""
        return add_workdays(self.today, -back)

    def t(self, back: int, hhmm: str, plus: int = 0) -> dt.datetime:
        """An instant in office hours `back` working days ago (`plus` minutes later)."""
        hour, minute = (int(x) for x in hhmm.split(":"))
        value = dt.datetime.combine(self.day(back), dt.time(hour, minute), tzinfo=self.tz)
        return value + dt.timedelta(minutes=plus)

    def recent(self, minutes: int) -> dt.datetime:
        """A little earlier (online applications come in at any hour)."""
        return self.now - dt.timedelta(minutes=minutes)

    # -------------------------------------------------------------- applicants
    def person(self, user=None, *, name: str = "", id_number: str = "", phone: str = ""):
        if user is None:
            self.seq += 1
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            birth = dt.date(1984, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 11 * 365))  # valid for every place
            place = BIRTH_PLACES[self.seq % len(BIRTH_PLACES)]
            body = f"{place}{birth:%Y%m%d}{self.seq:03d}"
            id_number = body + ric.calc_check_digit(body + "0")
        return cases.applicant_get_or_create(kind=ApplicantKind.PERSON, name=name, id_number=id_number,
                                             phone=phone, user=user)

    def company(self, user=None, *, name: str = "", credit_code: str = "", legal: str = ""):
        if user is None:
            self.seq += 1
            name = COMPANIES[self.seq % len(COMPANIES)]
            credit_code = county.credit_code("91", 200 + self.seq % len(COMPANIES))
            legal = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        return cases.applicant_get_or_create(kind=ApplicantKind.COMPANY, name=name, credit_code=credit_code,
                                             legal_representative=legal, user=user)

    def applicant_for(self, item: ServiceItem):
        version = item.published_version
        return self.person() if version.for_person else self.company()

    # -------------------------------------------------------------- case steps
    def required_specs(self, item: ServiceItem, *, skip_waivable: bool = False) -> list:
        return [m for m in item.published_version.materials.all()
                if m.necessity != Necessity.CONDITIONAL and not m.is_reusable
                and not (skip_waivable and m.necessity == Necessity.WAIVABLE)]

    def submit(self, when, item_name: str, applicant, *, online: bool, actor=None, skip_waivable=False) -> Case:
        item = self.items[item_name]
        specs = self.required_specs(item, skip_waivable=skip_waivable)
        with at(when):
            if online:  # the applicant uploads every required material (small real files)
                files = {m.pk: (png if n % 2 else pdf)(f"{m.name}.{'png' if n % 2 else 'pdf'}")
                         for n, m in enumerate(specs)}
                case = cases.case_submit(actor=actor, item_code=item.implementation_code, applicant=applicant,
                                         channel=Channel.ONLINE, files=files)
            else:  # at window 4 the clerk receives the paper originals
                case = cases.case_submit(actor=self.staff["clerk"], item_code=item.implementation_code,
                                         applicant=applicant, channel=Channel.WINDOW, window=self.window,
                                         paper=[m.pk for m in specs])
        self.result.cases += 1
        return case

    def step(self, when, fn, **kwargs):
        with at(when):
            return fn(**kwargs)

    def accept(self, when, case, actor: str = "clerk", **kwargs) -> Case:
        return self.step(when, cases.case_accept, actor=self.staff[actor], case=case, **kwargs)

    def decide(self, when, case, actor: str = "reviewer") -> Case:
        return self.step(when, cases.case_decide, actor=self.staff[actor], case=case, decision=Decision.APPROVE,
                         reason="申请材料齐全，符合法定条件和标准。")

    def complete(self, when, case, actor: str = "reviewer") -> Case:
        return self.step(when, cases.case_complete, actor=self.staff[actor], case=case)

    def deliver(self, when, case, actor: str = "clerk", method: str = DeliveryMethod.WINDOW) -> Case:
        extra = {}
        if method == DeliveryMethod.MAIL:
            extra = {"address": "云溪县潇湘大道 120 号", "tracking_number": f"YZ{case.number[-9:]}"}
        return self.step(when, cases.case_deliver, actor=self.staff[actor], case=case, method=method, **extra)

    def invitation(self, case, event: str = ServiceEvent.WHOLE_CASE) -> RatingInvitation:
        return RatingInvitation.objects.filter(case=case, service_event=event).order_by("-pk").first()

    def rate(self, when, case, level: int, *, channel: str, options=None, comment: str = "",
             event: str = ServiceEvent.WHOLE_CASE, actor=None):
        invitation = self.invitation(case, event)
        kwargs = {"via_token": True} if channel in (RatingChannel.MOBILE_LINK, RatingChannel.WINDOW_PAD) else {}
        if channel == RatingChannel.HOTLINE:
            kwargs = {"recorded_by": self.staff["manager"]}
        if channel == RatingChannel.ONLINE:
            kwargs = {"actor": actor}
        if not options and not comment:
            options = self.rng.sample(_options(level), k=min(2, len(_options(level))))
        rating = self.step(when, ratings.rating_submit, invitation=invitation, level=level, options=options,
                           comment=comment, channel=channel, **kwargs)
        self.result.ratings += 1
        return rating

    # -------------------------------------------------------------- run
    def run(self) -> HistoryResult:
        self.past_cases()
        self.open_reviews()
        self.citizen_cases()
        # The periodic jobs at the real now: supervision cards and anomalies, 差评 overdue cards.
        scan = supervision.supervision_run(now=self.now, full=True, anomalies=True)
        ratings.overdue_scan(now=self.now)
        ratings.invitations_expire(now=self.now)
        self.result.red_cards = scan.red
        self.result.anomalies = Anomaly.objects.count()
        audit_log(actor=self.staff["admin"], action=HISTORY_ACTION, object_type="demo", object_id=county.COUNTY_CODE,
                  new={"cases": self.result.cases, "ratings": self.result.ratings, "bad": self.result.bad})
        return self.result

    # ~40 cases completed over the last two months, rated; bad ratings in every stage of 差评整改.
    def past_cases(self) -> None:
        rng = self.rng
        levels = ([Level.VERY_SATISFIED] * 21 + [Level.SATISFIED] * 9 + [Level.BASICALLY_SATISFIED] * 4)
        rng.shuffle(levels)
        channels = [RatingChannel.WINDOW_PAD, RatingChannel.MOBILE_LINK, RatingChannel.WINDOW_PAD,
                    RatingChannel.HOTLINE, RatingChannel.MOBILE_LINK]
        plan = []  # (working days ago, kind, item, bad index or None)
        bad_slots = {40: 0, 34: 1, 28: 2, 12: 3, 4: 4}  # back → BAD entry (promised 市场监管局 cases)
        for n in range(40):
            back = 42 - n  # one case started each working day, oldest first
            if back in bad_slots:
                plan.append((back, "promised", SCJG_PROMISED[n % 2], bad_slots[back]))
            elif n % 3 == 0:
                plan.append((back, "promised", SCJG_PROMISED[n % len(SCJG_PROMISED)], None))
            else:
                pool = INSTANT_PERSON if n % 3 == 1 else INSTANT_COMPANY
                plan.append((back, "instant", pool[(n // 3) % len(pool)], None))
        for idx, (back, kind, name, bad) in enumerate(plan):
            item = self.items[name]
            applicant = self.applicant_for(item)
            minute = rng.randrange(0, 50)
            if kind == "instant":
                case = self.submit(self.t(back, "09:05", minute), name, applicant, online=False)
                self.step(self.t(back, "09:05", minute + 6), cases.case_complete_instantly,
                          actor=self.staff["clerk"], case=case)
                self.deliver(self.t(back, "09:05", minute + 7), case)
                rated_at = self.t(back, "09:05", minute + 8)
                channel = RatingChannel.WINDOW_PAD
            else:
                promised = item.published_version.promised_days
                online = idx % 2 == 0
                start = back
                case = self.submit(self.t(start, "09:10", minute), name, applicant, online=online)
                self.accept(self.t(start, "10:00", minute), case, actor="reviewer" if online else "clerk")
                if not online and bad is None:  # 一次一评: the acceptance rated on the window's pad
                    self.rate(self.t(start, "10:00", minute + 2), case, rng.choice([Level.VERY_SATISFIED,
                              Level.SATISFIED]), channel=RatingChannel.WINDOW_PAD, event=ServiceEvent.ACCEPT)
                late = bad == 1  # the 超时办结 complaint: decided well after the promise
                took = max(promised - 1, 0) if not late else promised + 3
                decide_back = max(start - took, 1)
                decider = "head" if idx % 4 == 0 else "reviewer"
                self.decide(self.t(decide_back, "15:00", minute), case, actor=decider)
                self.complete(self.t(decide_back, "16:00", minute), case)
                method = [DeliveryMethod.WINDOW, DeliveryMethod.MAIL, DeliveryMethod.ELECTRONIC][idx % 3]
                self.deliver(self.t(decide_back, "16:30", minute), case, method=method)
                rated_at = self.t(decide_back, "17:00", minute)
                channel = channels[idx % len(channels)]
            if bad is not None:
                level, options, comment = BAD[bad]
                rating = self.rate(rated_at, case, level, channel=RatingChannel.MOBILE_LINK, options=options,
                                   comment=comment)
                self.handle_bad(bad, rating, decide_back)
                self.result.bad += 1
            elif idx % 13 == 7:
                continue  # not every case is rated (the rating rate stays below 100 %)
            else:
                level = levels.pop() if levels else Level.VERY_SATISFIED
                comment = rng.choice(GOOD_COMMENTS[level])
                self.rate(rated_at, case, level, channel=channel, comment=comment)
            self.result.numbers.setdefault("past", []).append(case.number)

    def handle_bad(self, which: int, rating, back: int) -> None:
        """差评整改 in its stages: 0 closed after rectification, 1 replied (explained) and waiting for the
        applicant, 2 appealed and upheld, 3 rectifying, 4 waiting for verification (rated yesterday)."""
        from onewindow.ratings.models import BadRatingCase

        bad = BadRatingCase.objects.get(rating=rating)
        head, manager, inspector = self.staff["head"], self.staff["manager"], self.staff["inspector"]
        if which == 4:
            return
        if which == 2:
            self.step(self.t(back - 1, "10:30"), ratings.bad_case_appeal, actor=head, bad_case=bad,
                      reason="经调取窗口录像并电话联系，申请人表示系误点，办理过程无服务态度问题。")
            self.step(self.t(back - 3, "15:00"), ratings.bad_case_decide_appeal, actor=inspector, bad_case=bad,
                      upheld=True, comment="申请人电话确认系误评，申诉成立，该评价不计入统计。")
            return
        self.step(self.t(back - 1, "10:00"), ratings.bad_case_verify, actor=head, bad_case=bad,
                  note="已调阅办件记录并约谈窗口人员，情况属实。" if which != 3 else "已核实，正在研究简化材料要求。")
        if which == 3:
            return
        if which == 0:
            self.step(self.t(back - 4, "15:30"), ratings.bad_case_reply, actor=head, bad_case=bad,
                      outcome=Outcome.RECTIFIED, reply="经核实，窗口未一次性告知全部材料，已向您致歉。",
                      changes="修订食品经营许可一次性告知单，窗口人员重新培训；材料清单在网上办事大厅公示。")
            self.step(self.t(back - 5, "10:00"), ratings.bad_case_respond, bad_case=bad, satisfied=True,
                      comment="态度很诚恳，满意。", via_token=True)
            self.step(self.t(back - 6, "10:00"), ratings.bad_case_follow_up, actor=manager, bad_case=bad,
                      reached=True, note="电话回访，申请人对整改结果满意。", satisfied=True)
        else:
            self.step(self.t(back - 5, "11:00"), ratings.bad_case_reply, actor=head, bad_case=bad,
                      outcome=Outcome.EXPLAINED,
                      reply="该申请因现场核查发现整改事项，整改期间依法不计入办理时限；已向您说明。")

    # ~10 open 市场监管局 cases under review, due from three working days ago to nine days ahead.
    def open_reviews(self) -> None:
        # (item, accepted working days ago, channel online?)
        plan = [("企业注销登记", 4, False), ("食品经营许可", 6, True), ("特种设备使用登记", 8, False),
                ("食品经营许可", 3, False), ("特种设备使用登记", 4, True), ("食品经营许可", 2, False),
                ("特种设备使用登记", 2, False), ("药品零售企业许可", 3, True), ("药品零售企业许可", 1, False),
                ("企业注销登记", 1, True)]
        numbers = []
        for n, (name, back, online) in enumerate(plan):
            case = self.submit(self.t(back + 1, "14:40", n * 3), name, self.applicant_for(self.items[name]),
                               online=online)
            self.accept(self.t(back, "09:20", n * 4), case, actor="reviewer" if online else "clerk")
            numbers.append(case.number)
            if n == 4:  # the reviewer asks for more time; the head has it in 待延期审批
                self.step(self.t(back - 1, "10:15"), cases.case_request_extension, actor=self.staff["reviewer"],
                          case=case, days=5, reason="需组织现场核查特种设备安装质量，申请延长办理期限。")
        self.result.numbers["review"] = numbers
        # 体外循环 signal: a promised case decided four minutes after acceptance (quick_decision rule).
        name = "企业注销登记"
        case = self.submit(self.t(3, "09:30"), name, self.applicant_for(self.items[name]), online=False)
        self.accept(self.t(3, "10:00"), case, actor="clerk")
        self.decide(self.t(3, "10:04"), case, actor="head")
        self.complete(self.t(3, "10:30"), case)
        self.result.numbers["anomaly"] = [case.number]

    # The demo citizens' own cases (我的办件).
    def citizen_cases(self) -> None:
        liming, qinghe = self.citizens[LIMING], self.citizens[QINGHE]
        _m, _k, name, id_number, _c, _cc = DEMO_CITIZENS[0]
        me = self.person(liming, name=name, id_number=id_number, phone=LIMING)
        numbers = {}
        # 1. waiting for acceptance (filed online a little earlier today)
        case = self.submit(self.recent(40), "个体工商户设立登记", me, online=True, actor=liming)
        numbers["waiting"] = case.number
        # 2. a correction notice to act on: re-upload only the listed material
        case = self.submit(self.t(2, "10:05"), "食品经营许可", me, online=True, actor=liming)
        spec = self.required_specs(case.item)[-1]
        self.step(self.t(1, "09:40"), cases.case_request_correction, actor=self.staff["reviewer"], case=case,
                  items=[{"spec_id": spec.pk, "reason": "扫描件不清晰，请上传清晰完整的彩色扫描件"}],
                  comment="其余材料齐全，请仅重新上传所列材料。")
        numbers["correction"] = case.number
        # 3. under review
        case = self.submit(self.t(3, "15:10"), "食品经营许可", me, online=True, actor=liming)
        self.accept(self.t(2, "09:35"), case, actor="reviewer")
        numbers["review"] = case.number
        # 4. delivered, with its decision document and an open (unrated) whole-case invitation
        case = self.submit(self.t(7, "09:50"), "食品经营许可", me, online=True, actor=liming)
        self.accept(self.t(6, "10:20"), case, actor="reviewer")
        self.decide(self.t(4, "15:30"), case, actor="head")
        self.complete(self.t(4, "16:00"), case)
        self.deliver(self.t(3, "10:00"), case, method=DeliveryMethod.ELECTRONIC)
        numbers["rate"] = case.number
        # 陈晓: last month's case, corrected once (she re-uploaded the one material asked), delivered by mail and
        # rated online from her account
        chen = self.citizens[DEMO_CITIZENS[2][0]]
        _m, _k, name, id_number, _c, _cc = DEMO_CITIZENS[2]
        her = self.person(chen, name=name, id_number=id_number, phone=chen.mobile)
        case = self.submit(self.t(20, "09:30"), "食品经营许可", her, online=True, actor=chen)
        spec = self.required_specs(case.item)[0]
        self.step(self.t(19, "10:00"), cases.case_request_correction, actor=self.staff["reviewer"], case=case,
                  items=[{"spec_id": spec.pk, "reason": "缺少签名，请签名后重新上传"}])
        self.step(self.t(18, "09:15"), cases.case_resubmit, actor=chen, case=case,
                  files={spec.pk: pdf(f"{spec.name}（已签名）.pdf")}, comment="已签名。")
        self.accept(self.t(18, "10:30"), case, actor="reviewer")
        self.decide(self.t(16, "15:20"), case, actor="reviewer")
        self.complete(self.t(16, "16:10"), case)
        self.deliver(self.t(15, "09:30"), case, method=DeliveryMethod.MAIL)
        self.rate(self.t(15, "11:00"), case, Level.SATISFIED, channel=RatingChannel.ONLINE,
                  actor=chen, comment="补正通知写得很清楚，只补了一份材料。")
        numbers["chen"] = case.number
        # 青禾农业: accepted with a 容缺 material still owed
        _m, _k, legal, _id, company_name, credit = DEMO_CITIZENS[1]
        firm = self.company(qinghe, name=company_name, credit_code=credit, legal=legal)
        case = self.submit(self.t(2, "14:45"), "食品经营许可", firm, online=True, actor=qinghe, skip_waivable=True)
        waived = [m for m in case.version.materials.all() if m.necessity == Necessity.WAIVABLE]
        self.accept(self.t(1, "10:10"), case, actor="reviewer",
                    waivers={m.pk: add_workdays(self.today, 5) for m in waived},
                    comment="容缺受理：申请人书面承诺 5 个工作日内补交。")
        numbers["waiver"] = case.number
        for key, number in numbers.items():
            self.result.numbers[key] = [number]


def _options(level: int) -> list[str]:
    from onewindow.ratings import conf

    return conf.options().get(int(level), [])


# ------------------------------------------------------------------ what the demo_load printout shows

def rating_link(token: str) -> str:
    from onewindow.ratings.conf import link_base_url
    from onewindow.ratings.tokens import rating_url

    url = rating_url(token)
    return url if link_base_url() else f"{SITE_URL}{url}"


def history_lines() -> list[str]:
    """The 演示办件 block of the demo_load printout (read from the database, so a second run prints it too)."""
    from onewindow.supervision.constants import CardLevel
    from onewindow.supervision.models import Card

    mine = {c.status: c for c in Case.objects.filter(applicant__user__mobile=LIMING).order_by("created_at")}
    if not mine:
        return []
    lines = ["", "演示办件："]

    def number(status):
        case = mine.get(status)
        return case.number if case else "—"

    lines.append(f"  李明（{LIMING}）我的办件：待受理 {number(CaseStatus.SUBMITTED)}；"
                 f"待补正（只需重新上传补正通知所列材料）{number(CaseStatus.CORRECTION_REQUESTED)}；"
                 f"审查中 {number(CaseStatus.ACCEPTED)}；已送达（可下载决定书）{number(CaseStatus.DELIVERED)}")
    waiver = Case.objects.filter(applicant__user__mobile=QINGHE, waivers__supplied_at__isnull=True).first()
    if waiver is not None:
        lines.append(f"  青禾农业（{QINGHE}）容缺受理、待补交材料：{waiver.number}")
    inbox = list(Case.objects.filter(department__short_name="市场监管局", status=CaseStatus.ACCEPTED)
                 .order_by("due_at").values_list("number", flat=True))
    lines.append(f"  reviewer / head 待审查（共 {len(inbox)} 件，按期限排序）：{'、'.join(inbox[:3])} …")
    red = list(Card.objects.filter(level=CardLevel.RED, resolved_at__isnull=True).order_by("deadline_at")
               .values_list("case__number", flat=True))
    lines.append(f"  inspector 电子监察红牌（{len(red)} 张未办结）：{'、'.join(red)}")
    from onewindow.ratings.constants import OPEN_BAD_STATUSES
    from onewindow.ratings.models import BadRatingCase

    open_bad = list(BadRatingCase.objects.filter(status__in=OPEN_BAD_STATUSES).order_by("opened_at")
                    .values_list("case__number", flat=True))
    lines.append(f"  head 差评整改（{len(open_bad)} 件未办结）：{'、'.join(open_bad)}")
    delivered = mine.get(CaseStatus.DELIVERED)
    invitation = (RatingInvitation.objects.filter(case=delivered, service_event=ServiceEvent.WHOLE_CASE,
                                                  closed_at__isnull=True).first() if delivered else None)
    if invitation is not None:
        lines.append(f"  好差评：用手机打开下面的链接，对办件 {delivered.number} 作出评价（如“不满意”），"
                     "再以 head 登录处理差评整改：")
        lines.append(f"    {rating_link(invitation.token)}")
    return lines
