from django.dispatch import Signal

# Sent after refresh_author_stats has written new derived figures; kwargs: author_ids (list[int]).
authors_refreshed = Signal()
