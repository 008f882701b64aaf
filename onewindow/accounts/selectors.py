"""Reads of the accounts app."""

from __future__ import annotations

from onewindow.org.models import StaffRole

from .constants import AccountKind
from .models import CitizenProfile, CompanyAuthorization


def profile_for(user) -> CitizenProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None


def is_staff_account(user) -> bool:
    """Staff sign in at the workbench: superusers, Django staff, and anyone holding a StaffRole."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or StaffRole.objects.filter(user=user).exists())


def authorizations_granted(company_user):
    """All authorisations a company account gave, newest first, with the member's profile."""
    return (CompanyAuthorization.objects.filter(company=company_user)
            .select_related("member__citizen_profile", "revoked_by"))


def companies_for_member(user, on=None) -> list[CitizenProfile]:
    """Company profiles that `user` may act for today (their authorisations in force)."""
    ids = (CompanyAuthorization.objects.active(on).filter(member=user).values_list("company_id", flat=True))
    return list(CitizenProfile.objects.filter(user_id__in=ids, kind=AccountKind.COMPANY).order_by("company_name"))


def may_act_for(user, company_user, *, scope: str | None = None, on=None) -> bool:
    """True if `user` is the company account itself or holds an authorisation in force (of `scope`)."""
    if getattr(user, "pk", None) == getattr(company_user, "pk", None):
        return True
    qs = CompanyAuthorization.objects.active(on).filter(member=user, company=company_user)
    if scope:
        qs = qs.filter(scope=scope)
    return qs.exists()


def applicant_data(profile: CitizenProfile) -> dict:
    """Keyword arguments for cases.services.applicant_get_or_create from an account's real-name data."""
    if profile.kind == AccountKind.COMPANY:
        return {"kind": "company", "name": profile.company_name, "credit_code": profile.credit_code,
                "legal_representative": profile.name, "phone": profile.mobile, "user": profile.user}
    return {"kind": "person", "name": profile.name, "id_number": profile.id_number, "phone": profile.mobile,
            "user": profile.user}


def profile_for_user_id(user_id: int) -> CitizenProfile | None:
    return CitizenProfile.objects.select_related("user").filter(user_id=user_id).first()
