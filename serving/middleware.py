from django.urls import reverse
from django.utils import translation

from serving import health, metrics
from serving.outage import answer_outage

# Outside the URLconf: to everyone not allowed to scrape, no such page.
METRICS_PATH = "/metrics"


class ProbeMiddleware:
    """Answers the health check, and the metrics scrape from the addresses
    allowed it (serving/metrics.py), on any Host: load balancers and
    Prometheus reach each instance by its own address, which ALLOWED_HOSTS
    does not list. Comes before everything that asks for the host
    (SecurityMiddleware's HTTPS redirect, CommonMiddleware, CSRF) and before
    the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.healthz_path = None

    def __call__(self, request):
        if self.healthz_path is None:
            self.healthz_path = reverse("healthz")
        if request.path_info == self.healthz_path:
            return health.healthz(request)
        if request.path_info == METRICS_PATH and metrics.may_scrape(request):
            return metrics.export(request)
        return self.get_response(request)


class AdminLanguageMiddleware:
    """Show the admin in the language of the person's browser (or language
    cookie). LocaleMiddleware gives every unprefixed address the default
    language, as the public site's are; the admin's are not the public site's.
    Goes after LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path_info.startswith(self.admin_prefix):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """While the database or the object store is unreachable, views answer
    the static 503 page (serving/outage.py) instead of a server error;
    other exceptions go on to Django's handling. Low in MIDDLEWARE (only
    django-axes, which handles no exception, comes after it), so that it is
    the first to see a view's exception. Errors raised outside the view, in other middleware, never
    reach a process_exception: the handler500 (serving.outage.server_error)
    answers them the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return answer_outage(request, exception)
