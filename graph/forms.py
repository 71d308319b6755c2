"""The explorer's filters: a GET form whose cleaned data becomes a SliceParams."""

from django import forms
from django.conf import settings

from .params import NODE_TYPES, SliceParams

TYPE_CHOICES = [
    ("author", "People"),
    ("work", "Works"),
    ("topic", "Topics"),
    ("institution", "Institutions"),
]
EXPLORER_DEFAULT_NODES = 150
FILTER_FIELDS = ("types", "year_from", "year_to", "min_shared", "depth", "max_nodes")


class ExplorerForm(forms.Form):
    types = forms.MultipleChoiceField(
        label="Show",
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of node to show."},
    )
    year_from = forms.IntegerField(
        label="Works from year", required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(label="to year", required=False, min_value=1900, max_value=2100)
    min_shared = forms.IntegerField(
        label="Minimum shared works", min_value=1, max_value=100, initial=1
    )
    depth = forms.TypedChoiceField(
        label="Depth",
        choices=[(1, "1: direct ties"), (2, "2: also the strongest co-authors' ties")],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )
    max_nodes = forms.IntegerField(
        label="Maximum nodes", min_value=2, initial=EXPLORER_DEFAULT_NODES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.GRAPH_EXPLORER_MAX_NODES
        self.fields["max_nodes"].widget.attrs["max"] = limit
        self.fields["max_nodes"].help_text = f"At most {limit}."

    def clean_max_nodes(self) -> int:
        value = self.cleaned_data["max_nodes"]
        limit = settings.GRAPH_EXPLORER_MAX_NODES
        if value > limit:
            raise forms.ValidationError(f"Show at most {limit} nodes.")
        return value

    def clean(self):
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", "The end year must not be before the start year.")
        return cleaned

    def slice_params(self) -> SliceParams:
        data = self.cleaned_data
        return SliceParams(
            types=tuple(kind for kind in NODE_TYPES if kind in data["types"]),
            year_from=data["year_from"],
            year_to=data["year_to"],
            min_shared=data["min_shared"],
            depth=data["depth"],
            max_nodes=data["max_nodes"],
        )


def explorer_form(query) -> ExplorerForm:
    """Bound to the query string when it carries any filter, else bound to the defaults."""
    if any(name in query for name in FILTER_FIELDS):
        return ExplorerForm(query)
    return ExplorerForm(
        {
            "types": list(NODE_TYPES),
            "min_shared": 1,
            "depth": 1,
            "max_nodes": min(EXPLORER_DEFAULT_NODES, settings.GRAPH_EXPLORER_MAX_NODES),
        }
    )
