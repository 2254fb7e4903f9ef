"""Form widgets drawn in Python instead of through Django's widget templates.

A page drawn on every request (the notice search form) spent more time
rendering its ten widgets, one template include per <option>, than searching.
These widgets produce the same HTML as Django's own (same attributes, same
escaping), without the template engine.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def esc(value: Any) -> str:
    """`django.utils.html.conditional_escape(value)` as a plain str: safe strings (anything with `__html__`) as
    they are, anything else escaped as `escape` does (`html.escape`: & < > " '). Without `escape`'s lazy-argument
    wrapper, which cost more than the escaping on pages that draw hundreds of values in Python (issue 19). The
    caller marks the assembled HTML safe."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def flatatt(attrs: dict[str, Any]) -> SafeString:
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them."""
    return mark_safe("".join(  # noqa: S308 (each part is built by format_html)
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    ))


def _input(widget_type: str, name: str, value: Any, attrs: dict[str, Any]) -> SafeString:
    if value is None:
        return format_html('<input type="{}" name="{}"{}>', widget_type, name, flatatt(attrs))
    return format_html('<input type="{}" name="{}" value="{}"{}>', widget_type, name, str(value), flatatt(attrs))


class TextInput(forms.TextInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class NumberInput(forms.NumberInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class CheckboxInput(forms.CheckboxInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class FileInput(forms.FileInput):
    """A file input: never a value (a browser does not take one), as django/forms/widgets/file.html writes it."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, None, context["attrs"])


class Select(forms.Select):
    """A single-choice select with flat choices (no option groups)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = set(self.format_value(value))
        found = False
        options = []
        for option_value, label in self.choices:  # one pass: no len() (a COUNT query for model choices)
            if isinstance(label, (list, tuple)):  # option groups: Django's way
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            is_selected = not found and text in selected
            found = found or is_selected
            options.append(f'<option value="{esc(text)}"{" selected" if is_selected else ""}>{esc(str(label))}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (each value and label escaped above)
        )


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes, one per choice, written as django/forms/widgets/multiple_input.html, input_option.html and
    input.html write them (the same HTML: tests/core/test_widgets_html.py) without a template per option (a case
    page's invitation form lists every active unit). Option groups are not drawn here: a widget with groups falls
    back to the templates."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in context["optgroups"]):
            return super().render(name, value, attrs, renderer)
        own = context["attrs"]
        parts = ["<div", f' id="{esc(own["id"])}"' if own.get("id") else "", f' class="{esc(own["class"])}"' if own.get("class") else "", ">"]
        for _group, options, _index in context["optgroups"]:
            for option in options:
                label_for = f' for="{esc(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
                field = _input(option["type"], option["name"], option["value"], option["attrs"])
                if option["wrap_label"]:
                    parts.append(f"<div>\n    <label{label_for}>{field}\n {esc(str(option['label']))}</label>\n\n</div>")
                else:  # (each included template ends with a newline)
                    parts.append(f"<div>\n    {field}\n\n</div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # noqa: S308 (every value escaped: esc, format_html)


class _ListedChoices(ModelChoiceIterator):
    """Model choices read with one plain query (not a server-side cursor: three round trips on PostgreSQL)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class SmallModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField over a short list (units, countries): its choices read with one plain query, drawn
    as checkboxes by the widget above."""

    iterator = _ListedChoices
    widget = CheckboxSelectMultiple


class SmallModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (countries), drawn with the Select above."""

    iterator = _ListedChoices
    widget = Select


class Textarea(forms.Textarea):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        # django/forms/widgets/textarea.html: a newline after the opening tag (a browser drops it), the value if any
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name, flatatt(context["attrs"]), context["value"] or "")


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO 8601 (YYYY-MM-DD), whatever the
    interface language: a browser drops any other value of an <input type="date">
    (a Lao "30/11/2027" came up blank, and the form then lost it)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; its value is always ISO 8601 (YYYY-MM-DDTHH:MM) in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)["widget"]
        return _input(self.input_type, name, context["value"], context["attrs"])


def label_tag(field: Any) -> SafeString:
    """`field.label_tag()` (a bound field's <label>, with the form's suffix) as django/forms/label.html writes it,
    without the template engine."""
    from django.utils.html import conditional_escape
    from django.utils.translation import gettext

    contents = field.label
    suffix = field.field.label_suffix if field.field.label_suffix is not None else field.form.label_suffix
    if suffix and contents and contents[-1] not in gettext(":?.!"):
        contents = format_html("{}{}", contents, suffix)
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return conditional_escape(contents)
    attrs: dict[str, Any] = {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if field.field.required and hasattr(field.form, "required_css_class"):
        attrs["class"] = field.form.required_css_class
    return format_html("<label{}>{}</label>", flatatt(attrs), contents)


_BLANK: dict[tuple[Any, ...], SafeString] = {}
BLANK_KEPT = 200  # drawings of blank forms kept per process (forms x languages x versions of their model choices)


def form_rows(form: Any, skip: tuple[str, ...] = ()) -> SafeString:
    """The fields of `form` but those in `skip`, each as `<div class="form-row">` with its label, its widget and its
    errors (what `{% for field in form %}<div class="form-row">{{ field.label_tag }}{{ field }}{{ field.errors }}</div>`
    writes). With this module's widgets no template is rendered; an error list only when there are errors.

    A form class with `same_when_blank = True` declares that an unbound form of it, without initial values, draws
    the same HTML for the same language, ids and choices: that drawing is kept in the process and reused (a page
    that draws the same empty forms on every view). Its model choices are read every time and are part of the key,
    so a changed list (a border gate added) is drawn anew. A `Blank` stand-in is keyed by its class and `version`
    instead (the rows its choices come from), and the real form is built only when its drawing is not kept."""
    key = _blank_key(form, skip)
    if key is not None and key in _BLANK:
        return _BLANK[key]
    if isinstance(form, Blank):
        form = form.form
    html = format_html_join("", '<div class="form-row">{}{}{}</div>', (
        (label_tag(field), field, field.errors if field.errors else "")
        for field in form if field.name not in skip))
    if key is not None:
        if len(_BLANK) >= BLANK_KEPT:
            _BLANK.clear()
        _BLANK[key] = html
    return html


def _blank_key(form: Any, skip: tuple[str, ...]) -> tuple[Any, ...] | None:
    from django.utils.translation import get_language

    if isinstance(form, Blank):  # keyed by the inputs of its choices, the form not built
        if not getattr(form.form_class, "same_when_blank", False):
            return None
        return Blank, form.form_class, skip, get_language(), form.version
    if not getattr(form, "same_when_blank", False) or form.is_bound or form.initial:
        return None
    choices = tuple((name, tuple((str(value), str(label)) for value, label in cast(Iterable[Any], field.choices)))
                    for name, field in form.fields.items() if isinstance(field, forms.ModelChoiceField) and name not in skip)
    return type(form), form.auto_id, form.prefix, skip, get_language(), choices


class BlankField:
    """A field of a `Blank` form as a template reads it (`form.name`): no errors, its <label> through
    `blank_label` (kept per class, field and language), the widget drawn by the form built then."""

    errors = ""  # an unbound form has none; the page tests `{% if form.name.errors %}`

    def __init__(self, blank: Blank, name: str) -> None:
        self.blank, self.name = blank, name

    def bound(self) -> Any:
        """The real bound field (the form built on first use)."""
        return self.blank.form[self.name]

    def __html__(self) -> str:
        return str(self.bound())

    def __str__(self) -> str:
        return str(self.bound())


class Blank:
    """An unbound form of `form_class` without initial values, built only when a page reads what needs it (issue 19:
    a case page built seven forms per view, Django deep-copying their fields, to draw kept drawings of them).

    `version`: the inputs its model choices come from (a tuple, `()` when it has none, or a function giving it, called
    at most once and only when the form is drawn), part of the kept drawing's key in `form_rows` with the class, the
    fields left out and the language; the caller reads them for this view (the entity form's border gates: their ids
    and names; the invitation form's units). `kwargs` go to the form's constructor and are not part of the key: they
    may change only what `version` covers (the invitation form's user and units left out). `errors` is empty,
    `form["name"]` (a template's `form.name`) a `BlankField`, any other lookup a KeyError (the template then tries
    the attribute). `form` is the real form, built at most once."""

    is_bound = False
    initial: dict[str, Any] = {}
    errors: dict[str, Any] = {}

    def __init__(self, form_class: type[forms.Form], version: Any = (), **kwargs: Any) -> None:
        self.form_class, self._version, self.kwargs = form_class, version, kwargs
        self._form: Any = None

    @property
    def version(self) -> tuple[Any, ...]:
        if callable(self._version):
            self._version = self._version()
        return cast(tuple[Any, ...], self._version)

    @property
    def form(self) -> Any:
        if self._form is None:
            self._form = self.form_class(**self.kwargs)
        return self._form

    @property
    def fields(self) -> dict[str, Any]:
        """The class's fields by name (their names only are read: `{% form_rows form only="a" %}`)."""
        return cast(dict[str, Any], self.form_class.base_fields)  # type: ignore[attr-defined]

    def __getitem__(self, name: str) -> BlankField:
        if name not in self.form_class.base_fields:  # type: ignore[attr-defined]
            raise KeyError(name)
        return BlankField(self, name)


_LABELS: dict[tuple[Any, ...], SafeString] = {}


def blank_label(field: BlankField) -> SafeString:
    """`label_tag` of a blank form's field, kept per process by class, field and language (a label depends on
    nothing else: its text, the form's suffix, the widget's id and whether the field is required)."""
    from django.utils.translation import get_language

    key = (field.blank.form_class, field.name, get_language())
    found = _LABELS.get(key)
    if found is None:
        if len(_LABELS) >= BLANK_KEPT:
            _LABELS.clear()
        found = _LABELS[key] = label_tag(field.bound())
    return found
