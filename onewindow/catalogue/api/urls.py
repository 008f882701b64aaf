
app_name = "catalogue-api"
urlpatterns: list = []
