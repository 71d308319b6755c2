from django.contrib import admin

from .models import Author, Authorship, Institution, Topic, Venue, Work, WorkTopic


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    raw_id_fields = ["author"]
    fields = ["position", "author", "raw_name"]
    ordering = ["position"]


class WorkTopicInline(admin.TabularInline):
    model = WorkTopic
    extra = 0
    raw_id_fields = ["topic"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "publication_year", "source", "synthetic", "cited_by_count"]
    list_filter = ["type", "source", "synthetic"]
    search_fields = ["title", "doi", "arxiv_id", "openalex_id"]
    raw_id_fields = ["venue"]
    inlines = [AuthorshipInline, WorkTopicInline]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "works_count",
        "verification_level",
        "trust_score",
        "claimed",
        "suppressed",
        "synthetic",
    ]
    list_filter = ["verification_level", "claimed", "suppressed", "synthetic", "source"]
    search_fields = ["display_name", "name_key", "openalex_id", "orcid"]
    raw_id_fields = ["current_institution"]
    readonly_fields = [
        "works_count",
        "topics_count",
        "close_collaborators_count",
        "verified_collaborators_count",
        "followers_count",
        "trust_score",
        "data_version",
        "created_at",
        "updated_at",
    ]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "country_code", "type", "ror", "email_domain"]
    search_fields = ["name", "ror", "openalex_id"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "external_id", "field"]
    list_filter = ["scheme"]
    search_fields = ["name", "external_id"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "issn_l"]
    search_fields = ["name", "issn_l", "openalex_id"]
