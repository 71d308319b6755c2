from django.http import HttpRequest, HttpResponse


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def work_bibtex(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError


def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    raise NotImplementedError


def search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
