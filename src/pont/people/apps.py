from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pont.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        checks.register(right_to_work_table_check)


def right_to_work_table_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` names what is wrong in the right-to-work table a jurist edited (docs/right-to-work.md)."""
    import json

    from pont.people import right_to_work

    try:
        right_to_work.check_rules(json.loads(right_to_work.RULES_PATH.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as error:  # json.JSONDecodeError is a ValueError
        return [checks.Error(f"{right_to_work.RULES_PATH}: {error}", id="people.E001")]
    return []
