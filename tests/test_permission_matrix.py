"""Who may open what in the admin (issue 7, "Access"): every admin URL, found
in the admin's own URL patterns, against every role, with the status each
must get; and every admin action, with the roles it is offered to.

A URL or an action added to the admin without a line here fails
`test_every_admin_url_has_an_expectation` (or its action twin): say who may
use it before it ships. Roles as README's "Roles" table gives them: press
staff author, editors also publish, delete and read the audit trail,
administrators (superusers) also manage users, groups and sign-in lockouts.
"""

from datetime import timedelta

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLResolver, reverse
from django.utils import timezone
from reversion.models import Version

from alerts.models import Sending, Subscriber, Subscription
from api.models import ApiToken
from distribution.models import Distribution, MediaContact, MediaList
from imports.models import ImportedItem, ImportRun, OldAddress
from outbox.models import Message
from releases.models import Release, ShareLink, Tag, WorkflowEvent
from webhooks.models import Delivery, Endpoint, Topic

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "press", "editor", "administrator"]
LOGIN = "login"  # a redirect to the admin's login page

# GET of each named admin URL: the status for (anonymous, press staff, editor,
# administrator). Objects are real: a draft release with revisions, its
# event, delegation, department, tag, share link and workflow step, a user
# (press staff), a group and sign-in records.
GET = {
    # The admin site.
    "index": (LOGIN, 200, 200, 200),
    "login": (200, 302, 302, 302),
    # Signing out takes a POST (a link could sign anyone out); unsigned
    # visitors are sent to the index, which sends them to sign in.
    "logout": (302, 405, 405, 405),
    "password_change": (LOGIN, 200, 200, 200),
    "password_change_done": (LOGIN, 200, 200, 200),
    "autocomplete": (LOGIN, 200, 200, 200),
    "jsi18n": (LOGIN, 200, 200, 200),
    "view_on_site": (LOGIN, 302, 302, 302),
    "app_list": (LOGIN, 200, 200, 200),
    # Releases: press staff and editors; only editors delete.
    "releases_release_changelist": (LOGIN, 200, 200, 200),
    "releases_release_add": (LOGIN, 200, 200, 200),
    "releases_release_change": (LOGIN, 200, 200, 200),
    "releases_release_history": (LOGIN, 200, 200, 200),
    "releases_release_delete": (LOGIN, 403, 200, 200),
    "releases_release_preview": (LOGIN, 200, 200, 200),
    # The release form's live preview (of a new release: whoever may add one).
    "releases_release_live_preview": (LOGIN, 200, 200, 200),
    "releases_release_compare": (LOGIN, 200, 200, 200),
    # Restoring and reporting presence are POSTs (below).
    "releases_release_restore": (LOGIN, 403, 403, 403),
    "releases_release_editors": (LOGIN, 405, 405, 405),
    # Events, delegations and departments. They have no recover or revert
    # pages of reversion's (REVERSION_ADDRESSES, below).
    **{
        f"releases_{model}_{view}": (LOGIN, 200, 200, 200)
        for model in ["event", "delegation", "department"]
        for view in ["changelist", "add", "change", "history"]
    },
    "releases_event_delete": (LOGIN, 403, 200, 200),
    "releases_delegation_delete": (LOGIN, 403, 200, 200),
    "releases_department_delete": (LOGIN, 403, 200, 200),
    # Tags.
    "releases_tag_changelist": (LOGIN, 200, 200, 200),
    "releases_tag_add": (LOGIN, 200, 200, 200),
    "releases_tag_change": (LOGIN, 200, 200, 200),
    "releases_tag_history": (LOGIN, 200, 200, 200),
    "releases_tag_delete": (LOGIN, 403, 200, 200),
    "releases_tag_suggest": (LOGIN, 200, 200, 200),
    # Share links: editors'. Revoked, never deleted, even by administrators.
    "releases_sharelink_changelist": (LOGIN, 403, 200, 200),
    "releases_sharelink_add": (LOGIN, 403, 200, 200),
    "releases_sharelink_change": (LOGIN, 403, 200, 200),
    "releases_sharelink_history": (LOGIN, 403, 200, 200),
    "releases_sharelink_delete": (LOGIN, 403, 403, 403),
    "releases_sharelink_revoke": (LOGIN, 403, 200, 200),
    # The audit trail: read by editors; nobody adds, changes or deletes.
    "releases_workflowevent_changelist": (LOGIN, 403, 200, 200),
    "releases_workflowevent_add": (LOGIN, 403, 403, 403),
    "releases_workflowevent_change": (LOGIN, 403, 200, 200),
    "releases_workflowevent_history": (LOGIN, 403, 200, 200),
    "releases_workflowevent_delete": (LOGIN, 403, 403, 403),
    # Outgoing mail: administrators' to read; made by the product, never
    # edited nor deleted by hand.
    "outbox_message_changelist": (LOGIN, 403, 403, 200),
    "outbox_message_add": (LOGIN, 403, 403, 403),
    "outbox_message_change": (LOGIN, 403, 403, 200),
    "outbox_message_history": (LOGIN, 403, 403, 200),
    "outbox_message_delete": (LOGIN, 403, 403, 403),
    # Old addresses: administrators' (imports write them). Imported items:
    # administrators' to read; made by imports, never by hand.
    **{
        f"imports_oldaddress_{view}": (LOGIN, 403, 403, 200)
        for view in ["changelist", "add", "change", "history", "delete"]
    },
    "imports_importeditem_changelist": (LOGIN, 403, 403, 200),
    "imports_importeditem_add": (LOGIN, 403, 403, 403),
    "imports_importeditem_change": (LOGIN, 403, 403, 200),
    "imports_importeditem_history": (LOGIN, 403, 403, 200),
    "imports_importeditem_delete": (LOGIN, 403, 403, 403),
    # Import runs: administrators' to read, with their reports, and to queue
    # by uploading an archive (the "add" page); queued by the command too,
    # kept as a record, never edited nor deleted.
    **{
        f"imports_importrun_{view}": (LOGIN, 403, 403, 200)
        for view in ["changelist", "add", "change", "history", "report"]
    },
    "imports_importrun_delete": (LOGIN, 403, 403, 403),
    # Webhooks: administrators' (README, "Webhooks"). Deliveries are made by
    # the product, read and sent again, never added nor deleted by hand.
    **{
        f"webhooks_endpoint_{view}": (LOGIN, 403, 403, 200)
        for view in ["changelist", "add", "change", "history", "delete"]
    },
    **{f"webhooks_delivery_{view}": (LOGIN, 403, 403, 200) for view in ["changelist", "change", "history"]},
    "webhooks_delivery_add": (LOGIN, 403, 403, 403),
    # API tokens: administrators' (README, "Using the API"); revoked, never
    # deleted, so that who had access stays on record.
    **{f"api_apitoken_{view}": (LOGIN, 403, 403, 200) for view in ["changelist", "add", "change", "history"]},
    "api_apitoken_delete": (LOGIN, 403, 403, 403),
    # Alerts (README, "E-mail alerts"): the counts of subscribers and each
    # release's sending report for every role; the addresses themselves for
    # administrators only (personal data); nothing added or edited by hand.
    "alerts_subscription_changelist": (LOGIN, 200, 200, 200),
    **{f"alerts_subscription_{view}": (LOGIN, 403, 403, 403) for view in ["add", "change", "history", "delete"]},
    **{f"alerts_subscriber_{view}": (LOGIN, 403, 403, 200) for view in ["changelist", "change", "history", "delete"]},
    "alerts_subscriber_add": (LOGIN, 403, 403, 403),
    **{f"alerts_sending_{view}": (LOGIN, 200, 200, 200) for view in ["changelist", "change", "history"]},
    **{f"alerts_sending_{view}": (LOGIN, 403, 403, 403) for view in ["add", "delete"]},
    "webhooks_delivery_delete": (LOGIN, 403, 403, 403),
    # Users and groups: administrators'.
    **{
        f"auth_{model}_{view}": (LOGIN, 403, 403, 200)
        for model in ["user", "group"]
        for view in ["changelist", "add", "change", "history", "delete"]
    },
    "auth_user_password_change": (LOGIN, 403, 403, 200),
    # Sign-in records and lockouts (django-axes): administrators'.
    **{
        f"axes_{model}_{view}": (LOGIN, 403, 403, 200)
        for model in ["accessattempt", "accesslog", "accessfailurelog"]
        for view in ["changelist", "change", "history", "delete"]
    },
    # Media distribution: press staff keep contacts and lists and prepare a
    # send; editors delete, send and trace (releases/roles.py, OTHER_APPS).
    **{
        f"distribution_{model}_{view}": (LOGIN, 200, 200, 200)
        for model in ["mediacontact", "medialist"]
        for view in ["changelist", "add", "change", "history"]
    },
    "distribution_mediacontact_delete": (LOGIN, 403, 200, 200),
    "distribution_medialist_delete": (LOGIN, 403, 200, 200),
    "distribution_mediacontact_import": (LOGIN, 200, 200, 200),
    "distribution_mediacontact_export": (LOGIN, 200, 200, 200),
    "distribution_distribution_changelist": (LOGIN, 403, 200, 200),
    "distribution_distribution_change": (LOGIN, 403, 200, 200),
    "distribution_distribution_history": (LOGIN, 403, 200, 200),
    # Sends are made by the send page, and kept.
    "distribution_distribution_add": (LOGIN, 403, 403, 403),
    "distribution_distribution_delete": (LOGIN, 403, 403, 403),
    "distribution_send": (LOGIN, 200, 200, 200),
    "distribution_release": (LOGIN, 403, 200, 200),
    "distribution_revoke": (LOGIN, 403, 200, 200),
    # Nothing stopped the links: back to the distribution page.
    "distribution_notify": (LOGIN, 403, 302, 302),
    "distribution_correction": (LOGIN, 403, 403, 403),
    # Records are made by signing in, never by hand.
    "axes_accessattempt_add": (LOGIN, 403, 403, 403),
    "axes_accesslog_add": (LOGIN, 403, 403, 403),
    "axes_accessfailurelog_add": (LOGIN, 403, 403, 403),
}

# The URLs that change something take a POST: the status for each role.
POST = {
    "logout": (302, 200, 200, 200),
    "releases_release_restore": (LOGIN, 302, 302, 302),
    "releases_release_editors": (LOGIN, 200, 200, 200),
    "releases_sharelink_revoke": (LOGIN, 403, 302, 302),
    "distribution_revoke": (LOGIN, 403, 302, 302),
    # No change note given.
    "distribution_correction": (LOGIN, 403, 404, 404),
}

# django-reversion's recover and revert pages, at the addresses VersionAdmin
# gave them on every admin ({object}: an object of that admin, {version}: a
# revision of a release). They reverted a whole revision, a release's status
# and publication time included, past the workflow (issue 13): no admin has
# them, so each address is at most the admin's redirect to a change form
# that does not exist, for every role, and changes nothing.
REVERSION_ADDRESSES = ["recover/", "recover/{version}/", "{object}/history/{version}/"]
REVERSION_MODELS = ["release", "event", "delegation", "department", "tag"]

# Each action of each model's admin, and the roles it is offered to
# (anonymous visitors are offered none).
ACTIONS = {
    ("release", "submit_selected"): {"press", "editor", "administrator"},
    ("release", "publish_selected"): {"editor", "administrator"},
    ("release", "send_back_selected"): {"editor", "administrator"},
    ("release", "withdraw_selected"): {"editor", "administrator"},
    ("release", "delete_selected"): {"editor", "administrator"},
    ("event", "delete_selected"): {"editor", "administrator"},
    ("delegation", "delete_selected"): {"editor", "administrator"},
    ("department", "delete_selected"): {"editor", "administrator"},
    ("tag", "merge_selected"): {"editor", "administrator"},
    ("tag", "delete_selected"): {"editor", "administrator"},
    ("sharelink", "revoke_selected"): {"editor", "administrator"},
    # Share links are revoked, never deleted; the audit trail is never edited.
    ("sharelink", "delete_selected"): set(),
    ("workflowevent", "delete_selected"): set(),
    # A failed message sent again: administrators; an outgoing message is never deleted.
    ("message", "retry_selected"): {"administrator"},
    ("message", "delete_selected"): set(),
    ("oldaddress", "delete_selected"): {"administrator"},
    ("importeditem", "delete_selected"): set(),
    ("importrun", "delete_selected"): set(),
    ("endpoint", "enable_selected"): {"administrator"},
    ("endpoint", "delete_selected"): {"administrator"},
    ("delivery", "retry_selected"): {"administrator"},
    ("delivery", "delete_selected"): set(),
    ("apitoken", "revoke_selected"): {"administrator"},
    ("apitoken", "delete_selected"): set(),
    ("subscription", "delete_selected"): set(),
    ("subscriber", "delete_selected"): {"administrator"},
    ("sending", "pause_selected"): {"editor", "administrator"},
    ("sending", "resume_selected"): {"editor", "administrator"},
    ("sending", "delete_selected"): set(),
    ("mediacontact", "export_selected"): {"press", "editor", "administrator"},
    ("mediacontact", "delete_selected"): {"editor", "administrator"},
    ("medialist", "delete_selected"): {"editor", "administrator"},
    ("distribution", "delete_selected"): set(),
    ("user", "delete_selected"): {"administrator"},
    ("group", "delete_selected"): {"administrator"},
    ("accessattempt", "delete_selected"): {"administrator"},
    ("accessattempt", "cleanup_expired_attempts"): {"administrator"},
    ("accesslog", "delete_selected"): {"administrator"},
    ("accessfailurelog", "delete_selected"): {"administrator"},
}


def admin_url_names(patterns=None):
    """The name of every named URL of the admin site."""
    names = set()
    for pattern in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            names |= admin_url_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def admin_actions():
    """(model name, action name) for every action of every registered admin,
    whoever it is offered to."""
    return {
        (model._meta.model_name, name)
        for model, model_admin in admin.site._registry.items()
        for _function, name, _description in model_admin._get_base_actions()
    }


@pytest.fixture
def objects(make_release, delegation, editor, press_user, tmp_path):
    """One real object of each kind the admin's URLs name."""
    report = tmp_path / "report.csv"
    report.write_text("outcome,where,source_id,release,reason\n")
    with reversion.create_revision():
        release = make_release(status=Release.Status.DRAFT, event=delegation.event, tags=["WCO"])
    with reversion.create_revision():
        release.lead = "A second revision."
        release.save()
    release.submit(user=press_user)
    with reversion.create_revision():
        for kept in (delegation.event, delegation, release.department):
            kept.save()
    link = ShareLink(release=release, expires_at=timezone.now() + timedelta(days=2))
    link.issue(user=editor)
    api_token = ApiToken(name="Portal")
    api_token.issue(user=editor)
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="198.51.100.4", user_agent="", get_data="", post_data="", failures_since_start=1
    )
    contact = MediaContact.objects.create(name="Aysel", email="aysel@example.az", language="az")
    media_list = MediaList.objects.create(name="Economic press")
    media_list.contacts.add(contact)
    distribution = Distribution.objects.create(
        release=release, embargo_until=timezone.now() + timedelta(days=1), sent_by=editor
    )
    return {
        "mediacontact": contact,
        "medialist": media_list,
        "distribution": distribution,
        "release": release,
        "event": delegation.event,
        "delegation": delegation,
        "department": release.department,
        "tag": Tag.objects.get(name="WCO"),
        "sharelink": link,
        "workflowevent": WorkflowEvent.objects.get(release=release),
        "user": press_user,
        "group": Group.objects.get(name="Editors"),
        "accessattempt": attempt,
        "message": Message.objects.create(
            kind="alert", key="release:1", to="reader@example.org", subject="S", text="T", status="failed"
        ),
        "accesslog": AccessLog.objects.create(username="someone", ip_address="198.51.100.4", user_agent=""),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="someone", ip_address="198.51.100.4", user_agent="", locked_out=False
        ),
        "release_versions": list(Version.objects.get_for_object(release)),
        "oldaddress": OldAddress.objects.create(path="/news/1", release=release),
        "importeditem": ImportedItem.objects.create(source="old.example", source_id="1", release=release),
        "importrun": ImportRun.objects.create(source="export.xml", arguments=["export.xml"], report=str(report)),
        "endpoint": (endpoint := Endpoint.objects.create(url="https://portal.example.gov/hooks/")),
        "apitoken": api_token,
        "delivery": Delivery.objects.create(endpoint=endpoint, topic=Topic.PUBLISHED, key="release:1", body="{}"),
        "subscriber": (subscriber := Subscriber.objects.create(email="reader@example.org")),
        "subscription": Subscription.objects.create(
            subscriber=subscriber, language="en", scope="all", frequency="immediately"
        ),
        "sending": Sending.objects.create(release=release, key=f"release:{release.pk}"),
    }


DISTRIBUTION_PAGES = [
    "distribution_send",
    "distribution_release",
    "distribution_revoke",
    "distribution_notify",
    "distribution_correction",
]


def admin_url(name, objects):
    """The address of the admin URL `name`, naming real objects."""
    release, (newer, older) = objects["release"], objects["release_versions"]
    special = {
        "view_on_site": [ContentType.objects.get_for_model(Release).pk, release.pk],
        "app_list": ["releases"],
        "releases_release_restore": [release.pk, older.pk],
        "auth_user_password_change": [objects["user"].pk],
        **{name: [release.pk] for name in DISTRIBUTION_PAGES},
    }
    if name in special:
        return reverse(f"admin:{name}", args=special[name])
    if name == "releases_release_compare":
        return reverse(f"admin:{name}", args=[release.pk]) + f"?older={older.pk}&newer={newer.pk}"
    if name == "autocomplete":
        return reverse(f"admin:{name}") + "?app_label=releases&model_name=release&field_name=department"
    model, _separator, _view = name.partition("_")[2].rpartition("_")
    try:
        return reverse(f"admin:{name}")
    except NoReverseMatch:
        return reverse(f"admin:{name}", args=[objects[model].pk])


@pytest.fixture
def as_role(client, press_user, editor, administrator):
    """as_role(role): the test client, signed in as that role (or not)."""
    users = {"press": press_user, "editor": editor, "administrator": administrator}

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return sign_in


def assert_status(response, expected, context):
    if expected == LOGIN:
        assert response.status_code == 302, context
        assert response["Location"].startswith(reverse("admin:login")), context
    else:
        assert response.status_code == expected, context


def test_every_admin_url_has_an_expectation():
    assert admin_url_names() == set(GET)


def test_every_admin_action_has_an_expectation():
    assert admin_actions() == set(ACTIONS)


@pytest.mark.parametrize("name", sorted(GET))
def test_admin_url_answers_each_role_as_expected(as_role, objects, name):
    url = admin_url(name, objects)
    for role, expected in zip(ROLES, GET[name], strict=True):
        assert_status(as_role(role).get(url), expected, f"GET {url} as {role}")


@pytest.mark.parametrize("name", sorted(POST))
def test_admin_url_that_changes_something_answers_each_role_as_expected(as_role, objects, name):
    url = admin_url(name, objects)
    for role, expected in zip(ROLES, POST[name], strict=True):
        assert_status(as_role(role).post(url), expected, f"POST {url} as {role}")


@pytest.mark.parametrize("address", REVERSION_ADDRESSES)
@pytest.mark.parametrize("model", REVERSION_MODELS)
def test_reversions_recover_and_revert_addresses_change_nothing(as_role, objects, model, address):
    release = objects["release"]
    with reversion.create_revision():
        release.lead = "A third revision, not to be reverted."
        release.save()
    url = reverse(f"admin:releases_{model}_changelist") + address.format(
        object=objects[model].pk, version=objects["release_versions"][-1].pk
    )
    rows = {kind: list(type(objects[kind]).objects.order_by("pk").values()) for kind in REVERSION_MODELS}
    for role in ROLES:
        client = as_role(role)
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (302, 404), f"{url} as {role}"
            if role != "anonymous" and response.status_code == 302:
                # The admin's redirect of an unknown address to a change form, and that to the index.
                assert not response["Location"].startswith(reverse("admin:login")), f"{url} as {role}"
    assert {kind: list(type(objects[kind]).objects.order_by("pk").values()) for kind in REVERSION_MODELS} == rows


@pytest.mark.parametrize(("model", "action"), sorted(ACTIONS))
def test_admin_action_is_offered_only_to_its_roles(press_user, editor, administrator, model, action):
    users = {"press": press_user, "editor": editor, "administrator": administrator}
    model_admin = model_admin_of(model)
    offered = set()
    for role, user in users.items():
        request = RequestFactory().get("/admin/")
        request.user = user
        # Actions are offered on the changelist, to those who may open it.
        if model_admin.has_view_or_change_permission(request) and action in model_admin.get_actions(request):
            offered.add(role)
    assert offered == ACTIONS[model, action]


@pytest.mark.parametrize(("model", "action"), sorted(ACTIONS))
def test_admin_action_posted_by_a_role_it_is_not_offered_to_does_nothing(as_role, objects, model, action):
    """A hand-made POST of an action not offered, confirmation included,
    changes nothing: the changelist refuses it (403), says that no action was
    selected, or shows itself again."""
    model_class = model_admin_of(model).model
    url = reverse(f"admin:{model_class._meta.app_label}_{model}_changelist")
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [objects[model].pk],
        "index": 0,
        # What each action's own confirmation page would post.
        "post": "yes",
        "apply": "1",
        "keep": objects["tag"].pk,
        "comment": "Denied.",
    }
    for role in ["anonymous", *sorted({"press", "editor", "administrator"} - ACTIONS[model, action])]:
        client = as_role(role)  # signing in records itself: take the rows after it
        rows = list(model_class.objects.order_by("pk").values())
        response = client.post(url, data)
        context = f"{action} on {model} as {role}"
        if role == "anonymous":
            assert_status(response, LOGIN, context)
        elif response.status_code == 302:
            messages = [str(message) for message in get_messages(response.wsgi_request)]
            assert "No action selected." in messages, f"{context}: {messages}"
        elif response.status_code == 200:
            changelist = model_admin_of(model).change_list_template or "admin/change_list.html"
            assert changelist in [template.name for template in response.templates], context
        else:
            assert response.status_code == 403, context
        assert list(model_class.objects.order_by("pk").values()) == rows, context


def model_admin_of(model_name):
    return next(
        model_admin for model, model_admin in admin.site._registry.items() if model._meta.model_name == model_name
    )
