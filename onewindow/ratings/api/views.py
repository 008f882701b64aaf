"""好差评 API: rate (applicant session, signed link, or 12345 operator), amend once, options, the applicant's own
ratings and replies, the departments' bad-rating cases and their actions, statistics (JSON and Excel).

Thin views: validate, call one selector or service, serialise. Errors come out in the project's error body.
"""

from __future__ import annotations

import io

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.api.schema import JSON, ErrorSerializer, bad_request, not_found
from onewindow.core.api import Pagination
from onewindow.core.errors import ApplicationError, NotFound

from .. import selectors, services
from ..constants import RatingChannel
from ..models import Rating
from ..tokens import read_token
from . import serializers as s

TAG = "好差评"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INVALID = "提交的数据有误，请检查标出的字段。"
ERR = OpenApiResponse(ErrorSerializer)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="无权")
CONFLICT = OpenApiResponse(ErrorSerializer, description="已评价、已修改、评价期或修改期已过、状态不允许")


def _flatten(errors, prefix=""):
    out = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return out


def validate(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ApplicationError(INVALID, code="invalid", fields=_flatten(serializer.errors))
    return serializer.validated_data


class OptionsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="ratings_options", summary="评价等级与选项", tags=[TAG],
                   description="五个评价等级及各等级的标准选项（可配置）；1、2 级为差评。",
                   responses={200: s.LevelOptionsSerializer(many=True)})
    def get(self, request):
        return Response(s.LevelOptionsSerializer(selectors.rating_options(), many=True).data)


class InvitationView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="ratings_invitation", summary="评价链接对应的服务", tags=[TAG],
                   description=("短信评价链接打开的页面所需信息（事项、环节、服务人员、截止时间），不含个人信息；"
                                "已评价的附本人的评价及差评的整改反馈。"),
                   parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True)],
                   responses={200: s.InvitationSerializer, 404: not_found("评价链接无效或已过期。")})
    def get(self, request):
        invitation = selectors.invitation_for_token(request.query_params.get("token", ""), follow_up=True)
        return Response(s.InvitationSerializer(invitation).data)


class RatingListCreateView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="ratings_mine", summary="我的评价", tags=[TAG],
                   description="已登录申请人本人的评价，差评附整改反馈。",
                   responses={200: s.RatingSerializer(many=True), 401: ERR})
    def get(self, request):
        if not request.user.is_authenticated:
            raise ApplicationError("请先登录。", code="not_authenticated", status=401)
        return Response(s.RatingSerializer(selectors.ratings_for_applicant(request.user)[:200], many=True).data)

    @extend_schema(
        operation_id="ratings_create", summary="评价一项服务", tags=[TAG],
        description=("三种方式：带短信链接的 `token`（免登录，渠道默认 mobile_link；窗口评价器用 window_pad）；"
                     "已登录申请人（或其网上代理人）带 `case` 与 `service_event`（渠道默认 online）；"
                     "12345 话务员带 `case`、`service_event`、`id_tail`，渠道 hotline。"
                     "每项服务只能评价一次（重复为 409），评价期过后为 409，不是本人的办件为 404。"),
        request={JSON: s.RatingCreateSerializer},
        responses={201: s.RatingSerializer, 400: bad_request(description="数据有误"), 403: FORBIDDEN,
                   404: not_found("未找到可评价的办件服务。"), 409: CONFLICT},
    )
    def post(self, request):
        data = validate(s.RatingCreateSerializer, request.data)
        user = request.user
        common = {"level": data["level"], "options": data.get("options") or [], "comment": data.get("comment", "")}
        if data.get("channel") == RatingChannel.HOTLINE:
            rating = services.rating_record_hotline(
                actor=user, case_number=data.get("case", ""), id_tail=data.get("id_tail", ""),
                service_event=data.get("service_event", ""), real_name=data.get("real_name", True), **common)
        elif data.get("token"):
            invitation = selectors.invitation_for_token(data["token"])
            channel = data.get("channel") or RatingChannel.MOBILE_LINK
            if channel not in (RatingChannel.MOBILE_LINK, RatingChannel.WINDOW_PAD, RatingChannel.ONLINE):
                raise ApplicationError("评价渠道无效。", fields={"channel": "无效的评价渠道。"})
            rating = services.rating_submit(invitation=invitation, channel=channel, via_token=True, **common)
        else:
            if not data.get("case") or not data.get("service_event"):
                raise ApplicationError(INVALID, fields={"token": "请提供评价链接令牌，或办件编号和服务环节。"})
            invitation = selectors.invitation_for_user(user=user, case_number=data["case"],
                                                       service_event=data["service_event"])
            channel = data.get("channel") or RatingChannel.ONLINE
            if channel not in (RatingChannel.ONLINE, RatingChannel.WINDOW_PAD):
                raise ApplicationError("评价渠道无效。", fields={"channel": "无效的评价渠道。"})
            rating = services.rating_submit(invitation=invitation, channel=channel, actor=user, **common)
        return Response(s.RatingSerializer(rating).data, status=201)


class RatingAmendView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="ratings_amend", summary="修改评价（一次）", tags=[TAG],
                   description="在修改期内修改一次（保留原评价）；再次修改或过期为 409。用令牌或本人登录。",
                   request={JSON: s.RatingAmendSerializer},
                   responses={200: s.RatingSerializer, 400: ERR, 404: not_found(), 409: CONFLICT})
    def post(self, request, pk: int):
        data = validate(s.RatingAmendSerializer, request.data)
        via_token = False
        rating = Rating.objects.filter(pk=pk).select_related("invitation").first()
        if rating is None:
            raise NotFound("未找到该评价。")
        if data.get("token"):
            if read_token(data["token"], follow_up=True) != rating.invitation_id or rating.invitation.token != data["token"]:
                raise NotFound("未找到该评价。")
            via_token = True
        rating = services.rating_amend(
            rating=rating, level=data["level"], options=data.get("options") or [], comment=data.get("comment", ""),
            channel=data.get("channel") or (RatingChannel.MOBILE_LINK if via_token else RatingChannel.ONLINE),
            actor=request.user, via_token=via_token)
        return Response(s.RatingSerializer(rating).data)


# ------------------------------------------------------------------ bad-rating cases (staff)

class BadCaseListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="ratings_bad_cases_list", summary="差评整改单", tags=[TAG],
                   description="调用者所在部门（或区划）的差评整改单，含申请人姓名与脱敏证件号；每次查看记入审计日志。",
                   parameters=[s.BadCaseQuerySerializer],
                   responses={200: s.BadCasePageSerializer, 400: ERR, 401: ERR, 403: FORBIDDEN})
    def get(self, request):
        params = validate(s.BadCaseQuerySerializer, request.query_params)
        qs = selectors.bad_cases_for_user(request.user, status=sorted(params.get("status") or []),
                                          department=params.get("department"), overdue=params.get("overdue"))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        services.bad_cases_record_view(actor=request.user, bad_cases=page, reason="差评整改单列表")
        return paginator.get_paginated_response(s.BadCaseSerializer(page, many=True).data)


class BadCaseDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="ratings_bad_cases_retrieve", summary="差评整改单详情", tags=[TAG],
                   responses={200: s.BadCaseDetailSerializer, 403: FORBIDDEN, 404: not_found()})
    def get(self, request, pk: int):
        bad = selectors.bad_case_get_for_user(request.user, pk)
        services.bad_cases_record_view(actor=request.user, bad_cases=[bad], reason="差评整改单详情")
        return Response(s.BadCaseDetailSerializer(bad).data)


def _action_view(name, serializer_class, summary, call, *, anonymous=False):
    class View(APIView):
        permission_classes = [AllowAny] if anonymous else [IsAuthenticated]

        @extend_schema(operation_id=f"ratings_bad_cases_{name.replace('-', '_')}", summary=summary, tags=[TAG],
                       request={JSON: serializer_class},
                       responses={200: s.BadCaseSerializer if not anonymous else s.BadCaseReplySerializer, 400: ERR,
                                  403: FORBIDDEN, 404: not_found(), 409: CONFLICT})
        def post(self, request, pk: int):
            data = validate(serializer_class, request.data)
            bad = services.BadRatingCase.objects.filter(pk=pk).first()
            if bad is None:
                raise NotFound("未找到该差评整改记录。")
            with transaction.atomic():
                bad = call(request, bad, data)
            bad = services.BadRatingCase.objects.select_related(
                "rating", "case__applicant", "case__version", "department").get(pk=bad.pk)
            if anonymous:
                return Response(s.BadCaseReplySerializer(bad).data)
            return Response(s.BadCaseSerializer(bad).data)

    View.__name__ = f"BadCase{name.title().replace('-', '')}View"
    return View


def _respond(request, bad, data):
    via_token = False
    if data.get("token"):
        invitation_id = read_token(data["token"], follow_up=True)
        if invitation_id != bad.rating.invitation_id or bad.rating.invitation.token != data["token"]:
            raise NotFound("未找到该差评整改记录。")
        via_token = True
    return services.bad_case_respond(bad_case=bad, satisfied=data["satisfied"], comment=data.get("comment", ""),
                                     actor=request.user, via_token=via_token)


ACTION_VIEWS = {
    "verify": _action_view("verify", s.BadCaseVerifySerializer, "核实差评",
                           lambda r, b, d: services.bad_case_verify(actor=r.user, bad_case=b, note=d["note"])),
    "reply": _action_view("reply", s.BadCaseReplyInputSerializer, "整改反馈",
                          lambda r, b, d: services.bad_case_reply(actor=r.user, bad_case=b, outcome=d["outcome"],
                                                                  reply=d["reply"], changes=d.get("changes", ""))),
    "appeal": _action_view("appeal", s.BadCaseAppealSerializer, "申诉（恶意或误评）",
                           lambda r, b, d: services.bad_case_appeal(actor=r.user, bad_case=b, reason=d["reason"])),
    "decide-appeal": _action_view("decide-appeal", s.BadCaseDecideAppealSerializer, "申诉复核",
                                  lambda r, b, d: services.bad_case_decide_appeal(
                                      actor=r.user, bad_case=b, upheld=d["upheld"], comment=d["comment"])),
    "follow-up": _action_view("follow-up", s.BadCaseFollowUpSerializer, "回访",
                              lambda r, b, d: services.bad_case_follow_up(
                                  actor=r.user, bad_case=b, reached=d["reached"], note=d["note"],
                                  satisfied=d.get("satisfied"))),
    "respond": _action_view("respond", s.BadCaseRespondSerializer, "申请人评价整改结果", _respond, anonymous=True),
}


# ------------------------------------------------------------------ statistics

def _stats(request):
    params = validate(s.StatsQuerySerializer, request.query_params)
    return selectors.rating_stats(user=request.user, group_by=params.get("group_by") or "department",
                                  period=params.get("period"), department=params.get("department"))


def _row(r) -> dict:
    return {**{f: getattr(r, f) for f in ("key", "label", "rated", "good", "bad", "excluded", "default_good",
                                          "rated_cases", "completed_cases", "bad_replied", "bad_on_time",
                                          "real_name_bad", "followed_up", "rating_rate", "good_rate",
                                          "on_time_rate", "follow_up_rate")},
            "by_level": {str(k): v for k, v in r.by_level.items()}}


class StatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="ratings_stats", summary="评价统计", tags=[TAG],
                   description=("评价率、好评率、差评按期整改率、实名差评回访率，按部门、窗口、人员、事项、渠道、大厅或月份分组；"
                                "只读统计汇总表。申诉成立的差评不计入，默认好评单独列出。"),
                   parameters=[s.StatsQuerySerializer],
                   responses={200: s.StatsSerializer, 400: ERR, 403: FORBIDDEN})
    def get(self, request):
        stats = _stats(request)
        return Response({"group_by": stats["group_by"], "period": stats["period"],
                         "rows": [_row(r) for r in stats["rows"]], "total": _row(stats["total"])})


HEADERS = ["分组", "评价数", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "好评率", "差评数", "申诉成立（不计入）",
           "默认好评", "已评价办件", "办结办件", "评价率", "差评按期反馈", "差评按期整改率", "实名差评", "已回访", "实名差评回访率"]


def stats_xlsx(stats) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "评价统计"
    ws.append([f"好差评统计（{stats['period']}）"])
    ws.append(HEADERS)
    for r in [*stats["rows"], stats["total"]]:
        lv = r.by_level
        ws.append([r.label, r.rated, lv[5], lv[4], lv[3], lv[2], lv[1], r.good_rate, r.bad, r.excluded,
                   r.default_good, r.rated_cases, r.completed_cases, r.rating_rate, r.bad_on_time, r.on_time_rate,
                   r.real_name_bad, r.followed_up, r.follow_up_rate])
    for row in ws.iter_rows(min_row=3):
        for cell in (row[7], row[13], row[15], row[18]):
            cell.number_format = "0.00%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class StatsXlsxView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="ratings_stats_xlsx", summary="评价统计 Excel", tags=[TAG],
                   parameters=[s.StatsQuerySerializer],
                   responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件"),
                              (400, JSON): ERR, (403, JSON): FORBIDDEN})
    def get(self, request):
        stats = _stats(request)
        response = HttpResponse(stats_xlsx(stats), content_type=XLSX)
        name = f"好差评统计-{stats['group_by']}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
