import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RemovedRelease(models.Model):
    """A public release that was deleted: kept so that clients syncing with
    `updated_since` learn to take it down (withdrawn releases keep their own
    row and need none)."""

    release_id = models.BigIntegerField(_("release id"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    translation_key = models.UUIDField(_("translation key"))
    slug = models.SlugField(_("slug"), max_length=255)
    removed_at = models.DateTimeField(_("deleted"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted release")
        verbose_name_plural = _("deleted releases")
        indexes = [models.Index(fields=["removed_at", "id"], name="api_removed_sync")]

    def __str__(self):
        return f"{self.language}/{self.slug}"

    # What RemovedReleaseSerializer reads, as on a withdrawn release.
    status = "deleted"
    withdrawal_reason = ""

    @property
    def withdrawn_at(self):
        return self.removed_at


# What every token begins with, so that one pasted where it should not be
# (a repository, a ticket) is recognised by secret scanners and by people.
TOKEN_PREFIX = "prt_"


def token_digest(token):
    """What is kept of a token: its SHA-256. A token is 256 random bits, so
    a fast hash is enough (no guessing to slow down) and lets a request's
    token be found by an index."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def revoke(self, *, user):
        """Revoke the active tokens among these, at once: their next request is
        a 401. Returns how many were revoked."""
        return self.active().update(revoked_at=timezone.now(), revoked_by=user)


class ApiToken(models.Model):
    """A read-only token for a trusted tool (README, "Using the API"): it sees
    what the public sees, under a higher rate limit. Only a digest of the
    token is kept; the token itself is shown once, when it is made (issue)."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Who uses it and for what, for example: AzerTAc newswire import."),
    )
    prefix = models.CharField(
        _("begins with"), max_length=12, editable=False, help_text=_("The token's first characters, to tell it.")
    )
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    def issue(self, *, user):
        """Make the token, keep its digest, save; return the token itself,
        which is kept nowhere."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.digest, self.created_by = token[:12], token_digest(token), user
        self.save()
        return token
