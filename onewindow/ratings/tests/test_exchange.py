"""Export of rating records to the exchange: the national shape, a valid SM2 signature checked by a local fake
receiver, a transient failure retried then sent, a permanent failure kept visible (admin) and retried by hand."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.utils import timezone

from onewindow.accounts.testing import staff_login
from onewindow.ratings import tasks
from onewindow.ratings.constants import ExportStatus
from onewindow.ratings.exchange import payload, services
from onewindow.ratings.exchange.sm2 import generate_keypair, sign, verify
from onewindow.ratings.models import ExportBatch, Rating

from .conftest import login, post
from .fakes import FakeReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys():
    return generate_keypair()


@pytest.fixture
def receiver(settings, keys):
    fake = FakeReceiver(public_key=keys[1])
    settings.RATINGS_EXCHANGE_URL = fake.url
    settings.RATINGS_EXCHANGE_PRIVATE_KEY, settings.RATINGS_EXCHANGE_PUBLIC_KEY = keys
    settings.RATINGS_EXCHANGE_SYSTEM_ID = "yunxi-onewindow"
    settings.RATINGS_EXCHANGE_TIMEOUT = 3.0
    settings.RATINGS_EXCHANGE_MAX_ATTEMPTS = 3
    yield fake
    fake.stop()


@pytest.fixture
def rated(make_case, citizen):
    case = make_case()
    post(login(citizen), "", {"case": case.number, "service_event": "whole_case", "level": 2,
                              "options": ["多次跑动"], "comment": "跑了三趟"})
    post(login(citizen), "", {"case": case.number, "service_event": "accept", "level": 5})
    return case


def test_sm2_sign_and_verify(keys):
    private, public = keys
    signature = sign(private, public, b"hello")
    assert verify(public, signature, b"hello")
    assert not verify(public, signature, b"hellO")
    assert verify("04" + public, signature, b"hello")
    assert not verify(generate_keypair()[1], signature, b"hello")


def test_the_record_in_the_exchange_shape(rated):
    rating = Rating.objects.select_related("case__version__item_type", "case__department", "case__region",
                                           "case__item", "applicant").get(service_event="whole_case")
    record = payload.rating_record(rating)
    assert record["projectNo"] == rated.number
    assert (record["serviceName"], record["evaluateType"], record["proStatus"]) == ("申报", "2", "2")
    assert (record["userProp"], record["alternate"], record["pf"]) == ("1", "2", "1")
    assert record["taskType"] == "01" and record["appraisald"] == ["多次跑动"]
    assert rating.applicant.id_number not in str(record) and record["certKey"].endswith(rating.applicant.id_number[-4:])
    assert payload.applicant_type_code("company", "91430422MA4L000001") == "2"
    assert payload.applicant_type_code("company", "11430422000000001X") == "6"
    assert payload.applicant_type_code("company", "52430422000000001X") == "4"
    assert {payload.SERVICE_NAME[e] for e in ("consult", "accept", "correct", "pay", "deliver")} == {
        "咨询", "申报", "补正", "缴费", "签收"}


def test_export_is_signed_and_accepted(receiver, rated):
    result = tasks.ratings_periodic()
    assert result["export_batches"] == 1
    [request] = receiver.requests
    assert request["signature_valid"] is True
    assert request["headers"]["X-System-Id"] == "yunxi-onewindow"
    assert request["json"]["count"] == 2
    batch = ExportBatch.objects.get()
    assert (batch.status, batch.attempts, batch.response) == (ExportStatus.SENT, 1, "R1")
    assert not Rating.objects.filter(exported_at__isnull=True).exists()
    assert tasks.ratings_periodic()["export_batches"] == 0  # nothing new


def test_a_wrong_key_is_rejected_by_the_receiver(settings, receiver, rated):
    settings.RATINGS_EXCHANGE_PRIVATE_KEY, settings.RATINGS_EXCHANGE_PUBLIC_KEY = generate_keypair()
    tasks.ratings_periodic()
    assert receiver.requests[0]["signature_valid"] is False
    batch = ExportBatch.objects.get()
    assert batch.status == ExportStatus.FAILED and "401" in batch.last_error


def test_transient_failure_is_retried_with_backoff_then_sent(receiver, rated):
    receiver.fail_times = 1
    tasks.ratings_periodic()
    batch = ExportBatch.objects.get()
    assert (batch.status, batch.attempts) == (ExportStatus.PENDING, 1)
    assert "503" in batch.last_error
    assert batch.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert services.batches_due() == []  # not yet due
    batch.next_attempt_at = timezone.now() - dt.timedelta(seconds=1)
    batch.save(update_fields=["next_attempt_at"])
    tasks.ratings_periodic()
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (ExportStatus.SENT, 2)
    assert all(r["signature_valid"] for r in receiver.requests)


def test_permanent_failure_is_visible_and_can_be_retried(receiver, rated, django_user_model):
    receiver.reject_with = 400
    tasks.ratings_periodic()
    batch = ExportBatch.objects.get()
    assert batch.status == ExportStatus.FAILED and "数据格式错误" in batch.last_error
    admin_user = django_user_model.objects.create_superuser("root", "root@example.com", "pass-1234-word")
    client = Client()
    staff_login(client, admin_user)  # /admin needs password + TOTP
    page = client.get("/admin/ratings/exportbatch/?status__exact=failed")
    assert page.status_code == 200 and "数据格式错误" in page.content.decode()
    receiver.reject_with = None
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin = site._registry[ExportBatch]
    assert services.batches_retry(batch_ids=[batch.pk]) == 1
    tasks.ratings_periodic()
    batch.refresh_from_db()
    assert batch.status == ExportStatus.SENT
    assert model_admin.has_delete_permission(request, batch) is False


def test_an_amended_rating_is_sent_again(receiver, rated, citizen):
    tasks.ratings_periodic()
    rating = Rating.objects.get(service_event="accept")
    post(login(citizen), f"/{rating.pk}/amend", {"level": 4})
    tasks.ratings_periodic()
    assert len(receiver.requests) == 2
    assert [r["evaluateId"] for r in receiver.requests[1]["json"]["records"]] == [str(rating.pk)]


def test_no_export_without_configuration(rated):
    assert tasks.ratings_periodic()["export_batches"] == 0
    assert not ExportBatch.objects.exists()
