"""The profile page, the home page, the published trust formula and the follow form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from works.forms import SearchForm, WorkListForm
from works.models import Author

from . import selectors
from .trust import VERIFICATION_LABELS, VERIFICATION_POINTS, compute_trust, trust_for_author


def _get_visible_author(author_id: int) -> Author:
    return get_object_or_404(selectors.visible_authors(), pk=author_id)


def home(request: HttpRequest) -> HttpResponse:
    researchers = selectors.top_researchers()
    return render(
        request,
        "profiles/home.html",
        {"researchers": researchers, "search_form": SearchForm()},
    )


def profile(request: HttpRequest, slug: str, author_id: int) -> HttpResponse:
    author = _get_visible_author(author_id)
    if slug != author.slug:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            author.get_absolute_url() + (f"?{query}" if query else "")
        )
    summary = selectors.summarise_works(author)
    topics = selectors.author_topics(author)
    form = WorkListForm(request.GET or None, types=list(summary.types), topics=topics)
    chosen = form.selections()
    works = selectors.author_works(
        author, sort=chosen["sort"], work_type=chosen["type"], topic_slug=chosen["topic"]
    )
    page_obj = Paginator(works, selectors.WORKS_PAGE_SIZE).get_page(request.GET.get("page"))
    trust = trust_for_author(author)
    description = author.bio or selectors.summary_sentence(author, summary, topics)
    canonical_url = settings.SITE_URL + author.get_absolute_url()
    context = {
        "author": author,
        "description": description,
        "canonical_url": canonical_url,
        "json_ld": selectors.profile_json_ld(
            author, url=canonical_url, description=description
        ),
        "trust": trust,
        "trust_segments": selectors.trust_segments(trust),
        "quick_read": selectors.quick_read(author, trust),
        "summary": summary,
        "form": form,
        "is_filtered": form.is_filtered,
        "page_obj": page_obj,
    }
    return render(request, "profiles/profile.html", context)


@require_POST
@login_required
def follow(request: HttpRequest, author_id: int) -> HttpResponse:
    """The follow form's target. Following is wired by a later issue: say so, record nothing."""
    author = _get_visible_author(author_id)
    messages.info(
        request,
        f"Following arrives in a coming release; nothing was recorded for {author.display_name}.",
    )
    return redirect(author)


def trust_formula(request: HttpRequest) -> HttpResponse:
    example = compute_trust(
        verification_level=1,
        works=2,
        close_collaborators=5,
        verified_collaborators=0,
        followers=0,
        has_orcid=False,
        has_institution=False,
    )
    levels = [
        {"level": level, "points": points, "label": VERIFICATION_LABELS[level]}
        for level, points in VERIFICATION_POINTS.items()
    ]
    return render(request, "profiles/trust.html", {"levels": levels, "example": example})
