from django.urls import reverse
from django.utils import translation


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
