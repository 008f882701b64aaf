"""The legal documents (文书) a case produces, and which transition issues which."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.constants import Action, Decision


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    REFUSAL_DECISION = "refusal_decision", _("不予受理决定书")
    CORRECTION_NOTICE = "correction_notice", _("补正材料通知书")
    APPROVAL_DECISION = "approval_decision", _("准予许可决定书")
    DENIAL_DECISION = "denial_decision", _("不予许可决定书")
    EXTENSION_NOTICE = "extension_notice", _("延期通知书")
    SUSPENSION_NOTICE = "suspension_notice", _("特别程序告知书")
    DELIVERY_RECEIPT = "delivery_receipt", _("送达回证")


# The word between the issuer's code and 字 in a document number: 云溪市场监管受字〔2025〕第00012号.
KIND_WORD = {
    DocumentKind.ACCEPTANCE_NOTICE: "受",
    DocumentKind.REFUSAL_DECISION: "不受",
    DocumentKind.CORRECTION_NOTICE: "补",
    DocumentKind.APPROVAL_DECISION: "许",
    DocumentKind.DENIAL_DECISION: "不许",
    DocumentKind.EXTENSION_NOTICE: "延",
    DocumentKind.SUSPENSION_NOTICE: "特",
    DocumentKind.DELIVERY_RECEIPT: "送",
}

# Document titles are legal text: always Chinese, whatever the reader's language.
KIND_TITLE = {
    DocumentKind.ACCEPTANCE_NOTICE: "受理通知书",
    DocumentKind.REFUSAL_DECISION: "不予受理决定书",
    DocumentKind.CORRECTION_NOTICE: "补正材料通知书",
    DocumentKind.APPROVAL_DECISION: "准予许可决定书",
    DocumentKind.DENIAL_DECISION: "不予许可决定书",
    DocumentKind.EXTENSION_NOTICE: "延期通知书",
    DocumentKind.SUSPENSION_NOTICE: "特别程序告知书",
    DocumentKind.DELIVERY_RECEIPT: "送达回证",
}

_FIXED = {
    Action.ACCEPT: DocumentKind.ACCEPTANCE_NOTICE,
    Action.ACCEPT_WITH_WAIVER: DocumentKind.ACCEPTANCE_NOTICE,
    Action.REFUSE: DocumentKind.REFUSAL_DECISION,
    Action.REQUEST_CORRECTION: DocumentKind.CORRECTION_NOTICE,
    Action.APPROVE_EXTENSION: DocumentKind.EXTENSION_NOTICE,
    Action.SUSPEND: DocumentKind.SUSPENSION_NOTICE,
    Action.DELIVER: DocumentKind.DELIVERY_RECEIPT,
}
DECISION_ACTIONS = {Action.DECIDE, Action.INSTANT}  # 即办件 are decided at the window: same decision document
ISSUING_ACTIONS = set(_FIXED) | DECISION_ACTIONS


def kinds_for_event(action: str, data: dict | None) -> list[str]:
    """The document kinds an event of `action` issues (none for most events)."""
    if action in _FIXED:
        return [_FIXED[action]]
    if action in DECISION_ACTIONS:
        decision = (data or {}).get("decision")
        if decision == Decision.APPROVE:
            return [DocumentKind.APPROVAL_DECISION]
        if decision == Decision.DENY:
            return [DocumentKind.DENIAL_DECISION]
    return []
