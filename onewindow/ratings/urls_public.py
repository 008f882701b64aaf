"""Public 好差评 pages: the signed-link rating page (no sign-in) and the window rating pad."""

app_name = "rating"
urlpatterns: list = []
