"""The profile page, the home page, the published trust formula and the follow form."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from works.models import Author

from . import selectors


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _get_visible_author(author_id: int) -> Author:
    return get_object_or_404(selectors.visible_authors(), pk=author_id)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/home.html", {"researchers": selectors.top_researchers()})


@vary_on_headers("HX-Request", "HX-Target")
def profile(request: HtmxHttpRequest, slug: str, author_id: int) -> HttpResponse:
    """The researcher's page; an HTMX request aimed at the works list gets that section only."""
    author = _get_visible_author(author_id)
    if slug != author.slug:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            author.get_absolute_url() + (f"?{query}" if query else "")
        )
    context = selectors.profile_page(author, request.GET)
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
    context = {"levels": selectors.verification_levels(), "example": selectors.seed_example_trust()}
    return render(request, "profiles/trust.html", context)
