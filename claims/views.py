from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from works.models import Author


@login_required
def claim(request: HttpRequest, slug: str, author_id: int) -> HttpResponse:
    """The claim page. Submitting evidence arrives with the claims issue; this page explains it."""
    author = get_object_or_404(Author.objects.visible(), pk=author_id)
    return render(request, "claims/claim.html", {"author": author})
