"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


def apply_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to its fields when they exist, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def form_refusal(form: forms.BaseForm) -> ValidationError:
    """Return a bound form's errors as one refusal naming each field (for a page that answers a post with a
    message, not the form again)."""
    return ValidationError([f"{form.fields[name].label}: {message}" if name in form.fields else message
                            for name, messages in form.errors.items() for message in messages])


class StyledForm:
    """Mixin giving widgets Bootstrap's classes; Django's field groups supply labels and aria links."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _dash_for_blank(field)
            widget = field.widget
            kind = getattr(widget, "input_type", "")
            css = {"checkbox": "form-check-input", "select": "form-select"}.get(kind, "form-control")
            if widget.__class__.__name__ in ("Select", "SelectMultiple"):
                css = "form-select"
            widget.attrs.setdefault("class", css)


def _dash_for_blank(field: forms.Field) -> None:
    """Show an empty choice as "—" everywhere (Django's ModelForms write "---------")."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = "—"
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # a ChoiceField holds a list once built
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", "—"), *choices[1:]]


def set_choices(field: forms.Field, choices) -> None:
    """Give a choice field its choices (computed per request: language names, regions in the user's language)."""
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(field).__name__} has no choices")
    field.choices = choices


def set_queryset(field: forms.Field, queryset) -> None:
    """Give a model choice field the records this user may choose (scoped per request)."""
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(field).__name__} has no queryset")
    field.queryset = queryset


class PontFormRenderer(TemplatesSetting):
    """Django's renderer with Pont's field group: label, errors, input, then the help text (so inputs align)."""

    field_template_name = "forms/field.html"
