"""Forms of the online hall: the applicant, material uploads, corrections, withdrawal, delivery, progress."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.constants import AuthorizationScope
from onewindow.accounts.selectors import applicant_data as accounts_applicant_data
from onewindow.accounts.selectors import companies_for_member, may_act_for, profile_for
from onewindow.applications.constants import DeliveryChoice
from onewindow.cases.constants import ApplicantKind
from onewindow.core.identifiers import CreditCodeFormField, ResidentIdFormField

PHONE_HELP = _("办理进度和补正通知会发送到这个号码。")


def _identity(profile) -> dict:
    data = accounts_applicant_data(profile)
    data.pop("phone", None)
    account = data.pop("user", None)
    data.setdefault("id_number", "")
    data.setdefault("credit_code", "")
    data.setdefault("legal_representative", "")
    data["account_id"] = getattr(account, "pk", None)
    return data


def applicant_identities(user) -> list[dict]:
    """Whom the signed-in account may apply as: itself (with a real-name profile), then each company that
    authorised it to apply (企业经办人授权). Empty for an account without a profile (fields are typed)."""
    own = profile_for(user)
    options = [{**_identity(own), "own": True}] if own is not None else []
    options += [_identity(company) for company in companies_for_member(user)
                if may_act_for(user, company.user, scope=AuthorizationScope.APPLY)]
    return options


def applicant_identity(user, choice: str | int | None = None) -> dict | None:
    """The identity chosen among `applicant_identities` (by the account id; the first by default)."""
    options = applicant_identities(user)
    if not options:
        return None
    for option in options:
        if str(option["account_id"]) == str(choice or ""):
            return option
    return options[0]


class ApplicantForm(forms.Form):
    """申请人信息. With a real-name account only the contact fields are asked; the identity comes from it."""

    kind = forms.ChoiceField(label=_("申请人类型"), choices=[(ApplicantKind.PERSON, _("个人")),
                                                             (ApplicantKind.COMPANY, _("企业或其他组织"))],
                             widget=forms.RadioSelect, initial=ApplicantKind.PERSON)
    name = forms.CharField(label=_("申请人姓名"), max_length=64, required=False)
    id_number = ResidentIdFormField(label=_("居民身份证号码"), max_length=24, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text",
                                                                  "spellcheck": "false"}))
    company_name = forms.CharField(label=_("单位名称"), max_length=200, required=False)
    credit_code = CreditCodeFormField(label=_("统一社会信用代码"), max_length=24, required=False,
                                      widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9\-+ ]{7,20}$", max_length=20, help_text=PHONE_HELP,
                             error_messages={"invalid": _("请填写正确的手机号码或固定电话。")},
                             widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                           "inputmode": "tel"}))
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("选填。"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label=_("联系地址"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    on_behalf = forms.ChoiceField(label=_("以谁的名义申请"), widget=forms.RadioSelect, required=False)

    IDENTITY = ("kind", "name", "id_number", "company_name", "credit_code", "legal_representative")

    def __init__(self, *args, identities: list[dict] | None = None, **kwargs):
        self.identities = identities or []
        super().__init__(*args, **kwargs)
        if self.identities:
            for key in self.IDENTITY:
                del self.fields[key]
        else:  # required for the chosen kind (checked in clean): marked as required on screen
            for key in ("name", "id_number", "company_name", "credit_code"):
                self.fields[key].marked_required = True
                self.fields[key].widget.attrs["aria-required"] = "true"
        if len(self.identities) > 1:
            self.fields["on_behalf"].choices = [
                (str(i["account_id"]), _("%(name)s（本人）") % {"name": i["name"]} if i.get("own") else i["name"])
                for i in self.identities]
            self.fields["on_behalf"].initial = str(self.identities[0]["account_id"])
        else:
            del self.fields["on_behalf"]

    @property
    def identity(self) -> dict | None:
        """The identity the applicant applies as (from the account), or None when it is typed."""
        if not self.identities:
            return None
        choice = (self.data.get(self.add_prefix("on_behalf")) if self.is_bound else None) \
            or self.initial.get("on_behalf")
        return next((i for i in self.identities if str(i["account_id"]) == str(choice or "")), self.identities[0])

    def clean(self):
        data = super().clean()
        if self.identities:
            return data
        if data.get("kind") == ApplicantKind.COMPANY:
            if not data.get("company_name"):
                self.add_error("company_name", _("请填写单位名称。"))
            if not data.get("credit_code") and "credit_code" not in self.errors:
                self.add_error("credit_code", _("请填写统一社会信用代码。"))
        else:
            if not data.get("name"):
                self.add_error("name", _("请填写申请人姓名。"))
            if not data.get("id_number") and "id_number" not in self.errors:
                self.add_error("id_number", _("请填写居民身份证号码。"))
        return data

    def raw_data(self) -> dict:
        """What was typed, for the draft (valid or not)."""
        return {k: (self.data.get(self.add_prefix(k)) or "").strip() for k in self.fields}

    def applicant_data(self) -> dict:
        """The applicant as cases.services.applicant_get_or_create takes it."""
        d = self.cleaned_data
        contact = {"phone": d.get("phone", ""), "email": d.get("email", ""), "address": d.get("address", "")}
        if self.identity is not None:
            return {**self.identity, **contact}
        if d.get("kind") == ApplicantKind.COMPANY:
            return {"kind": ApplicantKind.COMPANY, "name": d.get("company_name", ""),
                    "credit_code": d.get("credit_code", ""), "legal_representative": d.get("legal_representative", ""),
                    **contact}
        return {"kind": ApplicantKind.PERSON, "name": d.get("name", ""), "id_number": d.get("id_number", ""),
                **contact}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=300, required=False, help_text=_("选填。"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("我确认撤回这项申请，撤回后如需办理须重新申请。"),
                                 error_messages={"required": _("请勾选确认后再撤回。")})


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryChoice.choices, widget=forms.RadioSelect)
    recipient = forms.CharField(label=_("收件人"), max_length=64, required=False)
    phone = forms.CharField(label=_("收件电话"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    address = forms.CharField(label=_("邮寄地址"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, mail_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not mail_allowed:
            self.fields["method"].choices = [(DeliveryChoice.WINDOW, DeliveryChoice.WINDOW.label)]

    def clean(self):
        data = super().clean()
        if data.get("method") == DeliveryChoice.MAIL:
            for key, message in (("recipient", _("请填写收件人。")), ("phone", _("请填写收件电话。")),
                                 ("address", _("请填写邮寄地址。"))):
                if not (data.get(key) or "").strip():
                    self.add_error(key, message)
        return data


class ProgressForm(forms.Form):
    number = forms.CharField(label=_("办件编号"), max_length=40,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                                           "spellcheck": "false"}))
    id_tail = forms.CharField(label=_("申请人证件号码后六位"), min_length=6, max_length=6,
                              help_text=_("居民身份证号码或统一社会信用代码的最后 6 位。"),
                              error_messages={"min_length": _("请填写 6 位。"), "max_length": _("请填写 6 位。")},
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
