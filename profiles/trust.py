"""The published trust formula (DESIGN.md, shown at /trust/). Every input is a count on the page."""

import math
from dataclasses import dataclass

VERIFICATION_POINTS = {0: 0, 1: 5, 2: 25, 3: 40}
VERIFICATION_LABELS = {0: "Unverified", 1: "Unverified", 2: "Claimed", 3: "Verified"}


@dataclass(frozen=True)
class TrustPart:
    key: str
    label: str
    points: float
    maximum: int
    explanation: str


@dataclass(frozen=True)
class TrustBreakdown:
    parts: tuple[TrustPart, ...]
    score: int
    label: str


def compute_trust(
    *,
    verification_level: int,
    works: int,
    close_collaborators: int,
    verified_collaborators: int,
    followers: int,
    has_orcid: bool,
    has_institution: bool,
) -> TrustBreakdown:
    """Apply the formula; the score is the floor of the parts' sum, at most 100."""
    collaboration = min(15, math.log2(1 + close_collaborators)) + min(
        10, 2 * verified_collaborators
    )
    parts = (
        TrustPart(
            "verification",
            "Verification",
            VERIFICATION_POINTS[verification_level],
            40,
            f"Level L{verification_level}: L0 0, L1 5, L2 25, L3 40",
        ),
        TrustPart(
            "works",
            "Works",
            min(20, 4 * math.log2(1 + works)),
            20,
            f"min(20, 4 · log2(1 + {works} works))",
        ),
        TrustPart(
            "collaboration",
            "Collaboration",
            collaboration,
            25,
            f"min(15, log2(1 + {close_collaborators} close collaborators))"
            f" + min(10, 2 · {verified_collaborators} verified)",
        ),
        TrustPart(
            "community",
            "Community",
            min(10, 2 * math.log2(1 + followers)),
            10,
            f"min(10, 2 · log2(1 + {followers} followers))",
        ),
        TrustPart(
            "identifiers",
            "Identifiers",
            5 * has_orcid + 5 * has_institution,
            10,
            f"ORCID {'on record' if has_orcid else 'missing'} · "
            f"institution {'known' if has_institution else 'not imported'}",
        ),
    )
    score = min(100, math.floor(sum(part.points for part in parts)))
    return TrustBreakdown(parts, score, VERIFICATION_LABELS[verification_level])


def trust_for_author(author) -> TrustBreakdown:
    return compute_trust(
        verification_level=author.verification_level,
        works=author.works_count,
        close_collaborators=author.close_collaborators_count,
        verified_collaborators=author.verified_collaborators_count,
        followers=author.followers_count,
        has_orcid=bool(author.orcid),
        has_institution=author.current_institution_id is not None,
    )
