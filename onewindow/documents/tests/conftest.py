import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call and then its on-commit work (the case_event_committed receivers), as a request does."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
