"""The admin under the Content-Security-Policy (README, "Security"), which
allows no inline script or style. The rich-text editor brings the two
exceptions of an admin page: its inline import map, which carries the
response's nonce, and the stylesheet its script (Tiptap) writes into the
page as a <style> element, allowed by its hash."""

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from js_asset import Media

EDITOR_SCRIPT = "django_prose_editor/editor.js"
# A CSS text in a JavaScript template literal: `.ProseMirror { ... }`.
_STYLESHEET_LITERAL = re.compile(r"=`(\.[A-Za-z][^`]*?\{[^`]*)`")


@cache
def editor_style_hashes():
    """The CSP hash sources of the stylesheets the editor's script injects,
    read from the installed script itself, so that they follow its upgrades."""
    path = finders.find(EDITOR_SCRIPT)
    source = Path(path).read_text(encoding="utf-8") if path else ""
    return [f"'sha256-{_sha256(css)}'" for css in _STYLESHEET_LITERAL.findall(source)]


def _sha256(text):
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


class ContentSecurityPolicyMediaMixin:
    """For a ModelAdmin whose form has the rich-text editor: the form's media
    (the import map with them) is rendered with the nonce that django-csp
    adds to this response's script-src, and the policy of this response
    alone allows the editor's stylesheet."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            context["media"] = Media.from_media(context["media"], nonce=nonce)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response._csp_update = {"style-src": editor_style_hashes()}
        return response
