"""Writes of the accounts app: registration, real-name linking, company authorisations, full-ID views."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.core.audit import audit_log
from onewindow.core.errors import ApplicationError, NotFound, PermissionDenied
from onewindow.core.identifiers import mask_id, normalize_ric

from .codes import code_verify
from .constants import AccountKind, AuthorizationScope, CodePurpose, RealNameSource
from .models import CitizenProfile, CompanyAuthorization, User
from .phones import mask_phone, normalize_mobile


def _new_username() -> str:
    # Citizens sign in with their mobile number; the username carries no personal data (logs, admin, lockouts).
    return f"c{secrets.token_hex(6)}"


def mobile_taken_error() -> ApplicationError:
    msg = _("该手机号码已注册，请直接登录。")
    return ApplicationError(msg, code="mobile_taken", fields={"mobile": msg}, status=409)


def ensure_mobile_free(mobile: str) -> None:
    if CitizenProfile.objects.filter(mobile=mobile).exists():
        raise mobile_taken_error()


def _ensure_identity_free(kind: str, id_number: str, credit_code: str) -> None:
    if kind == AccountKind.PERSON and CitizenProfile.objects.filter(kind=kind, id_number=id_number).exists():
        msg = _("该居民身份证号码已注册个人账户。如忘记手机号或密码，请携带身份证到政务服务中心窗口办理。")
        raise ApplicationError(msg, code="id_number_taken", fields={"id_number": msg}, status=409)
    if kind == AccountKind.COMPANY and CitizenProfile.objects.filter(kind=kind, credit_code=credit_code).exists():
        msg = _("该统一社会信用代码已注册法人账户。如需变更账户，请法定代表人到政务服务中心窗口办理。")
        raise ApplicationError(msg, code="credit_code_taken", fields={"credit_code": msg}, status=409)


def citizen_register(*, kind: str, mobile: str, code: str, password: str, name: str, id_number: str,
                     company_name: str = "", credit_code: str = "") -> User:
    """Create a person or company account after checking the one-time code sent to `mobile`.

    The real-name data must already be validated (the form does it with core.identifiers); the account is
    not `verified` until a trusted source confirms it. The code is used up only when everything else is free,
    and the database's unique constraints make two racing registrations create one account.
    """
    if kind not in AccountKind.values:
        raise ApplicationError(_("账户类型无效。"), code="invalid_kind")
    mobile = normalize_mobile(mobile)
    ensure_mobile_free(mobile)
    _ensure_identity_free(kind, id_number, credit_code)
    code_verify(mobile=mobile, purpose=CodePurpose.REGISTER, code=code)
    try:
        with transaction.atomic():
            user = User(username=_new_username(), name=name, mobile=mobile)
            user.set_password(password)
            user.save()
            profile = CitizenProfile.objects.create(
                user=user, kind=kind, mobile=mobile, name=name, id_number=id_number,
                company_name=company_name if kind == AccountKind.COMPANY else "",
                credit_code=credit_code if kind == AccountKind.COMPANY else "")
            audit_log(actor=user, action="accounts.register", obj=profile, new={
                "kind": kind, "mobile": mask_phone(mobile), "id_number": mask_id(id_number),
                "company_name": profile.company_name, "credit_code": profile.credit_code})
    except IntegrityError as exc:  # the same number or ID registered a moment ago by a racing request
        if CitizenProfile.objects.filter(mobile=mobile).exists():
            raise mobile_taken_error() from exc
        _ensure_identity_free(kind, id_number, credit_code)
        raise
    return user


# ---------------------------------------------------------------------------------- province identity

def oidc_sign_in(*, issuer: str, claims: dict, name_claim: str, id_claim: str, mobile_claim: str) -> User:
    """The citizen account for a person who signed in at the province's unified identity service.

    Found by (issuer, sub) after the first time; the first time, an existing person account with the same
    居民身份证号码 is linked to it, or a new one is created. Either way the real name is marked verified.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ApplicationError(_("统一身份认证未返回用户标识。"), code="oidc_no_subject")
    profile = (CitizenProfile.objects.select_related("user")
               .filter(oidc_issuer=issuer, oidc_subject=subject).first())
    name = " ".join(str(claims.get(name_claim) or "").split())[:64]
    raw_mobile = str(claims.get(mobile_claim) or "")
    try:
        mobile = normalize_mobile(raw_mobile) if raw_mobile else ""
    except ValidationError:
        mobile = ""
    now = timezone.now()
    if profile is not None:
        changed = {}
        if name and profile.name != name:
            changed["name"] = name
        if not profile.verified:
            changed.update(verified=True, verified_via=RealNameSource.OIDC, verified_at=now)
        if changed:
            with transaction.atomic():
                CitizenProfile.objects.filter(pk=profile.pk).update(**changed)
                if "name" in changed:
                    User.objects.filter(pk=profile.user_id).update(name=name)
        return profile.user
    try:
        id_number = normalize_ric(str(claims.get(id_claim) or ""))
    except ValidationError as exc:
        raise ApplicationError(_("统一身份认证未返回有效的居民身份证号码，无法登录。"), code="oidc_bad_id") from exc
    if not name:
        raise ApplicationError(_("统一身份认证未返回姓名，无法登录。"), code="oidc_no_name")
    with transaction.atomic():
        profile = (CitizenProfile.objects.select_for_update().select_related("user")
                   .filter(kind=AccountKind.PERSON, id_number=id_number).first())
        if profile is not None:
            old = {"verified": profile.verified, "oidc_subject": profile.oidc_subject}
            profile.oidc_issuer, profile.oidc_subject = issuer, subject
            profile.name = name
            profile.verified, profile.verified_via, profile.verified_at = True, RealNameSource.OIDC, now
            profile.save(update_fields=["oidc_issuer", "oidc_subject", "name", "verified", "verified_via",
                                        "verified_at", "updated_at"])
            audit_log(actor=profile.user, action="accounts.oidc_link", obj=profile, old=old,
                      new={"verified": True, "oidc_issuer": issuer})
            return profile.user
        if mobile and CitizenProfile.objects.filter(mobile=mobile).exists():
            mobile = ""  # the number belongs to another account: this one signs in through the province only
        user = User(username=_new_username(), name=name, mobile=mobile)
        user.set_unusable_password()
        user.save()
        profile = CitizenProfile.objects.create(
            user=user, kind=AccountKind.PERSON, mobile=mobile, name=name, id_number=id_number, verified=True,
            verified_via=RealNameSource.OIDC, verified_at=now, oidc_issuer=issuer, oidc_subject=subject)
        audit_log(actor=user, action="accounts.oidc_register", obj=profile, new={
            "kind": AccountKind.PERSON, "id_number": mask_id(id_number), "mobile": mask_phone(mobile),
            "oidc_issuer": issuer})
    return user


# ---------------------------------------------------------------------------------- company authorisations

def _company_profile(actor) -> CitizenProfile:
    profile = getattr(actor, "citizen_profile", None) if getattr(actor, "is_authenticated", False) else None
    if profile is None or profile.kind != AccountKind.COMPANY:
        raise PermissionDenied(_("只有法人账户可以授权经办人。"))
    return profile


def authorization_grant(*, actor, mobile: str, name: str, scope: str = AuthorizationScope.APPLY,
                        valid_from: dt.date | None = None, valid_until: dt.date | None = None) -> CompanyAuthorization:
    """A company account authorises a person account (found by mobile, confirmed by name) to act for it."""
    company = _company_profile(actor)
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        msg = _("截止日期不能早于生效日期。")
        raise ApplicationError(msg, code="invalid_dates", fields={"valid_until": msg})
    if scope not in AuthorizationScope.values:
        raise ApplicationError(_("授权范围无效。"), code="invalid_scope", fields={"scope": _("授权范围无效。")})
    member = (CitizenProfile.objects.select_related("user")
              .filter(mobile=normalize_mobile(mobile), kind=AccountKind.PERSON).first())
    if member is None or member.name != " ".join(name.split()):
        msg = _("未找到该手机号码对应的个人账户，或姓名不一致。请经办人先注册个人账户。")
        raise ApplicationError(msg, code="member_not_found", fields={"mobile": msg})
    if member.user_id == company.user_id:
        raise ApplicationError(_("不能授权本账户。"), code="self_authorization")
    with transaction.atomic():
        if CompanyAuthorization.objects.select_for_update().filter(
                company=company.user, member=member.user, revoked_at__isnull=True).exists():
            msg = _("已授权该经办人。如需修改，请先撤销原授权。")
            raise ApplicationError(msg, code="already_authorized", fields={"mobile": msg}, status=409)
        try:
            with transaction.atomic():
                authorization = CompanyAuthorization.objects.create(
                    company=company.user, member=member.user, scope=scope, valid_from=valid_from,
                    valid_until=valid_until, granted_by=actor)
        except IntegrityError as exc:
            raise ApplicationError(_("已授权该经办人。如需修改，请先撤销原授权。"), code="already_authorized",
                                   status=409) from exc
        audit_log(actor=actor, action="accounts.authorization_grant", obj=authorization, new={
            "company": company.company_name, "member": member.name, "member_mobile": mask_phone(member.mobile),
            "scope": scope, "valid_from": valid_from, "valid_until": valid_until})
    return authorization


def authorization_revoke(*, actor, authorization_id: int, reason: str = "") -> CompanyAuthorization:
    company = _company_profile(actor)
    with transaction.atomic():
        authorization = (CompanyAuthorization.objects.select_for_update()
                         .filter(pk=authorization_id, company=company.user).first())
        if authorization is None:
            raise NotFound(_("未找到该授权。"))
        if authorization.revoked_at is not None:
            return authorization  # a second click: already done
        authorization.revoked_at = timezone.now()
        authorization.revoked_by = actor
        authorization.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(actor=actor, action="accounts.authorization_revoke", obj=authorization,
                  old={"revoked_at": None}, new={"revoked_at": authorization.revoked_at}, reason=reason)
    return authorization


# ---------------------------------------------------------------------------------- personal data

def id_number_reveal(*, actor, obj, field: str = "id_number", reason: str) -> str:
    """The full ID number of `obj` for someone whose role needs it; every such view is an audit event.

    Pages show IDs masked (core.identifiers.mask_id, last 4 visible); a full view goes through here.
    """
    value = getattr(obj, field)
    audit_log(actor=actor, action="pii.view_full_id", obj=obj, new={"field": field}, reason=reason)
    return value
