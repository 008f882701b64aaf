"""Drafts: saved as typed, files checked by content, submitted once even when two requests race."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from onewindow.applications import services
from onewindow.applications.constants import DraftStatus
from onewindow.applications.models import ApplicationDraft, DeliveryPreference, DraftFile
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.tests.factories import EXE_BYTES, pdf, valid_ric
from onewindow.catalogue import services as catalogue_services
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied
from onewindow.org.tests.factories import UserFactory

APPLICANT = {"kind": "person", "name": "李明", "id_number": valid_ric(11), "phone": "13800138000"}


@pytest.fixture
def version(db):
    return published_item()


@pytest.fixture
def user(db):
    return UserFactory(username="citizen")


def _ready_draft(user, version):
    draft = services.draft_open(user=user, item_code=version.item.implementation_code)
    spec = version.materials.get(name="食品经营许可申请书")
    services.draft_attach_file(user=user, draft=draft, spec_id=spec.pk, upload=pdf())
    return draft


def test_submit_twice_gives_one_case(user, version):
    draft = _ready_draft(user, version)
    first = services.draft_submit(user=user, draft=draft, applicant=APPLICANT)
    second = services.draft_submit(user=user, draft=draft, applicant=APPLICANT)
    assert first.was_created and not second.was_created and first.pk == second.pk
    assert Case.objects.count() == 1 and CaseEvent.objects.filter(action="submit").count() == 1
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED and draft.case == first
    with pytest.raises(Conflict, match="已经提交"):
        services.draft_save(user=user, draft=draft, applicant_data={"name": "x"})


def test_a_disguised_executable_never_reaches_the_draft(user, version):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = services.draft_open(user=user, item_code=version.item.implementation_code)
    spec = version.materials.first()
    with pytest.raises(ApplicationError, match="内容不是 PDF、JPG、PNG 或 OFD") as exc:
        services.draft_attach_file(user=user, draft=draft, spec_id=spec.pk,
                                   upload=SimpleUploadedFile("a.pdf", EXE_BYTES, content_type="application/pdf"))
    assert f"materials.{spec.pk}" in exc.value.fields
    assert not DraftFile.objects.exists()


def test_required_material_missing_blocks_submission(user, version):
    draft = services.draft_open(user=user, item_code=version.item.implementation_code)
    with pytest.raises(ApplicationError, match="食品经营许可申请书"):
        services.draft_submit(user=user, draft=draft, applicant=APPLICANT)
    assert not Case.objects.exists()


def test_republished_item_moves_the_draft_and_keeps_files_by_material_name(user, version):
    draft = _ready_draft(user, version)
    new = catalogue_services.version_start_draft(actor=None, item=version.item)
    new = catalogue_services.version_publish_unreviewed(actor=None, version=new, reason="test")
    again = services.draft_open(user=user, item_code=version.item.implementation_code)
    assert again.pk == draft.pk and again.version_id == new.pk
    assert DraftFile.objects.get().spec.version_id == new.pk


def test_delivery_choice_only_by_the_applicant(user, version):
    draft = _ready_draft(user, version)
    case = services.draft_submit(user=user, draft=draft, applicant=APPLICANT)
    with pytest.raises(PermissionDenied):
        services.delivery_preference_set(actor=UserFactory(username="x"), case=case, method="window")
    services.delivery_preference_set(actor=user, case=case, method="window")
    assert DeliveryPreference.objects.get(case=case).method == "window"


@pytest.mark.django_db(transaction=True)
def test_two_submits_racing_create_one_case():
    version = published_item()
    user = UserFactory(username="racer")
    draft = _ready_draft(user, version)
    barrier = threading.Barrier(2)
    cases, errors = [], []

    def submit():
        barrier.wait()
        try:
            cases.append(services.draft_submit(user=user, draft=draft.pk, applicant=APPLICANT).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(cases)) == 1 and Case.objects.count() == 1
    assert ApplicationDraft.objects.get().status == DraftStatus.SUBMITTED


def test_applying_for_an_account_that_gave_no_authorisation_is_refused(user, version):
    other = UserFactory(username="company")
    draft = _ready_draft(user, version)
    with pytest.raises(PermissionDenied, match="授权"):
        services.draft_submit(user=user, draft=draft, applicant={**APPLICANT, "account_id": other.pk})
    assert not Case.objects.exists()


def test_abandoned_drafts_are_purged_with_their_files(user, version, django_capture_on_commit_callbacks):
    import datetime as dt
    import io

    from django.core.management import call_command
    from django.utils import timezone

    draft = _ready_draft(user, version)
    stored = DraftFile.objects.get()
    storage, name = stored.file.storage, stored.file.name
    ApplicationDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=91))
    assert services.drafts_purge(older_than_days=90, dry_run=True) == 1
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("drafts_purge", "--days", "90", stdout=out)
    assert "deleted 1 draft" in out.getvalue()
    assert not ApplicationDraft.objects.exists() and not storage.exists(name)
