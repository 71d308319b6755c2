from django.contrib import admin

from .models import GraphSlice


@admin.register(GraphSlice)
class GraphSliceAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "author",
        "params_key",
        "data_version",
        "status",
        "build_ms",
        "updated_at",
    )
    list_filter = ("status",)
    search_fields = ("author__display_name", "params_key")
    raw_id_fields = ("author",)
    readonly_fields = ("nodes", "edges", "params", "error", "created_at", "updated_at")
