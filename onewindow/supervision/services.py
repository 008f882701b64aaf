"""Writes of supervision: cards (periodic scan and case events), alerts, anomaly findings and reviews,
step limits. Views, admin, commands and tasks call these; nothing else writes the models.

Cards come from two directions that agree with each other:

* `cards_scan` (every 5 minutes): range queries on the stored clock. Yellow: running cases with
  `warn_at` in (last scan − overlap, now] and no yellow card; red: the same with `due_at`. Only cases
  whose instant newly passed are read; a carded case is never read again.
* `cards_sync_case` (after every case transition): the same rules for one case at the instant of the
  event, so a case completed late between two scans still gets its red card, and cards are resolved
  when the case (or the step) leaves the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext

from onewindow.cases.constants import Action, CaseStatus
from onewindow.cases.models import Case, CaseEvent
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.models import Department, StaffRole
from onewindow.org.permissions import has_role

from . import rules
from .conf import anomaly_every, anomaly_first_lookback, full_sweep_every, scan_overlap
from .constants import (
    OFF_CLOCK_STATUSES,
    RUNNING_STATUSES,
    STEP_BY_CHANNEL,
    STEP_LIMITED,
    CardLevel,
    CardStep,
    Verdict,
)
from .models import Alert, Anomaly, Card, ScanState, StepLimit
from .notify import notify_staff
from .permissions import require_anomaly_reviewer, supervision_scope
from .steps import StepLimits, latest_start_carded, start_ranges, step_deadline

__all__ = [
    "ScanResult",
    "supervision_run",
    "cards_scan",
    "cards_sync_case",
    "alerts_send",
    "anomalies_detect",
    "anomaly_review",
    "step_limit_check",
    "step_limit_save",
]

logger = logging.getLogger("onewindow.supervision")

YELLOW, RED = CardLevel.YELLOW, CardLevel.RED
# What a card needs to know about its case (one values() row per case).
CASE_FIELDS = ("pk", "department_id", "hall_id", "window_id", "item_id", "accepted_by_id", "decided_by_id",
               "created_by_id", "channel", "warn_at", "due_at")


# What an alert needs of its card (the case row is wide: only its number is read).
ALERT_FIELDS = ("id", "case_id", "level", "step", "deadline_at", "department_id", "responsible_id", "case__number",
                "item__name")


@dataclass
class ScanResult:
    full: bool = False
    yellow: int = 0
    red: int = 0
    step_yellow: int = 0
    step_red: int = 0
    examined: int = 0  # case rows read by the scan
    resolved: int = 0
    alerts: int = 0
    anomalies: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------ helpers

def _state(key: str) -> ScanState:
    """The watermark row of one kind of periodic work, locked until the caller's transaction ends."""
    try:
        with transaction.atomic():
            state, _ = ScanState.objects.select_for_update().get_or_create(key=key)
    except IntegrityError:  # created concurrently
        state = ScanState.objects.select_for_update().get(key=key)
    return state


class Heads:
    """Department heads (StaffRole department_head of the department), read once per batch."""

    def __init__(self) -> None:
        self._by_department: dict[int, list[int]] = {}

    def load(self, department_ids: Iterable[int]) -> Heads:
        wanted = set(department_ids) - set(self._by_department)
        if wanted:
            for dept in wanted:
                self._by_department[dept] = []
            rows = (StaffRole.objects.filter(role=Role.DEPARTMENT_HEAD, department_id__in=wanted)
                    .order_by("pk").values_list("department_id", "user_id"))
            for dept, user in rows:
                if user not in self._by_department[dept]:
                    self._by_department[dept].append(user)
        return self

    def of(self, department_id: int) -> list[int]:
        return self.load([department_id])._by_department[department_id]


def _responsible(row: dict, step: str, heads: Heads) -> int | None:
    """The case's current handler: accepted_by until decided, decided_by after; the clerk who filed a window
    application for the acceptance step; else the department head."""
    if step == CardStep.CASE:
        user = row["decided_by_id"] or row["accepted_by_id"]
    elif step == CardStep.ACCEPTANCE:
        user = row["created_by_id"]
    else:
        user = None
    if user is None:
        found = heads.of(row["department_id"])
        user = found[0] if found else None
    return user


def _card(row: dict, heads: Heads, *, level: str, step: str, issued_at: dt.datetime, deadline_at: dt.datetime,
          escalated_at=None, resolved_at=None) -> Card:
    late_by = None
    if level == RED and resolved_at is not None:
        late_by = max(resolved_at - deadline_at, dt.timedelta(0))
    return Card(case_id=row["pk"], level=level, step=step, issued_at=issued_at, deadline_at=deadline_at,
                department_id=row["department_id"], hall_id=row["hall_id"], window_id=row["window_id"],
                item_id=row["item_id"], responsible_id=_responsible(row, step, heads),
                escalated_at=escalated_at, resolved_at=resolved_at, late_by=late_by)


def _cards_for(row: dict, heads: Heads, *, step: str, warn_at, due_at, reached, have: set[str],
               resolved_at=None) -> list[Card]:
    """The cards a case (or step) has earned by now: red implies yellow (escalated at the due instant)."""
    out = []
    if due_at is not None and reached(due_at):
        if warn_at is not None and YELLOW not in have:
            out.append(_card(row, heads, level=YELLOW, step=step, issued_at=min(warn_at, due_at), deadline_at=due_at,
                             escalated_at=due_at, resolved_at=resolved_at))
        if RED not in have:
            out.append(_card(row, heads, level=RED, step=step, issued_at=due_at, deadline_at=due_at,
                             resolved_at=resolved_at))
    elif warn_at is not None and reached(warn_at) and YELLOW not in have:
        out.append(_card(row, heads, level=YELLOW, step=step, issued_at=warn_at, deadline_at=due_at,
                         resolved_at=resolved_at))
    return out


def _store(cards: list[Card]) -> tuple[int, int]:
    """Insert new cards (a concurrent duplicate is ignored) and mark yellow cards whose red came."""
    if not cards:
        return 0, 0
    Card.objects.bulk_create(cards, ignore_conflicts=True, batch_size=500)
    red_steps: dict[str, list[int]] = defaultdict(list)
    for card in cards:
        if card.level == RED:
            red_steps[card.step].append(card.case_id)
    for step, case_ids in red_steps.items():
        red_issued = Card.objects.filter(case_id=OuterRef("case_id"), level=RED, step=step).values("issued_at")[:1]
        for chunk in _chunks(case_ids):
            Card.objects.filter(case_id__in=chunk, level=YELLOW, step=step, escalated_at__isnull=True).update(
                escalated_at=Subquery(red_issued))
    return sum(c.level == YELLOW for c in cards), sum(c.level == RED for c in cards)


def _resolve(case_id: int, steps: Iterable[str], at: dt.datetime) -> int:
    """The case (or a step) left the clock at `at`: close its open cards; red ones record how late."""
    count = 0
    for card in Card.objects.filter(case_id=case_id, step__in=list(steps), resolved_at__isnull=True):
        card.resolved_at = at
        fields = ["resolved_at"]
        if card.level == RED:
            card.late_by = max(at - card.deadline_at, dt.timedelta(0))
            fields.append("late_by")
        card.save(update_fields=fields)
        count += 1
    return count


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


# ------------------------------------------------------------------ the periodic scan

def _case_candidates(level: str, now: dt.datetime, since: dt.datetime | None) -> list[dict]:
    """Running cases whose warn_at (yellow) or due_at (red) is in (since, now] and that lack the card.

    Both are range scans of a cases index: (status, warn_at) for yellow; (department, status, due_at)
    for red, walked per department (an IN list on the leading column).
    """
    instant = "warn_at" if level == YELLOW else "due_at"
    qs = Case.objects.filter(status__in=RUNNING_STATUSES, **{f"{instant}__lte": now})
    if since is not None:
        qs = qs.filter(**{f"{instant}__gt": since})
    if level == RED:
        qs = qs.filter(department_id__in=list(Department.objects.order_by("pk").values_list("pk", flat=True)))
    carded = Card.objects.filter(case_id=OuterRef("pk"), step=CardStep.CASE)
    qs = qs.exclude(Exists(carded.filter(level=level)))
    fields = list(CASE_FIELDS)
    if level == RED:
        qs = qs.annotate(has_yellow=Exists(carded.filter(level=YELLOW)))
        fields.append("has_yellow")
    return list(qs.order_by().values(*fields))


def _scan_cases(now: dt.datetime, since: dt.datetime | None, heads: Heads, result: ScanResult) -> None:
    yellow_rows = _case_candidates(YELLOW, now, since)
    red_rows = _case_candidates(RED, now, since)
    result.examined += len(yellow_rows) + len(red_rows)
    heads.load(r["department_id"] for r in yellow_rows + red_rows)
    def reached(t):
        return t <= now

    cards: dict[tuple, Card] = {}
    for row in yellow_rows:
        for card in _cards_for(row, heads, step=CardStep.CASE, warn_at=row["warn_at"], due_at=row["due_at"],
                               reached=reached, have={RED}):
            cards[(card.case_id, card.level)] = card
    for row in red_rows:
        have = {YELLOW} if row["has_yellow"] else set()
        for card in _cards_for(row, heads, step=CardStep.CASE, warn_at=row["warn_at"], due_at=row["due_at"],
                               reached=reached, have=have):
            cards[(card.case_id, card.level)] = card  # a yellow from this row comes escalated
    yellow, red = _store(list(cards.values()))
    result.yellow += yellow
    result.red += red


def _scan_steps(now: dt.datetime, since: dt.datetime | None, heads: Heads, result: ScanResult) -> None:
    """Applications waiting for acceptance (window) or pre-review (online) past their step's limit.

    Incremental: only applications filed (or re-filed after a correction) in the bands of filing instants
    whose yellow or red instant passed since the last scan, found through the case event log's created_at
    index (usually no band at all outside office-end). Full (since None): every waiting application old
    enough to be yellow.
    """
    limits = StepLimits()
    carded = Card.objects.filter(case_id=OuterRef("pk"), step__in=STEP_LIMITED)
    restarted = (CaseEvent.objects.filter(case_id=OuterRef("pk"), action=Action.RESUBMIT)
                 .order_by("-created_at").values("created_at")[:1])
    qs = Case.objects.filter(status=CaseStatus.SUBMITTED)
    if since is None:
        qs = qs.filter(submitted_at__lte=latest_start_carded(limits, now, YELLOW))
    else:
        bands = start_ranges(limits, since, now)
        if not bands:
            return
        in_bands = Q()
        for lo, hi in bands:
            in_bands |= Q(created_at__gt=lo, created_at__lte=hi)
        filed = CaseEvent.objects.filter(in_bands, action__in=[Action.SUBMIT, Action.RESUBMIT]).values("case_id")
        qs = qs.filter(pk__in=Subquery(filed))
    rows = list(qs.exclude(Exists(carded.filter(level=RED)))
                .annotate(has_yellow=Exists(carded.filter(level=YELLOW)), restarted_at=Subquery(restarted))
                .order_by().values(*CASE_FIELDS, "submitted_at", "has_yellow", "restarted_at"))
    result.examined += len(rows)
    heads.load(r["department_id"] for r in rows)
    cards = []
    for row in rows:
        cards += _step_cards(row, limits, heads, reached=lambda t: t <= now,
                             have={YELLOW} if row["has_yellow"] else set())
    yellow, red = _store(cards)
    result.step_yellow += yellow
    result.step_red += red


def _step_cards(row: dict, limits: StepLimits, heads: Heads, *, reached, have: set[str],
                resolved_at=None) -> list[Card]:
    step = STEP_BY_CHANNEL.get(row["channel"])
    limit = limits.get(row["item_id"], step) if step else None
    if limit is None or row["submitted_at"] is None:
        return []
    start = max(row["submitted_at"], row.get("restarted_at") or row["submitted_at"])
    deadline = step_deadline(start, limit)
    return _cards_for(row, heads, step=step, warn_at=deadline.warn_at, due_at=deadline.due_at, reached=reached,
                      have=have, resolved_at=resolved_at)


def _reconcile(result: ScanResult) -> None:
    """Full sweep only: open cards of cases that left the clock without their event being seen."""
    stale = (Card.objects.filter(resolved_at__isnull=True, case__status__in=OFF_CLOCK_STATUSES)
             .order_by().values_list("case_id", flat=True).distinct())
    for case_id in list(stale):
        result.resolved += cards_sync_case(case_id=case_id)


def cards_scan(*, now: dt.datetime | None = None, full: bool | None = None) -> ScanResult:
    """Issue the cards earned since the last scan. Idempotent: running it twice issues nothing new.

    `full=None` decides by itself: a full sweep (every case past its instant, without the watermark, plus
    resolving stale cards) when none ran in SUPERVISION_FULL_SWEEP_HOURS, else incremental.
    """
    now = now or timezone.now()
    with transaction.atomic():
        state = _state("cards")
        if full is None:
            full = state.full_through is None or now - state.full_through >= full_sweep_every()
        since = None if full or state.through is None else state.through - scan_overlap()
        result = ScanResult(full=full)
        heads = Heads()
        _scan_cases(now, since, heads, result)
        _scan_steps(now, since, heads, result)
        if full:
            _reconcile(result)
            state.full_through = now
        state.through = now
        state.save(update_fields=["through", "full_through", "updated_at"])
    return result


def supervision_run(*, now: dt.datetime | None = None, full: bool | None = None,
                    anomalies: bool | None = None) -> ScanResult:
    """The periodic job (Celery beat, every 5 minutes): cards, then alerts, then — at most hourly — anomalies."""
    now = now or timezone.now()
    result = cards_scan(now=now, full=full)
    result.alerts = alerts_send(now=now)
    if anomalies is None:
        last = ScanState.objects.filter(key="anomalies").values_list("through", flat=True).first()
        anomalies = last is None or now - last >= anomaly_every()
    if anomalies:
        result.anomalies = anomalies_detect(now=now)
    return result


# ------------------------------------------------------------------ one case, after each transition

def cards_sync_case(*, case_id: int, event_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Bring one case's cards up to date after a transition; returns how many cards changed.

    Called by the case_event_committed receiver (idempotent: a repeated event changes nothing).
    """
    now = now or timezone.now()
    row = (Case.objects.filter(pk=case_id).order_by()
           .values(*CASE_FIELDS, "status", "paused_at", "accepted_at", "completed_at", "submitted_at").first())
    if row is None:
        return 0
    event = None
    if event_id is not None:
        event = CaseEvent.objects.filter(pk=event_id).values("action", "from_status", "to_status", "created_at").first()
    status = row["status"]
    heads = Heads()
    with transaction.atomic():
        have: dict[str, set[str]] = defaultdict(set)
        for level, step in Card.objects.filter(case_id=case_id).values_list("level", "step"):
            have[step].add(level)
        cards: list[Card] = []

        # The case's own clock: cards up to the instant it left the clock (if that instant is known), or now.
        off_at, off_known = None, False
        if status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED) and row["completed_at"] is not None:
            off_at, off_known = row["completed_at"], True
        elif status in OFF_CLOCK_STATUSES:
            off_known = bool(event and event["to_status"] == status)
            off_at = event["created_at"] if off_known else now
        if row["accepted_at"] is not None and row["due_at"] is not None and row["paused_at"] is None:
            if off_known:
                cards += _cards_for(row, heads, step=CardStep.CASE, warn_at=row["warn_at"], due_at=row["due_at"],
                                    reached=lambda t: t < off_at, have=have[CardStep.CASE], resolved_at=off_at)
            elif status in RUNNING_STATUSES:
                cards += _cards_for(row, heads, step=CardStep.CASE, warn_at=row["warn_at"], due_at=row["due_at"],
                                    reached=lambda t: t <= now, have=have[CardStep.CASE])

        # The step before acceptance.
        step = STEP_BY_CHANNEL.get(row["channel"])
        step_have = have[step] if step else set()
        left_step = None
        if status == CaseStatus.SUBMITTED:
            row["restarted_at"] = (CaseEvent.objects.filter(case_id=case_id, action=Action.RESUBMIT)
                                   .order_by("-created_at").values_list("created_at", flat=True).first())
            cards += _step_cards(row, StepLimits(), heads, reached=lambda t: t <= now, have=step_have)
        elif event is not None and event["from_status"] == CaseStatus.SUBMITTED:
            left_step = event["created_at"]
            row["restarted_at"] = (CaseEvent.objects.filter(case_id=case_id, action=Action.RESUBMIT,
                                                            created_at__lt=left_step)
                                   .order_by("-created_at").values_list("created_at", flat=True).first())
            cards += _step_cards(row, StepLimits(), heads, reached=lambda t: t < left_step, have=step_have,
                                 resolved_at=left_step)

        _store(cards)
        changed = len(cards)
        if off_at is not None:
            changed += _resolve(case_id, [CardStep.CASE], off_at)
        if status != CaseStatus.SUBMITTED:
            changed += _resolve(case_id, STEP_LIMITED, left_step or now)
    return changed


# ------------------------------------------------------------------ alerts

def _alert_text(card: Card) -> tuple[str, str]:
    case = card.case
    local = timezone.localtime(card.deadline_at).strftime("%Y-%m-%d %H:%M")
    values = {"number": case.number, "item": card.item.name, "deadline": local, "step": card.get_step_display()}
    if card.level == RED:
        title = gettext("【红牌】办件 %(number)s 已超期") % values
        body = gettext("办件 %(number)s（%(item)s）的%(step)s期限 %(deadline)s 已过，已亮红牌。请立即办理并说明超期原因。") % values
    else:
        title = gettext("【黄牌预警】办件 %(number)s 即将超期") % values
        body = gettext("办件 %(number)s（%(item)s）的%(step)s期限为 %(deadline)s，已亮黄牌。请在期限前办结，以免转为红牌。") % values
    return title, body


def alerts_send(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """预警: one alert per card that is still current (a yellow card already followed by its red one sends
    only the red alert), to the responsible person and the department heads. Idempotent.

    Reads only cards still waiting for their alert (a partial index); runs are serialised by a lock on the
    "alerts" watermark row, so two workers never alert the same card; each batch is one transaction.
    """
    now = now or timezone.now()
    sent = 0
    heads = Heads()
    users: dict = {}
    while True:
        with transaction.atomic():
            _state("alerts")
            cards = list(Card.objects.filter(alerted_at__isnull=True, resolved_at__isnull=True,
                                             escalated_at__isnull=True)
                         .select_related("case", "item").only(*ALERT_FIELDS).order_by("pk")[:batch])
            if not cards:
                break
            heads.load(c.department_id for c in cards)
            recipients_of = {}
            for card in cards:
                recipients_of[card.pk] = list(dict.fromkeys(
                    i for i in [card.responsible_id, *heads.of(card.department_id)] if i))
            missing = {i for ids in recipients_of.values() for i in ids} - set(users)
            if missing:
                users.update(get_user_model().objects.in_bulk(list(missing)))
            alerts = []
            for card in cards:
                recipients = [users[i] for i in recipients_of[card.pk] if i in users]
                title, body = _alert_text(card)
                alert = Alert(card=card, case_id=card.case_id, level=card.level, step=card.step,
                              message=f"{title}\n{body}",
                              recipients=[{"id": u.pk, "name": u.get_full_name()} for u in recipients])
                url = _case_url(card.case.number)
                alert.delivered = notify_staff(users=recipients, title=title, body=body, url=url,
                                               key=f"supervision:card:{card.pk}")
                alerts.append(alert)
            Alert.objects.bulk_create(alerts)
            Card.objects.filter(pk__in=[c.pk for c in cards]).update(alerted_at=now)
            sent += len(alerts)
        if len(cards) < batch:
            break
    return sent


def _case_url(number: str) -> str:
    """The case page in the workbench (where the recipient acts), or the API when the workbench is absent."""
    try:
        return reverse("workbench:case", args=[number])
    except NoReverseMatch:  # pragma: no cover - workbench not installed
        return reverse("supervision-api:card-list")


# ------------------------------------------------------------------ anomalies

def anomalies_detect(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every 体外循环 rule over the event log since the last run (with overlap); new findings only."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _state("anomalies")
        start = state.through - scan_overlap() if state.through else now - anomaly_first_lookback()
        window = rules.Window(start=start, end=now, last_case_id=state.data.get("last_case_id"))
        findings: list[tuple[str, rules.Finding]] = []
        counts = {}
        for code, rule in rules.RULES.items():
            found = rule(window)
            counts[str(code)] = len(found)
            findings += [(code, f) for f in found]
        created = _store_findings(findings)
        state.through = now
        last = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
        state.data = {**state.data, "last_case_id": last}
        state.save(update_fields=["through", "data", "updated_at"])
    counts["created"] = created
    return counts


def _store_findings(findings: list[tuple[str, rules.Finding]]) -> int:
    if not findings:
        return 0
    ids = sorted({f.case_id for _, f in findings})
    cases = {}
    for chunk in _chunks(ids):
        cases.update({r["pk"]: r for r in Case.objects.filter(pk__in=chunk).order_by()
                      .values("pk", "department_id", "hall_id", "window_id", "item_id")})
    existing = set()
    for chunk in _chunks(ids):
        existing |= set(Anomaly.objects.filter(case_id__in=chunk).values_list("case_id", "rule"))
    rows = {}
    for code, f in findings:
        key = (f.case_id, str(code))
        if key in existing or key in rows:
            continue
        c = cases[f.case_id]
        rows[key] = Anomaly(case_id=f.case_id, rule=code, account_id=f.account_id, department_id=c["department_id"],
                            hall_id=c["hall_id"], window_id=c["window_id"], item_id=c["item_id"],
                            occurred_at=f.occurred_at, detail=f.detail)
    Anomaly.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=500)
    return len(rows)


@transaction.atomic
def anomaly_review(*, actor, anomaly_id: int, verdict: str, comment: str) -> Anomaly:
    """An inspector's conclusion on a finding: explained (normal) or confirmed (a violation), with a comment."""
    anomaly = (Anomaly.objects.select_for_update(of=("self",)).select_related("department__region")
               .filter(pk=anomaly_id).first())
    if anomaly is None or not supervision_scope(actor).covers(anomaly.department_id, anomaly.hall_id):
        raise NotFound("未找到该异常办件。")
    require_anomaly_reviewer(actor, anomaly.department)
    if verdict not in (Verdict.EXPLAINED, Verdict.CONFIRMED):
        raise ApplicationError("核查结论只能是“已说明”或“确认违规”。", fields={"verdict": "请选择 explained 或 confirmed。"})
    comment = (comment or "").strip()
    if not comment:
        raise ApplicationError("请填写核查说明。", code="required", fields={"comment": "请填写核查说明。"})
    if anomaly.verdict != Verdict.PENDING:
        raise Conflict(f"该异常办件已核查（{anomaly.get_verdict_display()}），不能重复核查。", code="already_reviewed")
    anomaly.verdict = verdict
    anomaly.review_comment = comment
    anomaly.reviewed_by = actor
    anomaly.reviewed_at = timezone.now()
    anomaly.save(update_fields=["verdict", "review_comment", "reviewed_by", "reviewed_at"])
    audit_log(actor=actor, action="supervision.anomaly_review", obj=anomaly,
              old={"verdict": Verdict.PENDING}, new={"verdict": verdict, "rule": anomaly.rule,
                                                     "case": anomaly.case_id},
              reason=comment)
    return anomaly


# ------------------------------------------------------------------ configuration

def step_limit_check(*, actor, step: str, working_days, yellow_ratio) -> Decimal | None:
    """Validate a step limit (and who sets it) without saving; returns the ratio as a Decimal."""
    if not has_role(actor, (Role.ADMIN,)):
        raise PermissionDenied("只有系统管理员可以设置环节时限。")
    if step not in STEP_LIMITED:
        raise ApplicationError("只能为窗口受理和网上预审设置环节时限。", fields={"step": "无效的环节。"})
    if isinstance(working_days, bool) or not isinstance(working_days, int) or not 0 <= working_days <= 60:
        raise ApplicationError("环节时限应为 0 至 60 个工作日。", fields={"working_days": "应为 0 至 60。"})
    if yellow_ratio is not None:
        yellow_ratio = Decimal(str(yellow_ratio))
        if not Decimal("0") <= yellow_ratio <= Decimal("1"):
            raise ApplicationError("黄牌比例应在 0 到 1 之间。", fields={"yellow_ratio": "应在 0 到 1 之间，如 0.20。"})
    return yellow_ratio


@transaction.atomic
def step_limit_save(*, actor, step: str, working_days: int, yellow_ratio: Decimal | None, item=None) -> StepLimit:
    """Set a step's limit, bureau-wide (item None) or for one item. Administrators only; audited."""
    yellow_ratio = step_limit_check(actor=actor, step=step, working_days=working_days, yellow_ratio=yellow_ratio)
    existing = StepLimit.objects.select_for_update().filter(item=item, step=step).first()
    old = ({"working_days": existing.working_days, "yellow_ratio": existing.yellow_ratio} if existing else {})
    limit = existing or StepLimit(item=item, step=step)
    limit.working_days, limit.yellow_ratio = working_days, yellow_ratio
    limit.save()
    audit_log(actor=actor, action="supervision.step_limit_set", obj=limit, old=old,
              new={"item": item.pk if item else None, "step": step, "working_days": working_days,
                   "yellow_ratio": yellow_ratio})
    return limit

