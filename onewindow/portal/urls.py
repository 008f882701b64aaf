from django.urls import path

from . import views, views_apply, views_my

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide_search, name="guide_search"),
    path("guide/<str:code>/", views.guide_detail, name="guide_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<str:kind>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("lists/<str:kind>/", views.list_detail, name="list_detail"),
    # Online application (signed in): a draft saved on the server, reviewed, submitted once.
    path("apply/draft/<int:pk>/", views_apply.apply_edit, name="apply_edit"),
    path("apply/draft/<int:pk>/autosave", views_apply.apply_autosave, name="apply_autosave"),
    path("apply/draft/<int:pk>/materials/<int:spec_id>", views_apply.apply_material, name="apply_material"),
    path("apply/draft/<int:pk>/review/", views_apply.apply_review, name="apply_review"),
    path("apply/draft/<int:pk>/done/", views_apply.apply_done, name="apply_done"),
    path("apply/<str:code>/", views_apply.apply_start, name="apply_start"),
    # 我的办件 and messages (signed in)
    path("my/", views_my.my_home, name="my_home"),
    path("my/cases/", views_my.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", views_my.my_case, name="my_case"),
    path("my/cases/<str:number>/correction", views_my.my_case_correction, name="my_case_correction"),
    path("my/cases/<str:number>/supply", views_my.my_case_supply, name="my_case_supply"),
    path("my/cases/<str:number>/withdraw", views_my.my_case_withdraw, name="my_case_withdraw"),
    path("my/cases/<str:number>/delivery", views_my.my_case_delivery, name="my_case_delivery"),
    path("my/messages/", views_my.my_messages, name="my_messages"),
    path("my/profile/", views_my.my_profile, name="my_profile"),
    # Public progress query (no sign-in; the ID tail is POSTed, never in the URL)
    path("progress/", views_my.progress, name="progress"),
]
