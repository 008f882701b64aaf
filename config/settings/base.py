"""One settings file for every environment; the environment decides (DESIGN.md §9)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the embedded database and media live here

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="onewindow-embedded-demo-key-change-me-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "onewindow.core",
    "onewindow.accounts",
    "onewindow.org",
    "onewindow.catalogue",
    "onewindow.workcalendar",
    "onewindow.cases",
    "onewindow.supervision",
    "onewindow.ratings",
    "onewindow.documents",
    "onewindow.notifications",
    "onewindow.applications",
    "onewindow.apiauth",
    "onewindow.portal",
    "onewindow.workbench",
    "onewindow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onewindow.accounts.middleware.SecurityHeadersMiddleware",  # CSP on every response
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onewindow.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onewindow.accounts.middleware.SessionTimeoutMiddleware",
    "onewindow.accounts.middleware.StaffVerificationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onewindow.core.middleware.ApplicationErrorMiddleware",
    # Last: it turns a sign-in refused during a lockout into the Chinese lockout page (docs/accounts.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "onewindow" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onewindow.core.context_processors.site",
            ],
        },
    },
]

# The embedded default is a SQLite file so that `make demo` works on a bare machine;
# production and CI set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'onewindow.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Citizens sign in at /accounts/login/; a `next` inside the workbench is sent on to the staff sign-in.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses sign-in while an account is locked
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {"default": env.cache_url("CACHE_URL")} if CACHE_URL else {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "onewindow"}
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when serving from the app folders
STATICFILES_DIRS = [BASE_DIR / "onewindow" / "static"]
# Serve straight from the app folders unless collectstatic was run (production images do run it).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# The embedded server serves public catalogue files itself; production puts them behind the web server.
SERVE_PUBLIC_MEDIA = env.bool("SERVE_PUBLIC_MEDIA", default=True)
# Largest upload accepted anywhere; individual features set tighter limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Sign-in and security basics (docs/accounts.md) ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the form or the hx-headers attribute, never from JS
CSRF_FAILURE_VIEW = "onewindow.core.views.csrf_failure"  # a Chinese page saying what to do, not Django's English one
SESSION_COOKIE_SAMESITE = "Lax"  # Lax, not Strict: the identity provider's redirect back must carry the session
# A session ends 8 hours after sign-in whatever happens, and after 30 minutes without a request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)  # e.g. 31536000 once the site is HTTPS only
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if env.bool("SECURE_PROXY_SSL", default=False):  # behind a TLS-terminating proxy that sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy on every response: no inline script anywhere, nothing from other hosts. Inline
# style attributes stay allowed (some templates use them, and htmx adds its indicator style).
CONTENT_SECURITY_POLICY = env.str("CONTENT_SECURITY_POLICY", default=(
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"))

# Staff: password, then a TOTP code (django-otp). Pages under these prefixes need a verified session.
OTP_REQUIRED_PREFIXES = ["/workbench/", "/admin/"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="一窗通办")
OTP_SELF_ENROLMENT = env.bool("OTP_SELF_ENROLMENT", default=True)  # first sign-in shows the QR code to scan
# Lockout (django-axes): 5 failed sign-ins (password or second step) lock the account for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]  # per account: a hall's clerks share one public IP address
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # the check wants IP lockouts too, which would lock out a whole hall
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes' INCLUDE columns are a PostgreSQL speed-up; SQLite builds the plain index (expected).
    SILENCED_SYSTEM_CHECKS.append("models.W040")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "onewindow.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Never store these form fields in the failure records (a citizen signs in with a mobile number).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "mobile", "token", "code"]

# Citizens' sign-in through the province's unified identity service (统一身份认证), OpenID Connect.
# Enabled when OIDC_CLIENT_ID and an issuer (discovery) or explicit endpoints are set.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")  # default: <issuer>/.well-known/openid-configuration
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_USERINFO_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_JWKS_URI = env.str("OIDC_JWKS_URI", default="")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid profile phone")
OIDC_CLAIM_NAME = env.str("OIDC_CLAIM_NAME", default="name")
OIDC_CLAIM_ID_NUMBER = env.str("OIDC_CLAIM_ID_NUMBER", default="id_number")
OIDC_CLAIM_MOBILE = env.str("OIDC_CLAIM_MOBILE", default="phone_number")
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "onewindow.core.api.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "onewindow.apiauth.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "onewindow.core.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OneWindow API",
    "DESCRIPTION": "一窗通办 政务服务一体化平台 REST API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No call to the online validator: government networks are closed and visitors' data stays here.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "TAGS": [
        {"name": "事项", "description": "已发布的政务服务事项及办事指南"},
        {"name": "清单与指标", "description": "公开清单（权责、许可、公共服务、收费、容缺）与马上办等指标"},
        {"name": "字典", "description": "事项类型、主题、部门、行政区划"},
        {"name": "工作日历", "description": "法定节假日、调休与按工作日计算的办结期限"},
        {"name": "目录", "description": "API 入口"},
    ],
}

# Celery: Redis in production; with no broker configured tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in-process; an in-memory transport keeps kombu from looking for a broker on localhost.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # 电子监察: yellow/red cards, their alerts, and (hourly inside the task) off-system handling checks.
    "supervision-scan": {"task": "supervision.scan", "schedule": 300.0},
    # Notifications whose delivery failed are retried with backoff until they go or give up.
    "notifications-retry-due": {"task": "notifications.retry_due", "schedule": 300.0},
    # 好差评: overdue rectification cards, expired rating invitations, exports to the exchange (with retries).
    "ratings-periodic": {"task": "ratings.periodic", "schedule": 300.0},
}

# 事项编码 validation: bureaus use different code schemes, so the pattern is configuration.
CATALOGUE_BASIC_CODE_PATTERN = env.str("CATALOGUE_BASIC_CODE_PATTERN", default=r"^[0-9A-Za-z\-]{6,40}$")
CATALOGUE_IMPLEMENTATION_CODE_PATTERN = env.str(
    "CATALOGUE_IMPLEMENTATION_CODE_PATTERN", default=r"^[0-9A-Za-z\-]{6,60}$"
)
CATALOGUE_IMPORT_MAX_BYTES = env.int("CATALOGUE_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
CATALOGUE_IMPORT_MAX_ROWS = env.int("CATALOGUE_IMPORT_MAX_ROWS", default=20000)  # per sheet

SITE_NAME = env.str("SITE_NAME", default="一窗通办")
SITE_BUREAU = env.str("SITE_BUREAU", default="云溪县行政审批服务局")

# Legal documents (PDF): the CJK TrueType font embedded in them. Empty = WenQuanYi Micro Hei from the pinned
# paperang-p2-fonts-cjk package, then Debian's fonts-wqy-microhei / fonts-wqy-zenhei (docs/documents.md).
DOCUMENTS_FONT_PATH = env.str("DOCUMENTS_FONT_PATH", default="")
DOCUMENTS_FONT_SUBFONT_INDEX = env.int("DOCUMENTS_FONT_SUBFONT_INDEX", default=0)  # face inside a .ttc

# Notifications to applicants (docs/notifications.md): in-app messages always; e-mail and SMS when configured.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
NOTIFICATIONS_EMAIL_ENABLED = env.bool("NOTIFICATIONS_EMAIL_ENABLED", default=bool(EMAIL_HOST))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_API_KEY = env.str("SMS_API_KEY", default="")
SMS_API_SECRET = env.str("SMS_API_SECRET", default="")
SMS_SIGN_NAME = env.str("SMS_SIGN_NAME", default=SITE_NAME)
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=5.0)
# gateway | console (text to the log: the embedded demo's default) | none
SMS_BACKEND = env.str("SMS_BACKEND", default="gateway" if SMS_GATEWAY_URL else (
    "console" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "none"))
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BACKOFF = env.int("NOTIFICATIONS_RETRY_BACKOFF", default=60)  # seconds; doubles per attempt
NOTIFICATIONS_RETRY_BACKOFF_MAX = env.int("NOTIFICATIONS_RETRY_BACKOFF_MAX", default=3600)

# 好差评 (docs/ratings.md): rating window and amendment period (natural days), rectification deadlines
# (working days; RATINGS_RECTIFY_DAYS_BY_REGION e.g. {"430422": 10} by region-code prefix), default good rating.
RATINGS_WINDOW_DAYS = env.int("RATINGS_WINDOW_DAYS", default=15)
RATINGS_AMEND_DAYS = env.int("RATINGS_AMEND_DAYS", default=7)
RATINGS_LINK_DAYS = env.int("RATINGS_LINK_DAYS", default=60)  # the link still shows one's rating and the reply
RATINGS_VERIFY_DAYS = env.int("RATINGS_VERIFY_DAYS", default=1)
RATINGS_RECTIFY_DAYS = env.int("RATINGS_RECTIFY_DAYS", default=15)
RATINGS_RECTIFY_DAYS_BY_REGION = env.json("RATINGS_RECTIFY_DAYS_BY_REGION", default={})
RATINGS_FOLLOW_UP_DAYS = env.int("RATINGS_FOLLOW_UP_DAYS", default=3)
RATINGS_DEFAULT_GOOD = env.bool("RATINGS_DEFAULT_GOOD", default=False)
RATINGS_OPTIONS = env.json("RATINGS_OPTIONS", default={})  # {"1": ["服务态度差", ...], ...}; empty = standard lists
RATINGS_LINK_BASE_URL = env.str("RATINGS_LINK_BASE_URL", default="")  # e.g. https://zwfw.example.gov.cn
# Export of rating records to the provincial / national exchange, signed with SM2 (empty URL = off).
RATINGS_EXCHANGE_URL = env.str("RATINGS_EXCHANGE_URL", default="")
RATINGS_EXCHANGE_SYSTEM_ID = env.str("RATINGS_EXCHANGE_SYSTEM_ID", default="onewindow")
RATINGS_EXCHANGE_PRIVATE_KEY = env.str("RATINGS_EXCHANGE_PRIVATE_KEY", default="")
RATINGS_EXCHANGE_PUBLIC_KEY = env.str("RATINGS_EXCHANGE_PUBLIC_KEY", default="")
RATINGS_EXCHANGE_TIMEOUT = env.float("RATINGS_EXCHANGE_TIMEOUT", default=10.0)
RATINGS_EXCHANGE_MAX_ATTEMPTS = env.int("RATINGS_EXCHANGE_MAX_ATTEMPTS", default=5)
RATINGS_EXCHANGE_BACKOFF = env.int("RATINGS_EXCHANGE_BACKOFF", default=60)  # seconds; doubles per attempt

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "onewindow.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
