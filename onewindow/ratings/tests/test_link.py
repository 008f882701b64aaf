"""The rating link travels with the applicant's message (notifications), once, in the body and SMS params."""

import pytest

from onewindow.notifications.models import Message
from onewindow.ratings.constants import ServiceEvent
from onewindow.ratings.models import RatingInvitation

pytestmark = pytest.mark.django_db


def test_completion_message_carries_the_signed_link(settings, make_case):
    settings.RATINGS_LINK_BASE_URL = "https://zwfw.example.gov.cn"
    settings.SMS_BACKEND = "none"
    case = make_case()
    invitation = RatingInvitation.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)
    message = Message.objects.get(case=case, template="case_completed")
    url = f"https://zwfw.example.gov.cn/rate/{invitation.token}"
    assert message.params["rating_url"] == url
    assert message.body.endswith(url) and message.body.count(url) == 1
    accepted = Message.objects.get(case=case, template="case_accepted")
    assert "rating_url" in accepted.params
    assert Message.objects.filter(case=case).count() == Message.objects.filter(case=case).values("event").distinct().count()


def test_no_link_without_the_site_address(settings, make_case):
    settings.SMS_BACKEND = "none"
    case = make_case()
    message = Message.objects.get(case=case, template="case_completed")
    assert "rating_url" not in message.params and "/rate/" not in message.body
    assert RatingInvitation.objects.filter(case=case).count() == 2  # the invitations exist all the same
