from django.urls import path

from .views import citizen, oidc, staff

app_name = "accounts"
urlpatterns = [
    # Citizens and companies (网上办事大厅)
    path("login/", citizen.login_view, name="login"),
    path("login/code/", citizen.login_code, name="login_code"),
    path("login/code/resend/", citizen.login_code_resend, name="login_code_resend"),
    path("logout/", citizen.logout_view, name="logout"),
    path("register/", citizen.register_start, name="register"),
    path("register/details/", citizen.register_details, name="register_details"),
    path("register/resend/", citizen.register_resend, name="register_resend"),
    path("profile/", citizen.profile, name="profile"),
    path("profile/reveal/", citizen.profile_reveal, name="profile_reveal"),
    path("company/authorizations/", citizen.authorizations, name="authorizations"),
    path("company/authorizations/<int:pk>/revoke/", citizen.authorization_revoke, name="authorization_revoke"),
    # The province's unified identity service (统一身份认证)
    path("oidc/login/", oidc.oidc_login, name="oidc_login"),
    path("oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    # Staff: the second step after the workbench sign-in (workbench:login)
    path("staff/verify/", staff.staff_verify, name="staff_verify"),
    path("staff/enrol/", staff.staff_enrol, name="staff_enrol"),
]
