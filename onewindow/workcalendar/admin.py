"""Administrators keep the calendar in the Django admin. Every save goes through the services (validation,
audit, cache invalidation, recomputation of stored deadlines)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.core.errors import ApplicationError

from . import services
from .constants import DayKind
from .listing import format_year_listing, parse_year_listing
from .models import CalendarDay, CalendarYear
from .permissions import can_edit_calendar
from .selectors import calendar_missing_years_needed, calendar_year_listing

WEEKDAYS = "一二三四五六日"


def _warn_missing_years(request) -> None:
    missing = calendar_missing_years_needed()
    if missing:
        years = "、".join(str(y) for y in missing)
        messages.warning(request, gettext(
            "以下年度尚未配置工作日历：%(years)s。涉及这些年度的办理期限暂按周一至周五计算并标为“临时”；"
            "请导入该年度的节假日安排并标记为已配置，系统会自动重算这些期限。"
        ) % {"years": years})


def _as_validation_error(exc: ApplicationError, known: set[str]) -> ValidationError:
    if exc.fields:
        return ValidationError({k if k in known else NON_FIELD_ERRORS: v for k, v in exc.fields.items()})
    return ValidationError(exc.message)


class YearFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarYear.objects.order_by("-year").values_list("year", flat=True)
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "holiday_name", "note"]

    def clean(self):
        data = super().clean()
        day, kind = data.get("date") or self.instance.date, data.get("kind")
        if day and kind:
            try:
                services.calendar_check_day(day=day, kind=kind, holiday_name=data.get("holiday_name") or "")
            except ApplicationError as exc:
                raise _as_validation_error(exc, set(self.fields)) from exc
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "holiday_name", "source", "updated_at"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["holiday_name", "note"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_at"]
    list_per_page = 62

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return gettext("周%(d)s") % {"d": WEEKDAYS[obj.date.weekday()]}

    def has_add_permission(self, request):
        return can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a day is reset by setting it back to 工作日 / 休息日, which is audited

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "date"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        saved = services.calendar_set_day(actor=request.user, day=obj.date, kind=obj.kind,
                                          holiday_name=obj.holiday_name, note=obj.note)
        obj.pk = saved.pk

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "is_complete", "note"]


class YearImportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=9999)
    text = forms.CharField(
        label=_("节假日安排"), widget=forms.Textarea(attrs={"rows": 16, "cols": 60}),
        help_text=_("每行一条：“休 2027-10-01..2027-10-07 国庆节”表示放假，“班 2027-09-26 国庆节”表示调休上班；"
                    "普通周末和工作日无需列出。以 # 开头的行是注释。"),
    )
    complete = forms.BooleanField(label=_("导入后标记为已配置"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), required=False, max_length=255,
                           help_text=_("例如：国办发明电〔2026〕X 号"))


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    change_list_template = "admin/workcalendar/calendaryear/change_list.html"
    list_display = ["year", "is_complete", "source", "holiday_count", "makeup_count", "note", "updated_at",
                    "updated_by"]
    list_filter = ["is_complete", "source"]
    readonly_fields = ["source", "updated_at", "updated_by"]
    actions = ["mark_complete", "mark_incomplete"]

    @admin.display(description=_("放假天数"))
    def holiday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=DayKind.HOLIDAY).count()

    @admin.display(description=_("调休上班天数"))
    def makeup_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=DayKind.MAKEUP).count()

    def has_add_permission(self, request):
        return can_edit_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        try:
            saved = services.calendar_year_set_complete(actor=request.user, year=obj.year,
                                                        complete=obj.is_complete, note=obj.note)
        except ApplicationError as exc:
            # e.g. "no holidays yet": keep the row but not complete, and say why
            saved = services.calendar_year_set_complete(actor=request.user, year=obj.year, complete=False,
                                                        note=obj.note)
            messages.error(request, exc.message)
        obj.pk = saved.pk

    @admin.action(description=_("标记为已配置（期限不再是临时期限）"))
    def mark_complete(self, request, queryset):
        for row in queryset:
            try:
                services.calendar_year_set_complete(actor=request.user, year=row.year, complete=True)
            except ApplicationError as exc:
                messages.error(request, exc.message)

    @admin.action(description=_("标记为未配置"))
    def mark_incomplete(self, request, queryset):
        for row in queryset:
            services.calendar_year_set_complete(actor=request.user, year=row.year, complete=False)

    def changelist_view(self, request, extra_context=None):
        _warn_missing_years(request)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workcalendar_calendaryear_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not can_edit_calendar(request.user):
            raise DjangoPermissionDenied
        if request.method == "POST":
            form = YearImportForm(request.POST)
            if form.is_valid():
                try:
                    holidays, makeups = parse_year_listing(form.cleaned_data["text"])
                    row = services.calendar_import_year(
                        actor=request.user, year=form.cleaned_data["year"], holidays=holidays,
                        makeup_workdays=makeups, complete=form.cleaned_data["complete"],
                        note=form.cleaned_data["note"],
                    )
                except ApplicationError as exc:
                    for message in exc.fields.get("text", []):
                        form.add_error("text", message)
                    if not exc.fields.get("text"):
                        form.add_error(None, exc.message)
                else:
                    messages.success(request, gettext("已导入 %(year)s 年的节假日安排。") % {"year": row.year})
                    return redirect(reverse("admin:workcalendar_calendaryear_changelist"))
        else:
            year = request.GET.get("year", "")
            year = int(year) if year.isdigit() else (calendar_missing_years_needed() or [timezone.localdate().year + 1])[0]
            holidays, makeups = calendar_year_listing(year=year)
            form = YearImportForm(initial={"year": year, "text": format_year_listing(holidays, makeups),
                                           "complete": True})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("导入年度节假日安排"),
            "form": form,
        }
        return TemplateResponse(request, "admin/workcalendar/calendaryear/import.html", context)
