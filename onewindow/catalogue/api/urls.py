from django.urls import path

from . import views

app_name = "catalogue-api"
urlpatterns = [
    path("items", views.ItemListView.as_view(), name="item-list"),
    path("items/<str:implementation_code>", views.ItemDetailView.as_view(), name="item-detail"),
    path("lists/<str:kind>.xlsx", views.PublishedListXlsxView.as_view(), {"format": "xlsx"}, name="list-xlsx"),
    path("lists/<str:kind>", views.PublishedListView.as_view(), name="list-detail"),
    path("indicators", views.IndicatorsView.as_view(), name="indicators"),
    path("item-types", views.ItemTypeListView.as_view(), name="item-type-list"),
    path("themes", views.ThemeListView.as_view(), name="theme-list"),
    path("departments", views.DepartmentListView.as_view(), name="department-list"),
    path("regions", views.RegionListView.as_view(), name="region-list"),
]
