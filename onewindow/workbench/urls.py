from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .views import catalogue, imports, quality, review

app_name = "workbench"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="workbench/login.html"), name="login"),
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
]
