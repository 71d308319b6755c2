"""Shared test helpers for the page tests: the seed researcher's world and page text."""

from html.parser import HTMLParser

from works.demo import load_demo_world
from works.models import Author

SHADOWSYNC = (
    "ShadowSync: Performing Synchronization in the Background for Highly Scalable "
    "Distributed Training"
)
FEATURE_INTERACTION = (
    "Feature Interaction Interpretability: A Case for Explaining Ad-Recommendation Systems "
    "via Neural Interaction Detection"
)
SHADOWSYNC_AUTHORS = [
    "Qinqing Zheng",
    "Bor-Yiing Su",
    "Jiyan Yang",
    "Alisson Azzolini",
    "Qiang Wu",
    "Ou Jin",
    "Shri Karandikar",
    "Hagay Lupesko",
    "Liang Xiong",
    "Eric Zhou",
]
FEATURE_AUTHORS = [
    "Michael Tsang",
    "Dehua Cheng",
    "Hanpeng Liu",
    "Xue Feng",
    "Eric Zhou",
    "Yan Liu",
]
SHADOWSYNC_ABSTRACT = (
    "Recommendation systems are often trained with a tremendous amount of data, and distributed "
    "training is the workhorse to shorten the training time. While the training throughput can "
    "be increased by simply adding more workers, it is also increasingly challenging to preserve "
    "the model quality. In this paper, we present \\shadowsync, a distributed framework "
    "specifically tailored to modern scale recommendation system training."
)
FEATURE_ABSTRACT = (
    "Recommendation is a prevalent application of machine learning that affects many users; "
    "therefore, it is important for recommender models to be accurate and interpretable."
)


def build_seed_world() -> Author:
    """The seed page's world, as `load_demo` writes it from the project's own fixture."""
    return load_demo_world()


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "title"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "title"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed (no script, style or title)."""
    parser = _TextExtractor()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


class _Headings(HTMLParser):
    def __init__(self, tags):
        super().__init__()
        self.tags = tags
        self.found: list[tuple[str, str]] = []
        self._current: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self._current, self._buffer = tag, []

    def handle_endtag(self, tag):
        if tag == self._current:
            self.found.append((tag, " ".join("".join(self._buffer).split())))
            self._current = None

    def handle_data(self, data):
        if self._current:
            self._buffer.append(data)


def headings(response, tags=("h1", "h2")) -> list[tuple[str, str]]:
    """The page's headings in document order as (tag, text)."""
    parser = _Headings(set(tags))
    parser.feed(response.content.decode())
    return parser.found
