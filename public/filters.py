"""Filters over current publications (django-filter): the public list page and the API.

Both read the same parameters (?q=&year=&organ=&region=&edition=); one set of filter methods
serves both. The page's variant offers and checks the cached options and sorts; a value it
does not know is reported and ignored (django-filter leaves it out of cleaned_data).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.forms import TextInput
from django.forms.utils import flatatt
from django.utils.choices import normalize_choices
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core import formats
from organs.widgets import PlainSelect
from public.keyset import SORT_KEYS
from public.models import Publication
from public.selectors import (
    DEFAULT_SORT,
    SORTS,
    edition_name,
    organ_has_publications,
    region_narrows,
    region_organs,
    search_terms,
)

SORT_CHOICES = (
    ("year", _("按年度")),
    ("organ", _("按机关")),
    ("received", _("按收到申请数")),
)


class PlainTextInput(TextInput):
    """A text input rendered in one pass (the same markup as Django's widget template)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown,
                           flatatt(attrs))  # fmt: skip


class KnownValue:
    """Validator: ``known(value)`` holds, as a ChoiceField would check its choices, without a
    choice list that every form would copy and normalise (or build: a national tree has tens
    of thousands of organs)."""

    def __init__(self, known):
        self.known = known

    def __call__(self, value):
        if not self.known(value):
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


# The stored characters and character pairs of UPPER(search_text) (public 0005), indexed.
SHORT_TERM_SQL = '"reports_publication"."search_grams" @> ARRAY[%s]'


class FlatChoiceIterator(django_filters.fields.ChoiceIterator):
    """The choices of a SharedChoiceField: flat (value, label) pairs, normalised once.

    django-filter's iterator normalises its choices again on every pass (Django 5), and a
    list page passes over a province's regions twice (validating the value, rendering the
    options): twice a walk of every pair per request.
    """

    def __init__(self, field, choices):
        super().__init__(field, list(normalize_choices(choices or ())))
        self._values = None

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.choices

    def holds(self, value) -> bool:
        """ChoiceField.valid_value over these flat choices, by a set made once."""
        if self._values is None:
            self._values = frozenset(str(key) for key, _ in self)
        return str(value) in self._values


class SharedChoiceField(django_filters.fields.ChoiceField):
    """A choice field whose copies share its choices.

    Every form instance deep-copies its fields; a ChoiceField deep-copies its choices with
    them. The list page's organ choices are a province's thousands of (slug, name) pairs,
    read-only, and copying them took about 15 ms of every list request.
    """

    iterator = FlatChoiceIterator

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result

    def valid_value(self, value):
        if isinstance(self._choices, FlatChoiceIterator):
            return self._choices.holds(value)
        return super().valid_value(value)


class SharedChoiceFilter(django_filters.ChoiceFilter):
    field_class = SharedChoiceField


class PublicationFilterMethods(django_filters.FilterSet):
    """The filter methods every publication filter shares."""

    def filter_queryset(self, queryset):
        # The keyword last. PostgreSQL checks a row's conditions in the order written when
        # its planner costs them the same, and a search term costs far more than the
        # region's list of ids: written last, it is checked only on rows the region keeps.
        # (An equal year or edition the planner moves after the rest whatever the order:
        # the search's own cheap LIKE, filter_q, is what spares those rows.)
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset

    def filter_region(self, queryset, name, value):
        ids = region_narrows(value)
        return queryset if ids is None else queryset.filter(organ_id__in=ids)

    def filter_q(self, queryset, name, value):
        # Every term must occur (AND). icontains is UPPER(search_text) LIKE UPPER(%term%):
        # the trigram GIN index of migration publication_search_trgm is built on
        # UPPER(search_text), so PostgreSQL can use it for terms of three or more
        # characters. A shorter term has no trigram: the index of characters and character
        # pairs (public 0004/0005) finds the publications that hold it.
        for term in search_terms(value):
            if len(term) < 3 and connection.vendor == "postgresql":
                # Exact: a term of one or two characters occurs in the text exactly when it
                # is one of the text's characters or character pairs. The grams serve the
                # index; a LIKE written before them (about 1 µs a row against 13) is what a
                # walk of an order's index checks first, so most rows without the term cost
                # little (page 1 of 镇 by received: 97 -> 12 ms at 20,000 reports).
                text = Q(search_text__icontains=term)
                if term.upper() == term.lower():  # no case: no UPPER() on the whole text
                    text = Q(search_text__contains=term)
                queryset = queryset.filter(text).filter(
                    RawSQL(SHORT_TERM_SQL, [term.upper()], output_field=BooleanField())
                )
            else:
                queryset = queryset.filter(search_text__icontains=term)
        return queryset


class PublicationFilter(PublicationFilterMethods):
    """The API's ?year=&organ=&region=&edition=&q=: free values, an unknown organ finds none."""

    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    organ = django_filters.CharFilter(field_name="organ__slug", label=_("机关标识"))
    region = django_filters.CharFilter(method="filter_region", label=_("地区标识"))
    edition = django_filters.ChoiceFilter(
        field_name="edition",
        choices=[(e.key, e.name) for e in formats.EDITION_DEFS.values()],
        label=_("表格版本"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Publication
        fields = ["year", "organ", "region", "edition", "q"]


class PublicListFilter(PublicationFilterMethods):
    """The public list page's filters: options from the cached lists, and the sort order."""

    q = django_filters.CharFilter(
        method="filter_q", label=_("关键词"), max_length=100, widget=PlainTextInput
    )
    year = SharedChoiceFilter(
        field_name="year", label=_("年度"), widget=PlainSelect, empty_label=_("全部")
    )
    region = SharedChoiceFilter(
        method="filter_region", label=_("地区"), widget=PlainSelect, empty_label=_("全部")
    )
    # A text field (the organ's identifier, as organ pages link here with ?organ=), not a
    # select: a province's thousands of organs made the select 100 kB of every list page.
    # Still checked against the cached organs; the keyword search finds organs by name.
    organ = django_filters.CharFilter(
        field_name="organ__slug", label=_("机关"), widget=PlainTextInput
    )
    edition = SharedChoiceFilter(
        field_name="edition",
        label=_("表格版本"),
        widget=PlainSelect,
        empty_label=_("全部"),
        choices=[(key, edition_name(key)) for key in formats.EDITIONS],
    )
    # Declared last: ordering applies to the filtered rows.
    sort = SharedChoiceFilter(
        method="filter_sort",
        label=_("排序"),
        widget=PlainSelect,
        choices=SORT_CHOICES,
        empty_label=None,
    )

    class Meta:
        model = Publication
        fields = ["q", "year", "region", "organ", "edition", "sort"]

    def __init__(self, data=None, *args, years, regions, region_paths=None,
                 organ_known=organ_has_publications, **kwargs):  # fmt: skip
        """``years``, ``regions`` ((slug, name) pairs) and ``region_paths`` (slug: (path,
        root); without them the tree is walked) from the cached options;
        ``organ_known(slug)``: whether the organ filter accepts the slug (looked up when one
        is given)."""
        super().__init__(data, *args, **kwargs)
        self.region_paths = region_paths or {}
        self._options = (type(self), list(years), list(regions), organ_known)
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        self.filters["organ"].extra["validators"] = [KnownValue(organ_known)]
        self.filters["region"].extra["choices"] = list(regions)

    # This process's form class for the options it was last built with (compared by value:
    # each public version reads them again, nearly always the same). Building the fields
    # copied and normalised every year's and region's choice on each request.
    _form_class: tuple = ()

    def get_form_class(self):
        built = PublicListFilter._form_class
        if built and built[0] == self._options:
            return built[1]
        form_class = super().get_form_class()
        PublicListFilter._form_class = (self._options, form_class)
        return form_class

    def filter_region(self, queryset, name, value):
        found = self.region_paths.get(value)
        if found is None:
            return super().filter_region(queryset, name, value)
        organs = region_organs(*found)
        return queryset if organs is None else queryset.filter(organ_id__in=organs)

    def fields_html(self) -> SafeString:
        """The form's fields, each with its label, as the list page lays them out: one pass
        instead of a template loop over the bound fields (escaped as the template did)."""
        form = self.form
        out = [str(field) for field in form.hidden_fields()]
        for field in form.visible_fields():
            out.append(
                format_html(
                    '\n    <div class="filter-field filter-{}">\n      <label for="{}">{}</label>'
                    "\n      {}\n    </div>\n  ",
                    field.name,
                    field.id_for_label,
                    field.label,
                    field,
                )
            )
        return mark_safe("".join(out))  # noqa: S308 - each part is escaped above

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT]), "pk")

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = self.filter_sort(queryset, "sort", DEFAULT_SORT)
        return queryset

    @property
    def sort_keys(self):
        """The keyset keys of the chosen sort order (public.keyset.SORT_KEYS)."""
        self.errors  # noqa: B018 - validates
        value = (self.form.cleaned_data or {}).get("sort") if self.is_bound else None
        return SORT_KEYS.get(value or DEFAULT_SORT, SORT_KEYS[DEFAULT_SORT])

    @property
    def active_filters(self) -> dict:
        """The valid filters that narrow the list (the key of its cached count)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates
        return {k: v for k, v in self.form.cleaned_data.items() if k != "sort" and v}

    @property
    def filtered(self) -> bool:
        """Whether any valid filter other than the sort order narrows the list."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 - validates; cleaned_data then holds the valid values
        return any(v for k, v in self.form.cleaned_data.items() if k != "sort")
