"""What every page's shell needs: the languages to switch to and the user's roles for the menu."""

from django.conf import settings
from django.utils import translation

from pont.core import access


def shell(request):
    user = getattr(request, "user", None)
    roles = access.roles(user) if user is not None and user.is_authenticated else set()
    return {
        "pont_languages": [(code, translation.get_language_info(code)["name_local"])
                           for code, _ in settings.LANGUAGES],
        "pont_roles": roles,
    }
