"""Precomputed research-graph slices: one row per researcher, parameter set and data version."""

import datetime

from django.db import models

from works.models import Author


class GraphSliceQuerySet(models.QuerySet):
    def for_params(self, author: Author, params_key: str):
        return self.filter(author=author, params_key=params_key)

    def ready(self):
        return self.filter(status=GraphSlice.Status.READY)


class GraphSlice(models.Model):
    """A researcher's neighbourhood as built by `graph.services.build_slice`.

    The unique (author, params_key, data_version) constraint is the single-flight lock: the request
    that inserts the row is the one that enqueues its build.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="graph_slices")
    params = models.JSONField(default=dict)
    params_key = models.CharField(max_length=16, help_text="Short hash of params.")
    data_version = models.PositiveIntegerField(help_text="Author.data_version at request time.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    nodes = models.JSONField(default=list, blank=True)
    edges = models.JSONField(default=list, blank=True)
    build_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GraphSliceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "params_key", "data_version"], name="graphslice_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Graph slice {self.params_key} v{self.data_version} of author {self.author_id}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.BUILDING}

    def looks_stuck(self, now: datetime.datetime, after: datetime.timedelta) -> bool:
        """Pending or building, unchanged for `after`: its message was lost or its worker died."""
        return self.is_in_progress and self.updated_at < now - after
