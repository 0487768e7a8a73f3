"""The learner's browser on vcbadge's sign-in and consent pages, for the tests of the Open
Badges API client: from an authorization URL through the login form and the consent form to
the redirect back to the client, which is returned, not followed."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import requests

__all__ = ["walk_consent"]

_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def walk_consent(
    http: requests.Session, url: str, *, user: str, password: str, decision: str = "allow"
) -> str:
    """Sign in as ``user`` and press ``decision`` (``allow`` or ``deny``): the ``Location``
    the provider sends the browser back to."""
    page = http.get(url, allow_redirects=False, timeout=10)
    for _ in range(4):  # the login form, then the consent form
        if page.status_code != 200:
            break
        action = _ACTION.search(page.text)
        token = _CSRF.search(page.text)
        assert action, page.text
        assert token, page.text
        fields = {"csrf_token": token[1]}
        if 'type="password"' in page.text:
            fields.update(username=user, password=password)
        else:
            fields["decision"] = decision
        target = urljoin(page.url, action[1].replace("&amp;", "&"))
        page = http.post(target, data=fields, allow_redirects=False, timeout=10)
        while page.status_code == 303:
            page = http.get(
                urljoin(page.url, page.headers["location"]), allow_redirects=False, timeout=10
            )
    assert page.status_code == 302, page.text
    return str(page.headers["location"])
