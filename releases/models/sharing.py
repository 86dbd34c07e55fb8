"""Embargoed share links: a secret address through which a journalist without
an account reads a release before it is public, until the link expires or an
editor revokes it. Every view of the page is logged."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from releases.text import NormalizedText

from .release import Release

SHARE_PERMISSION = "releases.add_sharelink"
REVOKE_PERMISSION = "releases.change_sharelink"

DEFAULT_LIFETIME = timedelta(days=7)
MAX_LIFETIME = timedelta(days=90)
USER_AGENT_MAX_LENGTH = 300


def new_token():
    """256 random bits, URL-safe: 43 characters no one can guess."""
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + DEFAULT_LIFETIME


class ShareLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that open their page now: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class ShareLink(NormalizedText, models.Model):
    """A secret, expiring, revocable address of a release that is not public
    yet, for journalists without accounts to read it under embargo."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    release = models.ForeignKey(
        Release,
        on_delete=models.CASCADE,
        related_name="share_links",
        verbose_name=_("release"),
        help_text=_("A release that is not public yet: a draft, a release in review or a scheduled one."),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Who the link is for, seen only by staff, for example: for Reuters, Baku bureau."),
    )
    expires_at = models.DateTimeField(
        _("expires"),
        default=default_expiry,
        help_text=_("The link stops working at this time: at most 90 days ahead, seven days by default."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
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

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="sharelink_expires_after_creation",
                violation_error_message=_("A share link must expire after it is created."),
            ),
        ]

    def __str__(self):
        # Never the token: this text goes into the admin's log and messages.
        if self.note:
            return gettext("Share link for “%(release)s” (%(note)s)") % {"release": self.release, "note": self.note}
        return gettext("Share link for “%(release)s”") % {"release": self.release}

    def get_absolute_url(self):
        return reverse("shared-release", kwargs={"token": self.token})

    def clean(self):
        # Only a new link is checked: an existing one keeps its expiry (the
        # admin shows it read-only) and may have expired by now.
        if not self._state.adding:
            return
        now = timezone.now()
        if self.expires_at is not None and self.expires_at <= now:
            raise ValidationError(
                {"expires_at": ValidationError(_("Choose a time in the future."), code="expiry_in_past")}
            )
        if self.expires_at is not None and self.expires_at > now + MAX_LIFETIME:
            latest = formats.date_format(timezone.localtime(now + MAX_LIFETIME), "DATETIME_FORMAT")
            message = ngettext(
                "A share link may last at most %(days)d day, until %(time)s.",
                "A share link may last at most %(days)d days, until %(time)s.",
                MAX_LIFETIME.days,
            )
            raise ValidationError(
                {
                    "expires_at": ValidationError(
                        message, code="expiry_too_late", params={"days": MAX_LIFETIME.days, "time": latest}
                    )
                }
            )
        if self.release_id is not None:
            self.check_release_can_be_shared(self.release)

    @staticmethod
    def check_release_can_be_shared(release):
        """Raise ValidationError unless `release` is one a share link is for:
        a public release needs none, and a withdrawn one is not to be read."""
        if release.is_published:
            message = _("This release is already public: give its public address instead.")
            raise ValidationError({"release": ValidationError(message, code="release_public")})
        if release.is_withdrawn:
            message = _("A withdrawn release cannot be shared.")
            raise ValidationError({"release": ValidationError(message, code="release_withdrawn")})

    @property
    def status(self):
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def is_active(self):
        """True when the link opens its page now; mirrors `active()`."""
        return self.status == self.Status.ACTIVE

    def issue(self, *, user):
        """Save this new link as created by `user`, after checking that they
        may share releases and that the link is valid."""
        if not user.has_perm(SHARE_PERMISSION):
            raise PermissionDenied(gettext("Only editors may create share links."))
        self.created_by = user
        self.full_clean()
        self.save()

    def revoke(self, *, user):
        """Make the link stop working at once. Revoking a revoked link keeps
        the first revocation."""
        if not user.has_perm(REVOKE_PERMISSION):
            raise PermissionDenied(gettext("Only editors may revoke share links."))
        if self.revoked_at is not None:
            return
        self.revoked_at = timezone.now()
        self.revoked_by = user
        self.save(update_fields=["revoked_at", "revoked_by"])

    def record_view(self, *, address, user_agent):
        """Log one view of the shared page."""
        return self.views.create(ip_address=address, user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH])


class ShareLinkView(NormalizedText, models.Model):
    """One view of a release through a share link: when, and from where."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views", verbose_name=_("share link"))
    viewed_at = models.DateTimeField(_("viewed"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True, editable=False)
    user_agent = models.CharField(_("browser"), max_length=USER_AGENT_MAX_LENGTH, blank=True, editable=False)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        verbose_name = _("share link view")
        verbose_name_plural = _("share link views")
        indexes = [models.Index(fields=["link", "-viewed_at"], name="sharelinkview_link_time")]

    def __str__(self):
        return formats.date_format(timezone.localtime(self.viewed_at), "DATETIME_FORMAT")
