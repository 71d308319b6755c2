from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def profile(request: HttpRequest, slug: str, author_id: int) -> HttpResponse:
    raise NotImplementedError


def follow(request: HttpRequest, author_id: int) -> HttpResponse:
    raise NotImplementedError


def trust_formula(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
