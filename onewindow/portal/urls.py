from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide_search, name="guide_search"),
    path("guide/<str:code>/", views.guide_detail, name="guide_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("lists/", views.list_index, name="list_index"),
    path("lists/<str:kind>.xlsx", views.list_xlsx, name="list_xlsx"),
    path("lists/<str:kind>/", views.list_detail, name="list_detail"),
]
