"""Public pages of the scholarly record: work (and its BibTeX), topic, institution, search."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .bibtex import format_bibtex
from .forms import SearchForm
from .models import Institution, Topic, Work


def _get_work(work_id: int) -> Work:
    work = selectors.get_work_detail(work_id)
    if work is None:
        raise Http404("No such work.")
    return work


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _get_work(work_id)
    authorships = list(work.authorships.all())
    context = {
        "work": work,
        "authorships": authorships,
        "work_topics": list(work.work_topics.all()),
        "bibtex": format_bibtex(work, [a.raw_name for a in authorships]),
    }
    return render(request, "works/work.html", context)


def work_bibtex(request: HttpRequest, work_id: int) -> HttpResponse:
    """The work's BibTeX entry as a text/plain download."""
    work = _get_work(work_id)
    entry = format_bibtex(work, [a.raw_name for a in work.authorships.all()])
    response = HttpResponse(entry, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bzpeer-work-{work.pk}.bib"'
    return response


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    page_obj = Paginator(selectors.topic_works(topic), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "topic": topic,
        "page_obj": page_obj,
        "works": selectors.attach_author_previews(page_obj.object_list),
        "researchers": selectors.topic_researchers(topic),
    }
    return render(request, "works/topic.html", context)


def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution = get_object_or_404(Institution, pk=institution_id)
    page_obj = Paginator(selectors.institution_works(institution), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "institution": institution,
        "page_obj": page_obj,
        "works": selectors.attach_author_previews(page_obj.object_list),
        "researchers": selectors.institution_researchers(institution),
    }
    return render(request, "works/institution.html", context)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    researchers = selectors.search_researchers(query) if query else []
    works = selectors.attach_author_previews(selectors.search_works(query)) if query else []
    context = {
        "form": form,
        "query": query,
        "researchers": researchers,
        "works": works,
        "canonical_url": f"{settings.SITE_URL}{request.path}",
    }
    return render(request, "works/search.html", context)
