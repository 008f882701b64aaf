import pytest

from onewindow.documents.tests.factories import county_department, team

from .fakes import FakeSmsGateway, FakeSmtpServer


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call and then its on-commit work (receivers, queued tasks), as a request does."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def dept():
    return county_department()


@pytest.fixture
def people(dept):
    return team(dept)


@pytest.fixture
def no_channels(settings):
    settings.SMS_BACKEND = "none"
    settings.NOTIFICATIONS_EMAIL_ENABLED = False


@pytest.fixture
def gateway(settings):
    """The SMS channel pointed at a local fake gateway."""
    fake = FakeSmsGateway()
    settings.SMS_BACKEND = "gateway"
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_API_KEY = "test-key"
    settings.SMS_API_SECRET = "test-secret"
    settings.SMS_SIGN_NAME = "云溪政务"
    settings.SMS_TIMEOUT = 2.0
    settings.NOTIFICATIONS_EMAIL_ENABLED = False
    settings.NOTIFICATIONS_RETRY_BACKOFF = 60
    settings.NOTIFICATIONS_RETRY_BACKOFF_MAX = 3600
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 5
    yield fake
    fake.stop()


@pytest.fixture
def smtp(settings):
    """The e-mail channel over real SMTP to a local fake server."""
    fake = FakeSmtpServer()
    settings.SMS_BACKEND = "none"
    settings.NOTIFICATIONS_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = fake.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "noreply@zwfw.example.gov.cn"
    yield fake
    fake.stop()
