"""The readers' pages of the alerts: subscribe, confirm, manage, unsubscribe.

The "Get these by e-mail" form sits on public pages that caches keep for
every reader (serving/pagecache.py), so it can carry no CSRF token and the
page no CSRF cookie. It posts here without one (`subscribe` is exempt), and
CSRF would protect nothing here anyway: whatever a forged post could do
(ask for a confirmation mail to some address), anyone can do by typing the
address. What keeps that from being abused instead: the double opt-in
(nothing is sent but the confirmation before its owner follows the link),
the rate limits per address and per client, and the refusal of posts that
browsers mark as coming from another site (`Sec-Fetch-Site: cross-site`, or
an `Origin` that is not this site), so that no other site can make its
visitors' browsers post for it from thousands of addresses.

Every other page is reached by a signed link mailed to the address; they
are never cached and their forms carry Django's CSRF token, but for the
one-click unsubscribe (RFC 8058), which mail providers post with no cookie:
the signed link is its proof."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import links, services
from alerts.forms import FrequencyForm, ScopeForm, SubscribeForm
from serving.client import client_address
from serving.limits import client_key, over_limit

HOUR = 60 * 60


def _from_another_site(request):
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    ours = {urlsplit(settings.SITE_URL).netloc, request.get_host()}
    return urlsplit(origin).netloc not in ours


def _limited(request, email):
    """Seconds to wait before this client, or this address, may subscribe again."""
    address = client_address(request)
    waits = [over_limit(f"alerts:address:{email.lower()}", limit=settings.PRESSROOM_ALERTS_PER_ADDRESS, window=HOUR)]
    if address is not None:
        waits.append(
            over_limit(f"alerts:{client_key(address)}", limit=settings.PRESSROOM_ALERTS_PER_CLIENT, window=HOUR)
        )
    return max(waits)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET: the form, with what a page's filters (?tag=&department=&event=)
    make of the subscription. POST: the same answer whether the address
    subscribes already or not."""
    if request.method != "POST":
        params = request.GET
        initial = {"tag": params.getlist("tag"), "department": params.get("department"), "event": params.get("event")}
        return _subscribe_page(request, SubscribeForm(initial=initial), params)
    if _from_another_site(request):
        return HttpResponseForbidden("Subscribing is done from this site's own pages.")
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _subscribe_page(request, form, request.POST, status=400)
    data = form.cleaned_data
    if seconds := _limited(request, data["email"]):
        response = render(request, "alerts/too_many.html", {"retry_minutes": -(-seconds // 60)}, status=429)
        response["Retry-After"] = str(seconds)
        return response
    services.subscribe(
        email=data["email"],
        language=get_language(),
        frequency=data["frequency"],
        tags=data["tag"],
        department=data["department"],
        event=data["event"],
    )
    return redirect("alerts:subscribe-sent")


def _subscribe_page(request, form, params, *, status=200):
    """The form, with what the filters of `params` make of the subscription."""
    scope_form = ScopeForm(params)
    scope = None
    if scope_form.is_valid():
        found = scope_form.cleaned_data
        scope = services.describe(
            language=get_language(), tags=found["tag"], department=found["department"], event=found["event"]
        )
    context = {"form": form, "scope": scope, "scope_errors": scope_form.errors}
    return render(request, "alerts/subscribe.html", context, status=status if scope else 400)


@never_cache
def subscribe_sent(request):
    return render(request, "alerts/subscribe_sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a button, as link checkers of mail systems open links too; POST
    confirms."""
    found = links.confirmed_subscription(token)
    if found is None:
        return render(request, "alerts/link_expired.html", status=404)
    subscription, frequency = found
    if request.method == "POST":
        services.confirm(subscription, frequency)
        return redirect(links.manage_url(subscription.subscriber, get_language()) + "?confirmed=1")
    return render(
        request,
        "alerts/confirm.html",
        {"scope": _scope(subscription), "frequency": frequency, "already": subscription.confirmed_at is not None},
    )


def _scope(subscription):
    return services.describe(
        language=subscription.language,
        tags=list(subscription.tags.all()),
        department=subscription.department,
        event=subscription.event,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    subscriber = links.managed_subscriber(token)
    if subscriber is None:
        return render(request, "alerts/link_expired.html", status=404)
    subscriptions = list(
        subscriber.subscriptions.select_related("department", "event").prefetch_related("tags").order_by("pk")
    )
    if request.method == "POST":
        chosen = [s for s in subscriptions if str(s.pk) == request.POST.get("subscription")]
        action = request.POST.get("action")
        if action == "unsubscribe-all":
            services.unsubscribe(subscriber.subscriptions.all())
            return redirect("alerts:unsubscribed")
        if not chosen:
            return HttpResponseBadRequest("No such subscription.")
        if action == "unsubscribe":
            services.unsubscribe(subscriber.subscriptions.filter(pk=chosen[0].pk))
            if len(subscriptions) == 1:
                return redirect("alerts:unsubscribed")
        elif action == "frequency":
            form = FrequencyForm(request.POST)
            if not form.is_valid():
                return HttpResponseBadRequest("No such frequency.")
            services.set_frequency(chosen[0], form.cleaned_data["frequency"])
        return redirect(request.path)
    rows = [(subscription, _scope(subscription)) for subscription in subscriptions if subscription.confirmed_at]
    pending = [(subscription, _scope(subscription)) for subscription in subscriptions if not subscription.confirmed_at]
    return render(
        request,
        "alerts/manage.html",
        {"rows": rows, "pending": pending, "email": subscriber.email, "confirmed": "confirmed" in request.GET},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """RFC 8058's one-click unsubscribe: a POST (from the mail program, with
    List-Unsubscribe=One-Click, or from the button of the GET page) ends the
    subscriptions the message was sent for. A GET changes nothing: link
    checkers open links."""
    found = links.unsubscribed_subscriptions(token)
    if found is None:
        return render(request, "alerts/unsubscribed.html", status=200 if request.method == "POST" else 404)
    subscriber, subscriptions = found
    if request.method == "POST":
        services.unsubscribe(subscriptions)
        return render(request, "alerts/unsubscribed.html")
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "scopes": [_scope(subscription) for subscription in subscriptions.prefetch_related("tags")],
            "manage_url": reverse("alerts:manage", kwargs={"token": links.manage_token(subscriber)}),
        },
    )


@never_cache
def unsubscribed(request):
    return render(request, "alerts/unsubscribed.html")
