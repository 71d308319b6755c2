"""The profile page, the home page, the published trust formula and the follow form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from works.forms import SearchForm, WorkListForm
from works.models import Author
from works.selectors import attach_author_previews

from . import selectors
from .trust import VERIFICATION_LABELS, VERIFICATION_POINTS, compute_trust, trust_for_author

# DESIGN.md's verification levels, in words, for the published formula.
LEVEL_MEANINGS = {
    0: "A record with no work from an open source (created by hand, or emptied by a split).",
    1: "Built from open bibliographic metadata (OpenAlex, arXiv, Semantic Scholar); "
    "nobody has claimed it.",
    2: "Claimed by an account with a verified e-mail and approved by a moderator.",
    3: "Claim proven without a moderator (the account's ORCID iD from ORCID sign-in equals the "
    "record's, or a verified e-mail at the record's institution's domain), or by a moderator "
    "who checked strong evidence.",
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _get_visible_author(author_id: int) -> Author:
    return get_object_or_404(selectors.visible_authors(), pk=author_id)


def home(request: HttpRequest) -> HttpResponse:
    researchers = selectors.top_researchers()
    return render(
        request,
        "profiles/home.html",
        {"researchers": researchers, "search_form": SearchForm()},
    )


@vary_on_headers("HX-Request", "HX-Target")
def profile(request: HtmxHttpRequest, slug: str, author_id: int) -> HttpResponse:
    """The researcher's page; an HTMX request aimed at the works list gets that section only."""
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
        "json_ld": selectors.profile_json_ld(author, url=canonical_url, description=description),
        "trust": trust,
        "trust_total": sum(part.points for part in trust.parts),
        "trust_segments": selectors.trust_segments(trust),
        "quick_read": selectors.quick_read(author, trust),
        "summary": summary,
        "form": form,
        "is_filtered": form.is_filtered,
        "page_obj": page_obj,
        "works": attach_author_previews(page_obj.object_list, ego_id=author.pk),
    }
    template_name = "profiles/profile.html"
    if request.htmx and request.htmx.target == "published-work":
        template_name += "#published-work"
    return render(request, template_name, context)


@require_POST
def follow(request: HttpRequest, author_id: int) -> HttpResponse:
    """The follow form's target. Following is wired by a later issue: say so, record nothing.

    An anonymous visitor goes to the login page and from there back to the profile (not to this
    POST-only URL).
    """
    author = _get_visible_author(author_id)
    if not request.user.is_authenticated:
        return redirect_to_login(author.get_absolute_url())
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
        {
            "level": level,
            "points": points,
            "label": VERIFICATION_LABELS[level],
            "meaning": LEVEL_MEANINGS[level],
        }
        for level, points in VERIFICATION_POINTS.items()
    ]
    return render(request, "profiles/trust.html", {"levels": levels, "example": example})
