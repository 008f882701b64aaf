"""The rating record in the provincial / national 好差评 exchange shape (docs/ratings.md §Exchange).

Codes follow the exchange's dictionaries: service name 咨询/申报/补正/缴费/签收, applicant type 1–9, case
status 1/2/3, item type (the national item-type code). Personal data leaves masked.
"""

from __future__ import annotations

from django.utils import timezone

from onewindow.cases.constants import ApplicantKind, CaseStatus
from onewindow.core.identifiers import mask_id

from ..constants import RatingChannel, ServiceEvent

SERVICE_NAME = {
    ServiceEvent.CONSULT: "咨询",
    ServiceEvent.ACCEPT: "申报",
    ServiceEvent.CORRECT: "补正",
    ServiceEvent.PAY: "缴费",
    ServiceEvent.DELIVER: "签收",
    ServiceEvent.WHOLE_CASE: "申报",
}
# 评价方式: 1 一次一评 (one service event), 2 一事一评 (the whole case).
EVALUATE_TYPE = {ServiceEvent.WHOLE_CASE: "2"}
# 评价渠道 (pf): 1 PC 端, 2 移动端, 3 二维码/短信, 4 政务服务大厅评价器, 5 12345 热线, 9 默认.
CHANNEL_CODE = {
    RatingChannel.ONLINE: "1",
    RatingChannel.MOBILE_LINK: "3",
    RatingChannel.WINDOW_PAD: "4",
    RatingChannel.HOTLINE: "5",
    RatingChannel.DEFAULT: "9",
}
# 办件状态: 1 办理中, 2 已办结 (办结/送达), 3 未办结而结束 (不予受理、撤回、终止).
CLOSED_WITHOUT_RESULT = {CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED}
DONE = {CaseStatus.COMPLETED, CaseStatus.DELIVERED}


def case_status_code(status: str) -> str:
    if status in DONE:
        return "2"
    if status in CLOSED_WITHOUT_RESULT:
        return "3"
    return "1"


def applicant_type_code(kind: str, credit_code: str = "") -> str:
    """申请人类型 1–9: 1 自然人, 2 企业法人, 3 事业单位法人, 4 社会组织法人, 5 非法人企业/个体, 6 机关法人,
    9 其他 — for legal persons read from the 统一社会信用代码's registration authority and type digits."""
    if kind == ApplicantKind.PERSON:
        return "1"
    head = (credit_code or "")[:2]
    return {"91": "2", "92": "5", "93": "5", "11": "6", "12": "3", "13": "3"}.get(
        head, "4" if head[:1] == "5" else "9")


def _ts(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def rating_record(rating) -> dict:
    case = rating.case
    applicant = rating.applicant
    version = case.version
    return {
        "evaluateId": str(rating.pk),
        "projectNo": case.number,
        "taskCode": case.item.implementation_code,
        "taskName": version.name,
        "taskType": version.item_type.code,
        "deptCode": case.department.credit_code,
        "deptName": case.department.name,
        "areaCode": case.region.code,
        "serviceName": SERVICE_NAME[rating.service_event],
        "evaluateType": EVALUATE_TYPE.get(rating.service_event, "1"),
        "proStatus": case_status_code(case.status),
        "userProp": applicant_type_code(applicant.kind, applicant.credit_code),
        "userName": applicant.name[:1] + "*" * max(len(applicant.name) - 1, 1),
        "certKey": mask_id(applicant.identifier),
        "alternate": str(rating.level),
        "appraisald": list(rating.options),
        "writingEvaluation": rating.comment,
        "pf": CHANNEL_CODE.get(rating.channel, "9"),
        "evaluateTime": _ts(rating.rated_at),
        "amended": rating.amended_at is not None,
        "excluded": rating.excluded,
    }


def batch_payload(ratings, *, system_id: str) -> dict:
    return {"systemId": system_id, "count": len(ratings), "records": [rating_record(r) for r in ratings]}
