from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.text import NormalizedText

from .public import PublicContentQuerySet
from .workflow import APPROVED


class Department(NormalizedText, models.Model):
    """A department of the agency; it signs the releases it issues."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("For example: Press and Public Relations Department."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The department's address on the site, for example: press-and-public-relations."),
    )
    signature = models.CharField(
        _("signature"),
        max_length=200,
        blank=True,
        help_text=_(
            "How releases are signed, for example: SCC Press and Public Relations Department. "
            "Left empty, the name is used."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("For example: press@customs.gov.az."))
    phone = models.CharField(
        _("contact phone"), max_length=50, blank=True, help_text=_("For example: +994 12 404 00 00.")
    )
    media_contact_name = models.CharField(
        _("media contact"),
        max_length=200,
        blank=True,
        help_text=_("The person journalists should ask, for example: Aynur Mammadova."),
    )
    media_contact_email = models.EmailField(_("media contact e-mail"), blank=True)
    media_contact_phone = models.CharField(_("media contact phone"), max_length=50, blank=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("releases:department-detail", kwargs={"slug": self.slug})

    @property
    def signed_as(self):
        return self.signature or self.name

    @property
    def is_approved(self):
        """It signs a release an editor approved: see workflow.may_edit."""
        return self.releases.filter(status__in=APPROVED).exists()
