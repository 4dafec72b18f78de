"""What every page's shell needs: the languages to switch to and the user's roles for the menu."""

from django.conf import settings
from django.utils import translation

from pont.core import access


def shell(request):
    user = getattr(request, "user", None)
    roles = access.roles(user) if user is not None and user.is_authenticated else set()
    if "coordinator" in roles and access.is_employment_coordinator(user):
        roles = roles | {"employment_coordinator"}  # the programme catalogue and the job target are theirs
    return {
        "pont_languages": [(code, translation.get_language_info(code)["name_local"])
                           for code, _ in settings.LANGUAGES],
        "pont_roles": roles,
    }
