"""The case API: file an application, list and read cases in the caller's scope, one POST per transition,
and the public progress query.

Views are thin: validate input with a serializer, call one selector or service, serialise. Services raise
ApplicationError / Conflict / PermissionDenied / NotFound, which the API turns into 400 / 409 / 403 / 404
with the project's error body; input errors are 400 with one entry per field (`applicant.id_number`,
`materials.12`, `form_data.shop_name`, `items.0.spec_id`).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from onewindow.api.schema import JSON, ErrorSerializer, bad_request, not_found
from onewindow.apiauth.authentication import api_client_of
from onewindow.catalogue.models import ServiceItem
from onewindow.core.api import Pagination
from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from onewindow.org.constants import Role
from onewindow.org.models import Department, Window
from onewindow.org.permissions import has_role

from .. import permissions as perm
from .. import services
from ..constants import ApplicantKind, CaseStatus, Channel, ExtensionStatus
from ..models import Applicant, Case
from ..selectors import (
    CASE_NOT_FOUND,
    PROGRESS_NOT_FOUND,
    case_get_for_user,
    case_list_for_user,
    case_progress_public,
    case_timeline,
    is_case_staff,
)
from . import serializers as s
from .personal_data import case_personal_data_view
from .throttling import ProgressAddressThrottle, ProgressNumberThrottle, TooManyQueries

TAG = "办件"
PROGRESS_TAG = "办件进度查询"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces, at most 64

INVALID = "提交的数据有误，请检查标出的字段。"
QUERY_INVALID = "查询参数有误，请检查标出的参数。"


# ------------------------------------------------------------------ helpers


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Serializer errors as {"applicant.id_number": [...], "items.0.spec_id": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(flatten_errors(value, f"{prefix}{key}."))
        return out
    key = prefix[:-1] or "non_field_errors"
    if isinstance(detail, list) and any(isinstance(v, (dict, list)) for v in detail):
        for index, value in enumerate(detail):
            if value:
                out.update(flatten_errors(value, f"{prefix}{index}."))
        return out
    out[key] = [str(v) for v in (detail if isinstance(detail, list) else [detail])]
    return out


def validate(serializer_class, data, *, message: str = INVALID) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ApplicationError(message, code="invalid", fields=flatten_errors(serializer.errors))
    return serializer.validated_data


def material_files(request) -> dict[int, object]:
    """Files of the request by material slot: one file per `materials.<spec_id>` part."""
    files, errors = {}, {}
    for key in request.FILES:
        name, _, spec = key.partition(".")
        if name != "materials" or not spec.isdigit():
            errors[key] = ["未知的文件字段；材料文件的字段名应为 materials.<材料编号>。"]
            continue
        uploads = request.FILES.getlist(key)
        if len(uploads) > 1:
            errors[key] = ["每项材料只能上传一个文件。"]
            continue
        files[int(spec)] = uploads[0]
    if errors:
        raise ApplicationError("上传的文件有误，请检查标出的字段。", code="invalid", fields=errors)
    return files


def _truthy(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def allowed_actions(user, case: Case) -> list[str]:
    """What the caller may try now (state and role); the services remain the authority."""
    dept = case.department
    applicant = perm.is_applicant(user, case)
    acceptor = has_role(user, perm.ACCEPTORS, dept)
    decider = has_role(user, perm.DECIDERS, dept)
    status = case.status
    extensions = list(case.extensions.all())
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    checks = [
        ("accept", acceptor and status == CaseStatus.SUBMITTED),
        ("refuse", acceptor and status in {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED}),
        ("request-correction", (acceptor or decider) and status in {CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}),
        ("resubmit", (applicant or acceptor) and status == CaseStatus.CORRECTION_REQUESTED),
        ("decide", decider and status == CaseStatus.ACCEPTED),
        ("complete", (decider or acceptor) and status == CaseStatus.DECIDED),
        ("deliver", (decider or acceptor) and status == CaseStatus.COMPLETED),
        ("withdraw", (applicant or acceptor) and status in {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED,
                                                            CaseStatus.ACCEPTED, CaseStatus.SUSPENDED}),
        ("suspend", decider and status == CaseStatus.ACCEPTED),
        ("resume", decider and status == CaseStatus.SUSPENDED),
        ("extend", decider and status == CaseStatus.ACCEPTED
         and not any(e.status != ExtensionStatus.REJECTED for e in extensions)),
        ("approve-extension", has_role(user, perm.HEADS, dept) and pending is not None
         and pending.requested_by_id != getattr(user, "pk", None)),
    ]
    return [name for name, ok in checks if ok]


def detail_response(request, number: str, *, status: int = 200, reveal: bool = False, headers=None) -> Response:
    user = request.user
    case = case_get_for_user(user=user, number=number, detail=True)
    if reveal:
        case_personal_data_view(actor=user, case=case)
    staff = has_role(user, perm.VIEWERS, case.department)
    context = {
        "request": request, "now": timezone.now(), "reveal": reveal, "staff": staff,
        "events": case_timeline(case, public_only=not staff),
        "allowed_actions": allowed_actions(user, case),
    }
    return Response(s.CaseDetailSerializer(case, context=context).data, status=status, headers=headers)


# ------------------------------------------------------------------ schema pieces

NUMBER_PARAM = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH, description="办件编号。")
_ERROR_EXAMPLE = {"code": "invalid", "message": INVALID, "fields": {"applicant.id_number": [
    "居民身份证号码无效，请核对后重新输入（18 位，最后一位可为 X）。"]}}
UNAUTHORIZED = OpenApiResponse(ErrorSerializer, description="未登录或令牌无效", examples=[OpenApiExample(
    "未认证", response_only=True, status_codes=["401"],
    value={"code": "not_authenticated", "message": "身份认证信息未提供。", "fields": {}})])
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="能看到该办件，但角色不允许此动作", examples=[OpenApiExample(
    "无权", response_only=True, status_codes=["403"],
    value={"code": "permission_denied", "message": "您无权对该部门的办件作出决定。", "fields": {}})])
CONFLICT = OpenApiResponse(ErrorSerializer, description="当前状态不允许此动作，或他人已先办理", examples=[OpenApiExample(
    "状态不允许", response_only=True, status_codes=["409"],
    value={"code": "invalid_transition", "message": "办件当前状态为“已受理（审查中）”，不能受理。", "fields": {}})])
CASE_404 = not_found(CASE_NOT_FOUND, description="没有这个办件，或调用者无权查看")
BAD_INPUT = bad_request(OpenApiExample("字段有误", value=_ERROR_EXAMPLE, response_only=True, status_codes=["400"]),
                        description="请求数据有误（fields 标出每个出错的字段）")


def _multipart_schema(properties: dict, description: str) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": {"type": "string", "format": "binary",
                                 "description": "materials.<spec_id>：该材料的文件（PDF、JPG、PNG 或 OFD）。"},
    }


_CREATE_MULTIPART = _multipart_schema({
    "item": {"type": "string", "description": "事项实施编码。"},
    "channel": {"type": "string", "enum": list(Channel.values)},
    "applicant.kind": {"type": "string", "enum": list(ApplicantKind.values)},
    "applicant.name": {"type": "string"},
    "applicant.id_number": {"type": "string"},
    "applicant.credit_code": {"type": "string"},
    "applicant.legal_representative": {"type": "string"},
    "applicant.phone": {"type": "string"},
    "applicant.address": {"type": "string"},
    "agent.name": {"type": "string"},
    "agent.id_number": {"type": "string"},
    "agent.phone": {"type": "string"},
    "form_data": {"type": "string", "description": "申请表内容（JSON 文本）。"},
    "window": {"type": "integer"},
}, "与 JSON 请求相同的字段，嵌套字段用点号（applicant.name），材料文件的字段名为 materials.<spec_id>。")
_RESUBMIT_MULTIPART = _multipart_schema({"comment": {"type": "string"}},
                                        "补正通知列明的每项材料一个文件，字段名为 materials.<spec_id>。")


# ------------------------------------------------------------------ views


class CaseApiView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]


_LIST_DESCRIPTION = """调用者可见的办件，分页。

- 工作人员：其角色覆盖的部门（本部门，或区划内全部部门）的办件，默认按办结期限从近到远（收件箱）；
- 申请人（群众、企业账户）：本人的办件和本人提交的办件，最新的在前；
- 接入系统：其所属部门的办件。

`clock=overdue` 为已超期（红牌），`clock=warning` 为即将到期（黄牌）。"""

_CREATE_DESCRIPTION = """提交一件申请（`application/json`，或带材料文件时用 `multipart/form-data`）。

- 群众（已登录账户）：渠道 online / mobile；申请人记录首次创建时关联到该账户，之后可在“我的办件”中查看、补正、撤回。
- 窗口人员（窗口、审批、负责人、帮代办员角色）：默认渠道 window，可填写受理窗口；帮代办员提交的记为帮代办。
- 接入系统：默认渠道 api，只能为其所属部门的事项提交。

**幂等**：请求头 `Idempotency-Key`（1–64 个可见 ASCII 字符，如 UUID）。同一调用者用同一个键重试，
返回第一次创建的办件，状态码 200（首次为 201），不会产生第二件。同一个键用于另一事项或另一申请人时返回 409。

材料文件按内容判断类型（只接受 PDF、JPG、PNG、OFD），空文件、超过大小上限的文件、与扩展名不符的文件返回 400；
申请表内容按事项的 JSON Schema 校验。任何一项出错时什么也不保存。"""


class CaseListCreateView(CaseApiView):
    @extend_schema(
        operation_id="cases_list",
        summary="办件列表",
        description=_LIST_DESCRIPTION,
        tags=[TAG],
        parameters=[s.CaseQuerySerializer],
        responses={200: s.CasePageSerializer, 400: bad_request(), 401: UNAUTHORIZED},
    )
    def get(self, request):
        params = validate(s.CaseQuerySerializer, request.query_params, message=QUERY_INVALID)
        department = None
        if params.get("department"):
            department = Department.objects.filter(pk=params["department"]).first()
            if department is None:
                raise ApplicationError(QUERY_INVALID, fields={"department": "部门不存在。"})
        item = None
        if params.get("item"):
            item = ServiceItem.objects.filter(implementation_code=params["item"]).first()
            if item is None:
                raise ApplicationError(QUERY_INVALID, fields={"item": "事项不存在。"})
        cases = case_list_for_user(
            user=request.user, status=sorted(params.get("status") or []), department=department, item=item,
            clock=params.get("clock"), submitted_from=params.get("submitted_from"),
            submitted_to=params.get("submitted_to"), search=params.get("search", ""),
            ordering=params.get("ordering"),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        context = {"request": request, "now": timezone.now()}
        return paginator.get_paginated_response(s.CaseSummarySerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="cases_create",
        summary="提交申请",
        description=_CREATE_DESCRIPTION,
        tags=[TAG],
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                                     description="幂等键：重试时带同一个值，保证只产生一件办件。")],
        request={JSON: s.CaseCreateSerializer, MULTIPART: _CREATE_MULTIPART},
        responses={
            201: OpenApiResponse(s.CaseDetailSerializer, description="已提交（新办件）"),
            200: OpenApiResponse(s.CaseDetailSerializer, description="同一 Idempotency-Key 的重试：第一次提交的办件"),
            400: BAD_INPUT, 401: UNAUTHORIZED,
            403: OpenApiResponse(ErrorSerializer, description="接入系统无权为该部门提交"),
            409: OpenApiResponse(ErrorSerializer, description="Idempotency-Key 已用于另一申请"),
        },
    )
    def post(self, request):
        user = request.user
        key = request.headers.get("Idempotency-Key", "").strip()
        if key and not IDEMPOTENCY_KEY.match(key):
            raise ApplicationError("Idempotency-Key 应为 1–64 个可见 ASCII 字符（如 UUID）。", code="invalid",
                                   fields={"Idempotency-Key": "格式无效。"})
        data = validate(s.CaseCreateSerializer, request.data)
        applicant_data = data["applicant"]
        if key:
            existing = Case.objects.select_related("item", "applicant").filter(created_by=user,
                                                                               idempotency_key=key).first()
            if existing is not None:
                if (existing.item.implementation_code != data["item"]
                        or existing.applicant.identifier != (applicant_data.get("id_number")
                                                             or applicant_data.get("credit_code"))):
                    raise Conflict("该 Idempotency-Key 已用于另一份申请；新的申请请使用新的键。",
                                   code="idempotency_key_reused")
                return detail_response(request, existing.number, status=200)
        files = material_files(request)
        channel, assisted, link_user, window = self._caller_terms(request, data)
        with transaction.atomic():  # an applicant is not left behind when the case is refused
            # Staff at the window checked the identity and may correct contact data; anyone else only
            # creates a new applicant or files for the one linked to their own account.
            applicant = services.applicant_get_or_create(user=link_user, may_update=has_role(user, perm.ACCEPTORS),
                                                         **applicant_data)
            agent = data.get("agent") or None
            case = services.case_submit(
                actor=user, item_code=data["item"], applicant=applicant, channel=channel,
                form_data=data.get("form_data") or {}, files=files, window=window, agent=agent,
                assisted=assisted, idempotency_key=key,
            )
        created = case.was_created
        location = reverse("cases-api:case-detail", kwargs={"number": case.number})
        return detail_response(request, case.number, status=201 if created else 200,
                               headers={"Location": request.build_absolute_uri(location)})

    def _caller_terms(self, request, data):
        """Channel, assisted flag, account to link the applicant to, and window, by who is calling."""
        user = request.user
        client = api_client_of(request)
        channel = data.get("channel")
        window = None
        if client is not None:
            item = ServiceItem.objects.select_related("department__region").filter(
                implementation_code=data["item"]).first()
            if item is not None and not has_role(user, perm.ACCEPTORS, item.department):
                raise PermissionDenied("该接入系统无权为此部门的事项提交申请。", code="client_out_of_scope")
            channel = channel or Channel.API
            allowed = {Channel.API, Channel.ONLINE, Channel.MOBILE, Channel.TERMINAL}
            assisted, link_user = False, None
        elif has_role(user, perm.ACCEPTORS):
            channel = channel or Channel.WINDOW
            allowed = {Channel.WINDOW, Channel.TERMINAL, Channel.ONLINE, Channel.MOBILE}
            assisted = has_role(user, [Role.AGENT_HELPER])
            link_user = None
            if data.get("window"):
                window = Window.objects.select_related("hall").filter(pk=data["window"], is_active=True).first()
                if window is None:
                    raise ApplicationError(INVALID, fields={"window": "窗口不存在或已停用。"})
        else:
            channel = channel or Channel.ONLINE
            allowed = {Channel.ONLINE, Channel.MOBILE}
            assisted = False
            link_user = None if is_case_staff(user) else self._link_for_citizen(user, data["applicant"])
        if channel not in allowed:
            raise ApplicationError(INVALID, fields={"channel": "您不能使用该申请渠道。"})
        if data.get("window") and window is None:
            raise ApplicationError(INVALID, fields={"window": "只有窗口人员可以填写受理窗口。"})
        return channel, assisted, link_user, window

    @staticmethod
    def _link_for_citizen(user, applicant_data):
        """Link a new applicant record to the citizen's account; never take over one linked to someone else
        (until accounts are real-name verified, typing an ID number must not open that person's cases)."""
        if applicant_data["kind"] == ApplicantKind.PERSON:
            existing = Applicant.objects.filter(kind=ApplicantKind.PERSON,
                                                id_number=applicant_data["id_number"]).first()
        else:
            existing = Applicant.objects.filter(kind=ApplicantKind.COMPANY,
                                                credit_code=applicant_data["credit_code"]).first()
        if existing is None or existing.user_id == user.pk:
            return user
        return None


class CaseDetailView(CaseApiView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="办件详情",
        description=(
            "办件的全部信息、材料、补正通知、暂停计时记录和办理过程（events）。申请人只看到对其公开的事件，且不显示"
            "工作人员姓名。证件号码只显示后 4 位；该部门的窗口、审批人员和负责人加 `?reveal=1` 可看到完整号码，"
            "每次查看都记入审计日志（cases.view_personal_data），其他人加 `?reveal=1` 返回 403。"
        ),
        tags=[TAG],
        parameters=[NUMBER_PARAM, OpenApiParameter("reveal", OpenApiTypes.BOOL, OpenApiParameter.QUERY,
                                                   description="返回完整证件号码（记入审计日志）。")],
        responses={200: s.CaseDetailSerializer, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: CASE_404},
    )
    def get(self, request, number: str):
        return detail_response(request, number, reveal=_truthy(request.query_params.get("reveal")))


class MaterialFileView(CaseApiView):
    @extend_schema(
        operation_id="cases_material_download",
        summary="下载材料文件",
        description=(
            "办件的一个材料文件（原文件名、按内容判定的类型）。能查看办件的人才能下载；申请人以外的人下载时记入审计日志"
            "（cases.download_material），因为材料常含身份证件等个人信息。"
        ),
        tags=[TAG],
        parameters=[NUMBER_PARAM, OpenApiParameter("material_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                   description="材料文件编号（办件详情 materials[].files[].id）。")],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="文件"),
            (401, JSON): UNAUTHORIZED,
            (404, JSON): not_found("未找到该材料文件。", description="没有这个办件或文件，或调用者无权查看"),
        },
    )
    def get(self, request, number: str, material_id: int):
        case = case_get_for_user(user=request.user, number=number)
        material = case.materials.filter(pk=material_id).exclude(file="").first()
        if material is None:
            raise NotFound("未找到该材料文件。")
        if not perm.is_applicant(request.user, case):
            audit_log(actor=request.user, action="cases.download_material", obj=case,
                      new={"material": material.pk, "sha256": material.sha256})
        return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.original_name,
                            content_type=material.content_type or "application/octet-stream")


class CaseActionView(CaseApiView):
    """One transition: find the case in the caller's scope, validate the body, call the service."""

    input_serializer = s.EmptyInputSerializer

    def perform(self, request, case: Case, data: dict) -> None:
        raise NotImplementedError

    def run(self, request, number: str) -> Response:
        case = case_get_for_user(user=request.user, number=number)
        data = validate(self.input_serializer, request.data)
        self.perform(request, case, data)
        return detail_response(request, number)


def action_schema(name: str, summary: str, description: str, request=None, **extra):
    operation = name.replace("-", "_")
    return extend_schema(
        operation_id=f"cases_{operation}",
        summary=summary,
        description=description + "\n\n成功时返回办理后的办件详情。",
        tags=[TAG],
        parameters=[NUMBER_PARAM],
        request=request,
        responses={200: s.CaseDetailSerializer, 400: BAD_INPUT, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: CASE_404,
                   409: CONFLICT},
        **extra,
    )


class AcceptView(CaseActionView):
    input_serializer = s.CaseAcceptInputSerializer

    @action_schema("accept", "受理", "受理后开始计时。缺少必要材料时不能受理（400，列出材料）；标注容缺的材料可凭"
                   "`waivers` 的补交期限容缺受理。只能受理“待受理”的办件，两人同时受理时只有一人成功，另一人得到 409。",
                   request=s.CaseAcceptInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_accept(actor=request.user, case=case, waivers=data["waivers"], comment=data["comment"],
                             commitment=dict(data["commitment"]) if data.get("commitment") else None)


class RefuseView(CaseActionView):
    input_serializer = s.CaseRefuseInputSerializer

    @action_schema("refuse", "不予受理", "书面说明理由（必填）。", request=s.CaseRefuseInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_refuse(actor=request.user, case=case, reason=data["reason"])


class RequestCorrectionView(CaseActionView):
    input_serializer = s.CaseCorrectionInputSerializer

    @action_schema("request-correction", "一次性告知补正",
                   "一份通知列明全部需要补正的材料。受理前提出不计时；受理后提出则暂停计时，直到申请人补正。",
                   request=s.CaseCorrectionInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_request_correction(actor=request.user, case=case,
                                         items=[dict(i) for i in data["items"]], comment=data["comment"])


class ResubmitView(CaseActionView):
    input_serializer = s.CaseResubmitInputSerializer

    @action_schema("resubmit", "补正提交",
                   "申请人（或窗口人员代为）提交补正通知列明的全部材料（multipart，字段名 materials.<spec_id>）。",
                   request={MULTIPART: _RESUBMIT_MULTIPART})
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        files = material_files(request)
        services.case_resubmit(actor=request.user, case=case, files=files, comment=data["comment"])


class DecideView(CaseActionView):
    input_serializer = s.CaseDecideInputSerializer

    @action_schema("decide", "作出决定", "准予或不予；不予必须写明理由和法律依据。容缺材料未补齐时不能准予（409）。",
                   request=s.CaseDecideInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_decide(actor=request.user, case=case, decision=data["decision"], reason=data["reason"],
                             basis=data["basis"])


class CompleteView(CaseActionView):
    @action_schema("complete", "办结", "办结后停止计时；超期办结会留在记录中。", request=None)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_complete(actor=request.user, case=case)


class DeliverView(CaseActionView):
    input_serializer = s.CaseDeliverInputSerializer

    @action_schema("deliver", "送达", "窗口领取、免费邮寄（须填地址和快递单号）或电子送达。",
                   request=s.CaseDeliverInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_deliver(actor=request.user, case=case, method=data["method"], address=data["address"],
                              tracking_number=data["tracking_number"])


class WithdrawView(CaseActionView):
    input_serializer = s.CaseWithdrawInputSerializer

    @action_schema("withdraw", "撤回申请", "申请人在作出决定前撤回。", request=s.CaseWithdrawInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_withdraw(actor=request.user, case=case, reason=data["reason"])


class SuspendView(CaseActionView):
    input_serializer = s.CaseSuspendInputSerializer

    @action_schema("suspend", "启动特别程序", "听证、检验、专家评审等特别程序期间不计时。", request=s.CaseSuspendInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_suspend(actor=request.user, case=case, kind=data["kind"], reason=data["reason"],
                              expected_end=data["expected_end"])


class ResumeView(CaseActionView):
    input_serializer = s.CaseResumeInputSerializer

    @action_schema("resume", "结束特别程序", "恢复计时，办结期限顺延。", request=s.CaseResumeInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_resume(actor=request.user, case=case, comment=data["comment"])


class ExtendView(CaseActionView):
    input_serializer = s.CaseExtendInputSerializer

    @action_schema("extend", "申请延期", "审批人员申请延期（每件一次，1–10 天），由部门负责人审批。",
                   request=s.CaseExtendInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_request_extension(actor=request.user, case=case, days=data["days"], reason=data["reason"])


class ApproveExtensionView(CaseActionView):
    input_serializer = s.CaseApproveExtensionInputSerializer

    @action_schema("approve-extension", "审批延期", "部门负责人批准或不批准待审批的延期申请；不能审批本人的申请。",
                   request=s.CaseApproveExtensionInputSerializer)
    def post(self, request, number: str):
        return self.run(request, number)

    def perform(self, request, case, data):
        services.case_decide_extension(actor=request.user, case=case, approve=data["approve"],
                                       comment=data["comment"])


ACTION_VIEWS = {
    "accept": AcceptView,
    "refuse": RefuseView,
    "request-correction": RequestCorrectionView,
    "resubmit": ResubmitView,
    "decide": DecideView,
    "complete": CompleteView,
    "deliver": DeliverView,
    "withdraw": WithdrawView,
    "suspend": SuspendView,
    "resume": ResumeView,
    "extend": ExtendView,
    "approve-extension": ApproveExtensionView,
}


class ProgressView(APIView):
    """Public: anyone holding the case number and the applicant's ID tail. No session, so no CSRF."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_classes = [ProgressAddressThrottle, ProgressNumberThrottle]
    http_method_names = ["post", "options"]

    def throttled(self, request, wait):
        raise TooManyQueries(wait)

    @extend_schema(
        operation_id="cases_progress",
        summary="办件进度查询（公开）",
        description=(
            "凭办件编号和申请人证件号码（居民身份证号码或统一社会信用代码）的后 6 位查询办理进度，无需登录。"
            "只返回事项、部门、状态、期限和公开的办理过程，不含任何个人信息。编号不存在和后 6 位不符返回同样的 404。"
            "用 POST 是为了让证件号码不出现在地址、代理和日志中。同一地址、同一编号的查询次数都有限制，超出返回 429。"
        ),
        tags=[PROGRESS_TAG],
        auth=[],
        request={JSON: s.CaseProgressQuerySerializer, FORM: s.CaseProgressQuerySerializer},
        responses={
            200: s.CaseProgressSerializer,
            400: BAD_INPUT,
            404: not_found(PROGRESS_NOT_FOUND, description="编号不存在或证件号码后 6 位不符"),
            429: OpenApiResponse(ErrorSerializer, description="查询过于频繁"),
        },
    )
    def post(self, request):
        data = validate(s.CaseProgressQuerySerializer, request.data)
        progress = case_progress_public(number=data["number"], id_tail=data["id_tail"])
        return Response(s.CaseProgressSerializer(progress).data)
