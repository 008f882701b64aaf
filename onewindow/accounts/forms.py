"""Sign-in, registration and authorisation forms. Messages are Chinese; IDs are validated by core.identifiers."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.core.identifiers import CreditCodeFormField, ResidentIdFormField

from .constants import CODE_DIGITS, AccountKind, AuthorizationScope
from .models import User
from .phones import normalize_mobile


class MobileField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric", "maxlength": 20})

    def clean(self, value):
        value = super().clean(value)
        return normalize_mobile(value) if value else value


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("短信验证码"))
        kwargs.setdefault("max_length", CODE_DIGITS)
        kwargs.setdefault("min_length", CODE_DIGITS)
        kwargs.setdefault("error_messages", {"required": _("请输入验证码。"),
                                             "min_length": _("验证码为 6 位数字。"),
                                             "max_length": _("验证码为 6 位数字。")})
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "maxlength": CODE_DIGITS}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean((value or "").strip())
        if value and not value.isdigit():
            raise ValidationError(_("验证码为 6 位数字。"), code="invalid")
        return value


REQUIRED = {"required": _("此项为必填项。")}


class RegisterStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("账户类型"), choices=AccountKind.choices, widget=forms.RadioSelect,
                             initial=AccountKind.PERSON)
    mobile = MobileField(label=_("手机号码"), error_messages={"required": _("请输入手机号码。")})


class RegisterDetailsForm(forms.Form):
    """Step two: the code that was sent, a password, and the real-name data of a person or a company."""

    code = CodeField()
    password1 = forms.CharField(label=_("设置密码"), strip=False, error_messages={"required": _("请设置密码。")},
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("至少 8 位，不能全是数字，不能过于简单。"))
    password2 = forms.CharField(label=_("确认密码"), strip=False, error_messages={"required": _("请再次输入密码。")},
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    company_name = forms.CharField(label=_("企业名称"), max_length=200, required=False)
    credit_code = CreditCodeFormField(label=_("统一社会信用代码"), max_length=30, required=False)
    name = forms.CharField(label=_("姓名"), max_length=64, error_messages={"required": _("请输入姓名。")})
    id_number = ResidentIdFormField(label=_("居民身份证号码"), max_length=30,
                                    error_messages={"required": _("请输入居民身份证号码。")})
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == AccountKind.COMPANY:
            self.fields["company_name"].required = True
            self.fields["company_name"].error_messages["required"] = _("请输入企业名称。")
            self.fields["credit_code"].required = True
            self.fields["credit_code"].error_messages["required"] = _("请输入统一社会信用代码。")
            self.fields["name"].label = _("法定代表人姓名")
            self.fields["name"].error_messages["required"] = _("请输入法定代表人姓名。")
            self.fields["id_number"].label = _("法定代表人居民身份证号码")
        else:
            del self.fields["company_name"]
            del self.fields["credit_code"]
        self.order_fields(["company_name", "credit_code", "name", "id_number", "code", "password1", "password2"])

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(p1, User(name=data.get("name", ""), mobile=""))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(forms.Form):
    mobile = MobileField(label=_("手机号码"), error_messages={"required": _("请输入手机号码。")})
    password = forms.CharField(label=_("密码"), strip=False, error_messages={"required": _("请输入密码。")},
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(forms.Form):
    code = CodeField()


class StaffLoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, error_messages={"required": _("请输入用户名。")})
    password = forms.CharField(label=_("密码"), strip=False, error_messages={"required": _("请输入密码。")},
                               widget=forms.PasswordInput)


class TotpForm(forms.Form):
    token = forms.CharField(label=_("动态验证码"), max_length=6, min_length=6,
                            error_messages={"required": _("请输入动态验证码。"),
                                            "min_length": _("动态验证码为 6 位数字。"),
                                            "max_length": _("动态验证码为 6 位数字。")},
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "pattern": "[0-9]*", "maxlength": 6}))

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise ValidationError(_("动态验证码为 6 位数字。"), code="invalid")
        return token


class AuthorizationForm(forms.Form):
    mobile = MobileField(label=_("经办人手机号码"), error_messages={"required": _("请输入经办人手机号码。")},
                         help_text=_("经办人须已注册个人账户。"))
    name = forms.CharField(label=_("经办人姓名"), max_length=64, error_messages={"required": _("请输入经办人姓名。")})
    scope = forms.ChoiceField(label=_("授权范围"), choices=AuthorizationScope.choices,
                              initial=AuthorizationScope.APPLY)
    valid_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 error_messages={"required": _("请选择生效日期。"), "invalid": _("日期格式不正确。")})
    valid_until = forms.DateField(label=_("截止日期"), required=False, help_text=_("不填表示长期有效，可随时撤销。"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"invalid": _("日期格式不正确。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
