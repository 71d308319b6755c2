"""The graph panel fragment (HTMX, or a plain page without JavaScript) and the full explorer."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling
from django_htmx.middleware import HtmxDetails

from works.models import Author

from .forms import FILTER_FIELDS, explorer_form
from .params import SliceParams, profile_params
from .selectors import describe_slice
from .services import (
    STUCK_AFTER,
    WORKER_UNREACHABLE,
    SliceRequest,
    request_slice,
    retry_slice,
)


def _get_visible_author(author_id: int) -> Author:
    return get_object_or_404(Author.objects.visible(), pk=author_id)


def _poll_count(request) -> int:
    try:
        return max(0, min(int(request.GET.get("poll", "0")), 10_000))
    except ValueError:
        return 0


def _is_partial(request) -> bool:
    htmx: HtmxDetails = request.htmx
    return bool(htmx) and not htmx.history_restore_request


def _slice_state(
    slice_request: SliceRequest, *, poll: int, base_url: str, query: dict, target_id: str
) -> dict:
    """What the panel shows: the ready drawing, a polling 'building' note, or 'unavailable'."""
    current, shown = slice_request.current, slice_request.shown
    retry_url = f"{base_url}?{urlencode(query, doseq=True)}" if query else base_url
    state = {"target_id": target_id, "retry_url": retry_url, "poll": poll}
    if shown is not None:
        newer_failed = current.is_failed or current.looks_stuck(timezone.now(), STUCK_AFTER)
        state.update(
            name="ready",
            slice=shown,
            drawing=describe_slice(shown),
            stale=slice_request.stale and not newer_failed,
            # The newer version failed or its build was lost: without a Retry here the old
            # drawing would stay for good.
            newer_failed=slice_request.stale and newer_failed,
            uid=f"{target_id}-{shown.pk}",
        )
    elif current.is_failed:
        reason = (
            "the graph worker could not be reached"
            if current.error.startswith(WORKER_UNREACHABLE)
            else "the graph could not be built from this researcher's records"
        )
        state.update(name="unavailable", reason=reason)
    elif poll >= settings.GRAPH_POLL_BUDGET:
        state.update(
            name="unavailable",
            reason=f"the graph worker has not finished this slice after {poll} checks",
        )
    else:
        next_query = {**query, "poll": poll + 1}
        state.update(name="building", poll_url=f"{base_url}?{urlencode(next_query, doseq=True)}")
    return state


def _render_state(request, template: str, partial: str, context: dict) -> HttpResponse:
    if not _is_partial(request):
        return render(request, template, context)
    response = render(request, f"{template}#{partial}", context)
    if context["state"]["name"] == "ready":
        # 286 tells htmx to stop polling; htmx 2 still swaps the body in.
        return HttpResponseStopPolling(response.content)
    return response


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def graph_fragment(request, slug: str, author_id: int) -> HttpResponse:
    """The profile's graph panel; POST retries a failed or stuck build."""
    author = _get_visible_author(author_id)
    params = profile_params()
    base_url = reverse("graph:fragment", args=[author.slug, author.pk])
    if request.method == "POST":
        slice_request = retry_slice(author, params)
        if not _is_partial(request):
            return redirect(base_url)
        poll = 0
    else:
        slice_request = request_slice(author, params)
        poll = _poll_count(request)
    state = _slice_state(
        slice_request, poll=poll, base_url=base_url, query={}, target_id="graph-panel"
    )
    context = {"author": author, "state": state}
    return _render_state(request, "graph/fragment.html", "panel", context)


@vary_on_headers("HX-Request", "HX-Target")
@require_http_methods(["GET", "POST"])
def explorer(request, slug: str, author_id: int) -> HttpResponse:
    """The full explorer: filters as a GET form; the slice builds on the worker like the panel's."""
    author = _get_visible_author(author_id)
    base_url = reverse("graph:explorer", args=[author.slug, author.pk])
    form = explorer_form(request.GET)
    query = {name: request.GET.getlist(name) for name in FILTER_FIELDS if name in request.GET}
    state = None
    if form.is_valid():
        params: SliceParams = form.slice_params()
        if request.method == "POST":
            slice_request = retry_slice(author, params)
            if not _is_partial(request):
                return redirect(f"{base_url}?{urlencode(query, doseq=True)}")
            poll = 0
        else:
            slice_request = request_slice(author, params)
            poll = _poll_count(request)
        state = _slice_state(
            slice_request, poll=poll, base_url=base_url, query=query, target_id="graph-results"
        )
    context = {"author": author, "form": form, "state": state, "explorer_url": base_url}
    if state is None:
        template = "graph/explorer.html#main" if _is_partial(request) else "graph/explorer.html"
        return render(request, template, context)
    partial = "results" if request.htmx.target == "graph-results" else "main"
    return _render_state(request, "graph/explorer.html", partial, context)
