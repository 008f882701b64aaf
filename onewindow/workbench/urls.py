from django.contrib.auth import views as auth_views
from django.urls import include, path

from onewindow.accounts.views.staff import staff_login

from . import views
from .views import cases, catalogue, desk, imports, notices, quality, review

app_name = "workbench"
urlpatterns = [
    path("login/", staff_login, name="login"),  # password, then TOTP (accounts:staff_verify)
    path("logout/", auth_views.LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("", views.home, name="home"),
    # 事项管理
    path("catalogue/items/", catalogue.item_list, name="items"),
    path("catalogue/items/new/", catalogue.item_new, name="item_new"),
    path("catalogue/items/<int:pk>/", catalogue.item_detail, name="item"),
    path("catalogue/items/<int:pk>/history/", catalogue.item_history, name="item_history"),
    path("catalogue/items/<int:pk>/revise/", catalogue.item_revise, name="item_revise"),
    path("catalogue/versions/<int:pk>/", catalogue.version_detail, name="version"),
    path("catalogue/versions/<int:pk>/check/", catalogue.version_check, name="version_check"),
    path("catalogue/versions/<int:pk>/discard/", catalogue.version_discard, name="version_discard"),
    path("catalogue/versions/<int:pk>/retire/", catalogue.version_retire, name="version_retire"),
    path("catalogue/versions/<int:pk>/withdraw/", catalogue.version_withdraw, name="version_withdraw"),
    # 待审核
    path("catalogue/review/", review.review_queue, name="review_queue"),
    path("catalogue/versions/<int:pk>/review/", review.version_review, name="version_review"),
    path("catalogue/versions/<int:pk>/approve/", review.version_approve, name="version_approve"),
    path("catalogue/versions/<int:pk>/reject/", review.version_reject, name="version_reject"),
    # 质量报告
    path("catalogue/import/", imports.catalogue_import_view, name="catalogue_import"),
    path("catalogue/import/template.xlsx", imports.catalogue_template_download, name="catalogue_template"),
    path("catalogue/quality/", quality.quality_report_view, name="quality_report"),
    path("catalogue/quality/report.xlsx", quality.quality_report_xlsx, name="quality_report_xlsx"),
    # 受理台
    path("desk/", desk.desk, name="desk"),
    path("desk/lookup/", desk.desk_lookup, name="desk_lookup"),
    path("desk/items/", desk.desk_items, name="desk_items"),
    path("desk/applicant/", desk.desk_register, name="desk_register"),
    path("desk/submit/", desk.desk_submit, name="desk_submit"),
    path("desk/done/<str:number>/", desk.desk_done, name="desk_done"),
    # 办件
    path("cases/", cases.case_inbox, name="cases"),
    path("cases/<str:number>/", cases.case_detail, name="case"),
    path("cases/<str:number>/personal-data/", cases.case_personal_data, name="case_personal_data"),
    path("cases/<str:number>/materials/<int:material_id>/", cases.case_material, name="case_material"),
    path("cases/<str:number>/<slug:action>/", cases.case_action, name="case_action"),
    # 工作提醒
    path("notices/", notices.notice_list, name="notices"),
    path("notices/read/", notices.notice_read, name="notices_read_all"),
    path("notices/<int:pk>/read/", notices.notice_read, name="notice_read"),
    # 电子监察 and 好差评 (modules of their own; no app_name, so names stay in the workbench namespace)
    path("supervision/", include("onewindow.workbench.urls_supervision")),
    path("ratings/", include("onewindow.ratings.urls_workbench")),
]
