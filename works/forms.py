"""GET forms of the record's public pages: search, and the filters of a works list."""

from django import forms

from .selectors import WORK_SORTS


class SearchForm(forms.Form):
    q = forms.CharField(label="Search researchers and works", max_length=200, required=False)


class WorkListForm(forms.Form):
    """Sort and filter a works list; choices come from the works being listed."""

    sort = forms.ChoiceField(label="Sort by", choices=list(WORK_SORTS.items()), required=False)
    type = forms.ChoiceField(label="Type", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)

    def __init__(self, data, *, types: list[tuple[str, int]], topics: list, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", "All types")] + [
            (work_type, f"{work_type} ({count})") for work_type, count in types
        ]
        self.fields["topic"].choices = [("", "All topics")] + [
            (topic.slug, f"{topic.name} ({topic.author_works})") for topic in topics
        ]

    def selections(self) -> dict[str, str]:
        """The valid choices made; an unknown value falls back to the default."""
        chosen = {"sort": "year", "type": "", "topic": ""}
        if self.is_bound:
            self.is_valid()
            for name in chosen:
                value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
                if value:
                    chosen[name] = value
        return chosen

    @property
    def sort_label(self) -> str:
        """The chosen order in words ("Title A–Z")."""
        return WORK_SORTS[self.selections()["sort"]]

    @property
    def is_filtered(self) -> bool:
        selections = self.selections()
        return bool(selections["type"] or selections["topic"])
