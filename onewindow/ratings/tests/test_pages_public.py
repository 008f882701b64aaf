"""The applicant's rating pages: the signed link (no sign-in), the signed-in page of 我的办件, the reply."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.ratings import services
from onewindow.ratings.constants import BadCaseStatus, Outcome, RatingChannel, ServiceEvent
from onewindow.ratings.models import BadRatingCase, Rating, RatingInvitation
from onewindow.ratings.views.common import mask_name

from .conftest import login

pytestmark = pytest.mark.django_db


def whole(case) -> RatingInvitation:
    return RatingInvitation.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)


def link(invitation, suffix="") -> str:
    return f"/rate/{invitation.token}/{suffix}"


def test_link_page_shows_the_service_and_five_levels_without_sign_in(make_case, clerk):
    invitation = whole(make_case())
    response = Client().get(link(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("食品经营许可", "整体办件", "县市场监管局", "钱窗口", "李*", "非常满意", "满意", "基本满意", "不满意",
                 "非常不满意", "服务态度差", "提交评价"):
        assert text in html
    assert "李明" not in html  # the applicant's name is masked
    assert response["Cache-Control"].count("no-store")


def test_the_bare_link_of_the_message_opens_the_page(make_case):
    invitation = whole(make_case())
    assert Client().get(f"/rate/{invitation.token}").status_code == 200


def test_rate_good_then_thanks_then_second_visit_shows_it(make_case):
    invitation = whole(make_case())
    client = Client()
    response = client.post(link(invitation), {"level": "5", "options-5": ["服务态度好"], "comment": "很快"})
    assert response.status_code == 302 and response["Location"] == link(invitation, "thanks/")
    rating = Rating.objects.get(invitation=invitation)
    assert (rating.level, rating.options, rating.comment, rating.channel) == (5, ["服务态度好"], "很快",
                                                                             RatingChannel.MOBILE_LINK)
    assert "感谢您的评价" in client.get(link(invitation, "thanks/")).content.decode()
    again = client.get(link(invitation)).content.decode()
    assert "您已评价该服务" in again and "修改评价（只能修改一次）" in again and "提交评价" not in again


def test_options_of_another_level_are_ignored(make_case):
    invitation = whole(make_case())
    Client().post(link(invitation), {"level": "4", "options-2": ["服务态度差"], "options-4": ["办事流程顺畅"]})
    assert Rating.objects.get(invitation=invitation).options == ["办事流程顺畅"]


def test_bad_level_needs_a_reason_in_chinese(make_case):
    invitation = whole(make_case())
    response = Client().post(link(invitation), {"level": "2", "comment": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "差评请至少选择一项原因或填写评价内容。" in html
    assert 'value="2" checked' in html  # the choice is kept
    assert not Rating.objects.exists()


def test_no_level_is_a_chinese_message(make_case):
    response = Client().post(link(whole(make_case())), {"comment": "x"})
    assert response.status_code == 400 and "请选择评价等级。" in response.content.decode()


def test_bad_rating_with_option_opens_a_rectification_record(make_case):
    invitation = whole(make_case())
    Client().post(link(invitation), {"level": "2", "options-2": ["办事效率低"], "comment": "等了很久"})
    rating = Rating.objects.get(invitation=invitation)
    assert rating.level == 2 and BadRatingCase.objects.filter(rating=rating).exists()
    html = Client().get(link(invitation, "thanks/")).content.decode()
    assert "办理部门将核实整改" in html


def test_double_submit_keeps_one_rating_and_says_409(make_case):
    invitation = whole(make_case())
    client = Client()
    assert client.post(link(invitation), {"level": "5"}).status_code == 302
    response = client.post(link(invitation), {"level": "1", "options-1": ["吃拿卡要"]})
    assert response.status_code == 409
    assert "只能评价一次" in response.content.decode()
    assert Rating.objects.filter(invitation=invitation).count() == 1
    assert Rating.objects.get(invitation=invitation).level == 5


def test_amend_once_then_locked(make_case):
    invitation = whole(make_case())
    client = Client()
    client.post(link(invitation), {"level": "2", "options-2": ["多次跑动"]})
    form = client.get(link(invitation, "amend/"))
    assert form.status_code == 200 and "提交修改" in form.content.decode()
    response = client.post(link(invitation, "amend/"), {"level": "4", "options-4": ["服务态度好"]})
    assert response.status_code == 302
    rating = Rating.objects.get(invitation=invitation)
    assert rating.level == 4 and rating.amendment.old_level == 2
    assert BadRatingCase.objects.get(rating=rating).status == BadCaseStatus.CLOSED
    page = client.get(link(invitation)).content.decode()
    assert "已修改过一次" in page and link(invitation, "amend/") not in page
    assert client.get(link(invitation, "amend/")).status_code == 409
    second = client.post(link(invitation, "amend/"), {"level": "5"})
    assert second.status_code == 409 and "只能修改一次" in second.content.decode()
    assert Rating.objects.get(invitation=invitation).level == 4


def test_amend_window_closed(make_case):
    invitation = whole(make_case())
    Client().post(link(invitation), {"level": "5"})
    Rating.objects.filter(invitation=invitation).update(amend_until=timezone.now() - dt.timedelta(minutes=1))
    response = Client().get(link(invitation, "amend/"))
    assert response.status_code == 409 and "修改期已过" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:1abc:forged", "x" * 150])
def test_forged_token_is_a_chinese_404(token):
    response = Client().get(f"/rate/{token}/")
    assert response.status_code == 404
    assert "评价链接无效或已过期" in response.content.decode()


def test_a_token_of_another_invitation_shape_is_refused(make_case):
    invitation = whole(make_case())
    other = whole(make_case())
    tampered = invitation.token[:-3] + other.token[-3:]
    assert Client().get(f"/rate/{tampered}/").status_code == 404


def test_expired_link_is_4xx_never_500(make_case, settings):
    invitation = whole(make_case())
    RatingInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    response = Client().get(link(invitation))
    assert response.status_code == 409 and "评价期已过" in response.content.decode()
    assert Client().post(link(invitation), {"level": "5"}).status_code == 409
    # Past the link's own age (signature), everything is a 404 with the Chinese message.
    settings.RATINGS_WINDOW_DAYS = 0
    settings.RATINGS_LINK_DAYS = 0
    response = Client().post(link(invitation), {"level": "5"})
    assert response.status_code == 404 and "评价链接无效或已过期" in response.content.decode()
    assert not Rating.objects.exists()


def test_follow_up_reply_and_satisfied(make_case, head):
    invitation = whole(make_case())
    client = Client()
    client.post(link(invitation), {"level": "1", "options-1": ["服务态度差"], "comment": "态度不好"})
    bad = BadRatingCase.objects.get()
    # Before the department replies, the page says it is being handled, and offers no answer.
    waiting = client.get(link(invitation, "reply/")).content.decode()
    assert "正在核实整改" in waiting and 'name="satisfied"' not in waiting
    services.bad_case_verify(actor=head, bad_case=bad, note="属实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome=Outcome.RECTIFIED, reply="已对窗口人员批评教育",
                            changes="开展服务规范培训")
    page = client.get(link(invitation, "reply/")).content.decode()
    assert "已对窗口人员批评教育" in page and "开展服务规范培训" in page and 'name="satisfied"' in page
    assert "评价整改结果" in client.get(link(invitation)).content.decode()
    missing = client.post(link(invitation, "reply/"), {"comment": "x"})
    assert missing.status_code == 400 and "请选择您对整改结果是否满意。" in missing.content.decode()
    done = client.post(link(invitation, "reply/"), {"satisfied": "1", "comment": "谢谢"})
    assert done.status_code == 302
    bad.refresh_from_db()
    assert bad.applicant_satisfied is True and bad.status == BadCaseStatus.FOLLOW_UP
    assert "感谢您的反馈" in client.get(done["Location"]).content.decode()
    assert client.post(link(invitation, "reply/"), {"satisfied": "0"}).status_code == 409


def test_follow_up_unsatisfied_goes_back_once(make_case, head):
    invitation = whole(make_case())
    Client().post(link(invitation), {"level": "2", "comment": "慢"})
    bad = BadRatingCase.objects.get()
    services.bad_case_verify(actor=head, bad_case=bad, note="属实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome=Outcome.EXPLAINED, reply="依法需要审查")
    Client().post(link(invitation, "reply/"), {"satisfied": "0", "comment": "不认可"})
    bad.refresh_from_db()
    assert (bad.status, bad.round, bad.escalated) == (BadCaseStatus.RECTIFYING, 2, True)


def test_reply_page_without_a_bad_rating_is_404(make_case):
    invitation = whole(make_case())
    Client().post(link(invitation), {"level": "5"})
    assert Client().get(link(invitation, "reply/")).status_code == 404


# ------------------------------------------------------------------ signed in (我的办件)

def test_my_case_shows_go_rate_and_the_online_page_rates(make_case, citizen):
    case = make_case()
    client = login(citizen)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "服务评价" in page and "去评价" in page
    url = f"/rate/my/{case.number}/whole_case/"
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "4", "options-4": ["办事流程顺畅"]})
    assert response.status_code == 302 and response["Location"] == f"{url}thanks/"
    rating = Rating.objects.get(case=case, service_event=ServiceEvent.WHOLE_CASE)
    assert rating.channel == RatingChannel.ONLINE and rating.rater_user == citizen
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "满意" in page and "查看评价" in page


def test_my_case_shows_the_reply(make_case, citizen, head):
    case = make_case()
    client = login(citizen)
    client.post(f"/rate/my/{case.number}/whole_case/", {"level": "2", "options-2": ["多次跑动"]})
    bad = BadRatingCase.objects.get()
    services.bad_case_verify(actor=head, bad_case=bad, note="属实")
    services.bad_case_reply(actor=head, bad_case=bad, outcome=Outcome.RECTIFIED, reply="已改进", changes="一次告知")
    assert "查看整改反馈" in client.get(f"/my/cases/{case.number}/").content.decode()
    page = client.get(f"/rate/my/{case.number}/whole_case/reply/").content.decode()
    assert "已改进" in page
    assert client.post(f"/rate/my/{case.number}/whole_case/reply/", {"satisfied": "1"}).status_code == 302
    assert BadRatingCase.objects.get().applicant_satisfied is True


def test_someone_elses_case_is_404(make_case, stranger):
    case = make_case()
    client = login(stranger)
    response = client.get(f"/rate/my/{case.number}/whole_case/")
    assert response.status_code == 404
    assert client.post(f"/rate/my/{case.number}/whole_case/", {"level": "5"}).status_code == 404
    assert not Rating.objects.exists()


def test_the_online_page_needs_sign_in(make_case):
    case = make_case()
    response = Client().get(f"/rate/my/{case.number}/whole_case/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_mask_name():
    assert mask_name("李明") == "李*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("云溪县某某科技有限公司") == "云溪******公司"
    assert mask_name("") == ""
