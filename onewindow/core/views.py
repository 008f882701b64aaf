"""Site-wide error views that Django lets a project replace."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """The form's security token was missing or stale (a page left open past the session, cookies blocked):
    a plain Chinese page saying what to do, instead of Django's technical English one. Nothing was saved,
    so going back and submitting again is safe; drafts of the online hall are kept on the server."""
    return render(request, "csrf_failure.html", status=403)
