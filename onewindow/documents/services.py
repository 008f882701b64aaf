"""Issuing numbered legal documents for case events.

Numbers are gap-free per department, kind and year: the counter row is locked (`select_for_update`) and
incremented in the same transaction that stores the document, so a failed render leaves no hole and two
issuers never share a number. Issuing is idempotent per (event, kind).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases.models import CaseEvent
from onewindow.core.audit import audit_log
from onewindow.org.models import Department

from .constants import ISSUING_ACTIONS, KIND_WORD, kinds_for_event
from .content import build_content
from .models import CaseDocument, DocumentIssuer, DocumentSequence
from .render import render_pdf

__all__ = [
    "document_number_format",
    "issuer_code_for",
    "document_issue",
    "documents_issue_for_event",
    "documents_create_missing",
    "document_record_download",
]

logger = logging.getLogger(__name__)

_REGION_SUFFIX = re.compile(r"(自治县|自治州|县|市|区|旗|镇|乡|街道)$")


def document_number_format(*, code: str, kind: str, year: int, serial: int) -> str:
    """云溪市场监管受字〔2025〕第00012号: issuer code + kind word + 字〔year〕第N号 (five digits)."""
    return f"{code}{KIND_WORD[kind]}字〔{year}〕第{serial:05d}号"


def _default_code(department: Department) -> str:
    short = (department.short_name or department.name).strip()
    region = department.region.name if department.region_id else ""
    stem = _REGION_SUFFIX.sub("", region) if len(region) > 2 else region
    if short.endswith("局") and len(short) > 2:
        short = short[:-1]
    code = short if (not stem or short.startswith(stem) or short.startswith(region)) else stem + short
    return code[:20]


def issuer_code_for(department: Department) -> str:
    """The department's 机关代字, created on first use (editable in the admin)."""
    issuer = DocumentIssuer.objects.filter(department=department).first()
    if issuer is not None:
        return issuer.code
    code = _default_code(department)
    for candidate in (code, f"{code}{department.pk}"):
        try:
            with transaction.atomic():
                return DocumentIssuer.objects.create(department=department, code=candidate).code
        except IntegrityError:
            issuer = DocumentIssuer.objects.filter(department=department).first()
            if issuer is not None:  # created concurrently for this department
                return issuer.code
    raise IntegrityError(f"No free document code for department {department.pk}.")


def _locked_sequence(department: Department, kind: str, year: int) -> DocumentSequence:
    try:
        with transaction.atomic():
            seq, _ = DocumentSequence.objects.select_for_update().get_or_create(
                department=department, kind=kind, year=year)
    except IntegrityError:  # created concurrently: the row exists now
        seq = DocumentSequence.objects.select_for_update().get(department=department, kind=kind, year=year)
    return seq


def document_issue(*, event: CaseEvent, kind: str) -> CaseDocument:
    """The document of `kind` for `event`: created, numbered and rendered unless it already exists."""
    existing = CaseDocument.objects.filter(event=event, kind=kind).first()
    if existing is not None:
        return existing
    case = event.case
    department = case.department
    year = timezone.localtime(event.created_at).year
    code = issuer_code_for(department)
    with transaction.atomic():
        seq = _locked_sequence(department, kind, year)
        existing = CaseDocument.objects.filter(event=event, kind=kind).first()  # re-check under the lock
        if existing is not None:
            return existing
        serial = seq.last + 1
        number = document_number_format(code=code, kind=kind, year=year, serial=serial)
        pdf = render_pdf(build_content(event=event, kind=kind, number=number))
        document = CaseDocument(case=case, event=event, kind=kind, number=number, year=year, serial=serial,
                                size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest())
        document.file.save(f"{case.number}-{kind}-{serial:05d}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        seq.last = serial
        seq.save(update_fields=["last"])
    logger.info("Issued %s %s for case %s", kind, number, case.number)
    return document


def documents_issue_for_event(*, event: CaseEvent) -> list[CaseDocument]:
    """Every document the event's action issues (none for most actions)."""
    return [document_issue(event=event, kind=kind) for kind in kinds_for_event(event.action, event.data)]


@dataclass
class MissingReport:
    created: list[CaseDocument] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (event id, kind, error)
    missing: list[tuple[int, str]] = field(default_factory=list)  # dry run: (event id, kind)


def documents_create_missing(*, case=None, since=None, dry_run: bool = False) -> MissingReport:
    """Issue the documents that events should have issued but did not (a render failed, a font was missing).

    Safe to run at any time: documents that exist are left alone.
    """
    report = MissingReport()
    events = (CaseEvent.objects.filter(action__in=ISSUING_ACTIONS)
              .select_related("case__department__region", "case__applicant", "case__version__item_type",
                              "case__hall", "case__window__hall")
              .prefetch_related("documents").order_by("created_at", "id"))
    if case is not None:
        events = events.filter(case=case)
    if since is not None:
        events = events.filter(created_at__gte=since)
    for event in events.iterator(chunk_size=500):
        have = {d.kind for d in event.documents.all()}
        for kind in kinds_for_event(event.action, event.data):
            if kind in have:
                continue
            if dry_run:
                report.missing.append((event.pk, kind))
                continue
            try:
                report.created.append(document_issue(event=event, kind=kind))
            except Exception as exc:  # keep going: one broken case must not stop the others
                logger.exception("Could not issue %s for event %s", kind, event.pk)
                report.failed.append((event.pk, kind, str(exc)))
    return report


def document_record_download(*, actor, document: CaseDocument) -> None:
    """Staff downloads of a document that carries personal data are audited."""
    audit_log(actor=actor, action="documents.download", obj=document,
              new={"case": document.case.number, "kind": document.kind})
