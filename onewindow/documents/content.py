"""What each document says: the facts of the case at the time of the event, and the body from a template.

Bodies live in templates/documents/pdf/<kind>.txt so that a bureau can override the wording (put a file of the
same name in a template directory listed earlier). Templates are rendered with autoescaping on: the result is
reportlab paragraph markup, so text typed by staff can never inject markup. Paragraphs are separated by blank
lines; a paragraph that is exactly `[[table]]` is replaced by the kind's table (the correction list).

Document text is legal text and is always Simplified Chinese, whatever the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from onewindow.cases.constants import ApplicantKind, Decision, DeliveryMethod, ExtensionStatus, SuspensionKind
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalogue.constants import TimeUnit

from .constants import KIND_TITLE, DocumentKind

LICENCE_TYPE_CODE = "01"  # 行政许可 in the national item-type dictionary
TABLE_MARKER = "[[table]]"


@dataclass
class DocumentContent:
    kind: str
    title: str
    number: str
    issuer: str
    date: dt.date
    addressee: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # reportlab markup, TABLE_MARKER for the table
    table: list[list[str]] | None = None  # first row is the header; cells are plain text
    table_widths: list[float] | None = None  # fractions of the text width
    receipt: list[tuple[str, str]] | None = None  # 送达回证: label/value rows instead of a letter
    keywords: str = ""

    @property
    def plain_text(self) -> str:
        """Everything the document says, for tests and search (markup removed)."""
        parts = [self.issuer, self.title, self.number, self.addressee]
        parts += [f"{k}：{v}" for k, v in self.facts]
        parts += [re.sub(r"<[^>]+>", "", p) for p in self.paragraphs if p != TABLE_MARKER]
        parts += ["\t".join(row) for row in self.table or []]
        parts += [f"{k}：{v}" for k, v in self.receipt or []]
        return "\n".join(p for p in parts if p)


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """2025年9月30日 (GB/T 9704: dates in Arabic numerals, no leading zeros)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local)} {local:%H:%M}"


def sentence(text: str) -> str:
    """Staff-typed text as a sentence: stripped, ending with a full stop."""
    text = (text or "").strip()
    if text and text[-1] not in "。！？；.!?;":
        text += "。"
    return text


def clause(text: str) -> str:
    """Staff-typed text inside a sentence: no trailing full stop."""
    return (text or "").strip().rstrip("。.；;")


def applicant_identifier(case: Case) -> tuple[str, str]:
    """The label and value of the applicant's identifier on the document.

    A 居民身份证号码 is masked except its last four characters (a downloadable copy travels by email and
    phones); a 统一社会信用代码 is public registration data and is shown in full.
    """
    applicant = case.applicant
    if applicant.kind == ApplicantKind.COMPANY:
        return "统一社会信用代码", applicant.credit_code
    return "居民身份证号码", applicant.identifier_masked


def _event_due(event: CaseEvent, case: Case) -> dt.datetime | None:
    raw = (event.clock or {}).get("due_at")
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and raw:
        return parse_datetime(raw)
    return case.due_at


def _unit_label(unit: str) -> str:
    return "工作日" if unit == TimeUnit.WORKDAY else "日"


def _base_context(event: CaseEvent, case: Case) -> dict:
    version = case.version
    department = case.department
    due = _event_due(event, case)
    unit = _unit_label(version.promised_days_unit)
    place = version.place or (case.hall.address if case.hall_id else "") or department.address or department.name
    return {
        "case": case,
        "event": event,
        "applicant": case.applicant,
        "department": department,
        "item_name": version.name,
        "is_licence": getattr(version.item_type, "code", "") == LICENCE_TYPE_CODE,
        "grant_word": "行政许可" if getattr(version.item_type, "code", "") == LICENCE_TYPE_CODE else "办理",
        "submitted_date": cn_date(case.submitted_at or case.created_at),
        "accepted_date": cn_date(case.accepted_at or event.created_at),
        "event_date": cn_date(event.created_at),
        "due_text": cn_date(due) if due else "",
        "promised": f"{version.promised_days}个{unit}" if version.promised_days else "",
        "unit": unit,
        "phone": version.consult_phone or department.phone,
        "place": place,
        "office_hours": version.office_hours,
        "result_name": version.result_name,
        "reason_text": sentence(event.comment or case.decision_reason or case.closed_reason),
        "reason_clause": clause(event.comment),
        "basis_text": clause(case.decision_basis or (event.data or {}).get("basis") or version.legal_basis)
        or "有关法律、法规",
        "remedy_template": "documents/pdf/_remedy.txt",
    }


def _paragraphs(markup: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", markup):
        text = "".join(line.strip() for line in block.splitlines())
        if text:
            out.append(text)
    return out


def _acceptance(event, case, ctx) -> None:
    waivers = (event.data or {}).get("waivers") or {}
    if waivers:
        names = {str(w.spec_id): w.spec.name for w in case.waivers.select_related("spec")}
        ctx["waivers"] = [{"name": names.get(str(spec_id), f"材料{spec_id}"),
                           "due": cn_date(dt.date.fromisoformat(str(due)[:10]))}
                          for spec_id, due in sorted(waivers.items(), key=lambda kv: str(kv[1]))]


def _correction(event, case, ctx, content: DocumentContent) -> None:
    data = event.data or {}
    notice = case.correction_notices.filter(pk=data.get("notice")).first() if data.get("notice") else None
    items = data.get("items") or (notice.items if notice else [])
    ctx["comment"] = (notice.comment if notice else event.comment) or ""
    ctx["during_review"] = bool(notice.during_review) if notice else event.from_status == "accepted"
    ctx["has_items"] = bool(items)
    if items:
        content.table = [["序号", "材料名称", "补正原因及要求"]]
        content.table += [[str(i), row.get("name", ""), row.get("reason", "")] for i, row in enumerate(items, 1)]
        content.table_widths = [0.1, 0.38, 0.52]


def _extension(event, case, ctx) -> None:
    days = (event.data or {}).get("days")
    extension = (case.extensions.filter(status=ExtensionStatus.APPROVED, decided_at__lte=event.created_at)
                 .order_by("-decided_at").first())
    ctx["days"] = days or (extension.days if extension else case.extension_days)
    ctx["extension_reason"] = clause(extension.reason) if extension else "情况复杂"


def _suspension(event, case, ctx) -> None:
    data = event.data or {}
    kind = data.get("kind", "")
    ctx["kind_label"] = str(SuspensionKind(kind).label) if kind in SuspensionKind.values else "特别程序"
    expected = data.get("expected_end")
    ctx["expected_end"] = cn_date(dt.date.fromisoformat(str(expected)[:10])) if expected else ""


def _receipt(event, case, ctx, content: DocumentContent) -> None:
    from .models import CaseDocument

    data = event.data or {}
    method = data.get("method") or case.delivery_method
    decisions = CaseDocument.objects.filter(
        case=case, kind__in=[DocumentKind.APPROVAL_DECISION, DocumentKind.DENIAL_DECISION]).order_by("created_at")
    served = [f"《{KIND_TITLE[d.kind]}》（{d.number}）" for d in decisions]
    if case.version.result_name and case.decision == Decision.APPROVE:
        served.append(case.version.result_name)
    if method == DeliveryMethod.MAIL:
        where = case.delivery_address
    elif method == DeliveryMethod.ELECTRONIC:
        where = "网上办事大厅申请人账户"
    else:
        where = (case.window and str(case.window)) or ctx["place"]
    method_label = str(DeliveryMethod(method).label) if method in DeliveryMethod.values else method
    tracking = data.get("tracking_number") or case.tracking_number
    content.receipt = [
        ("送达文书", "、".join(served) or "办理结果"),
        ("受送达人", case.applicant.name),
        ("送达地点", where or ""),
        ("送达方式", method_label + (f"（快递单号：{tracking}）" if tracking else "")),
        ("送达时间", cn_datetime(case.delivered_at or event.created_at)),
        ("送达人", event.actor_label or ""),
        ("受送达人签名或盖章", ""),
        ("备注", "电子送达的，以文书进入申请人网上办事大厅账户的时间为送达时间。"
         if method == DeliveryMethod.ELECTRONIC else ""),
    ]


def build_content(*, event: CaseEvent, kind: str, number: str) -> DocumentContent:
    """The content of the document of `kind` issued by `event`, numbered `number`."""
    case: Case = event.case
    ctx = _base_context(event, case)
    content = DocumentContent(kind=kind, title=KIND_TITLE[kind], number=number, issuer=case.department.name,
                              date=timezone.localtime(event.created_at).date(), addressee=case.applicant.name,
                              keywords=f"{case.number} {ctx['item_name']}")
    label, value = applicant_identifier(case)
    content.facts = [("申请人", case.applicant.name), (label, value), ("事项名称", ctx["item_name"]),
                     ("办件编号", case.number)]
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        _acceptance(event, case, ctx)
    elif kind == DocumentKind.CORRECTION_NOTICE:
        _correction(event, case, ctx, content)
    elif kind == DocumentKind.EXTENSION_NOTICE:
        _extension(event, case, ctx)
    elif kind == DocumentKind.SUSPENSION_NOTICE:
        _suspension(event, case, ctx)
    elif kind == DocumentKind.DELIVERY_RECEIPT:
        _receipt(event, case, ctx, content)
    content.paragraphs = _paragraphs(render_to_string(f"documents/pdf/{kind}.txt", ctx))
    return content
