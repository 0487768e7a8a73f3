"""The verification web app (``pip install 'vcbadge[web]'``): a viewer uploads or pastes a badge
(PNG, SVG, JSON, VC-JWT) or gives its URL and sees the badge page with its verification.

:func:`create_app` returns a Starlette application (run it with uvicorn, or ``vcbadge serve``);
uploads are read in memory under a hard cap and never stored, URLs are fetched only through
the guarded transport.
"""

from __future__ import annotations

from vcbadge.web.app import (
    BADGE_MEDIA_TYPES,
    DEFAULT_MAX_UPLOAD_BYTES,
    SECURITY_HEADERS,
    SecurityHeadersMiddleware,
    create_app,
)
from vcbadge.web.form import FormRefused

__all__ = [
    "BADGE_MEDIA_TYPES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "SECURITY_HEADERS",
    "FormRefused",
    "SecurityHeadersMiddleware",
    "create_app",
]
