from django.http import HttpRequest, HttpResponse


def graph_fragment(request: HttpRequest, slug: str, author_id: int) -> HttpResponse:
    raise NotImplementedError


def explorer(request: HttpRequest, slug: str, author_id: int) -> HttpResponse:
    raise NotImplementedError
