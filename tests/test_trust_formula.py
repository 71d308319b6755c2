import pytest

from profiles.trust import compute_trust


def _trust(**overrides):
    inputs = {
        "verification_level": 1,
        "works": 2,
        "close_collaborators": 5,
        "verified_collaborators": 0,
        "followers": 0,
        "has_orcid": False,
        "has_institution": False,
    }
    return compute_trust(**(inputs | overrides))


def test_trust_seed_researcher_scores_13_unverified():
    """DESIGN.md's worked example: L1, 2 works, 5 close collaborators → floor(13.93) = 13."""
    breakdown = _trust()

    assert breakdown.score == 13
    assert breakdown.label == "Unverified"
    assert [round(part.points, 2) for part in breakdown.parts] == [5, 6.34, 2.58, 0, 0]


def test_trust_parts_are_capped_and_total_is_at_most_100():
    """Every part stops at its cap: 40 + 20 + 15 + 10 + 10 + 10 = 105 is shown as 100."""
    breakdown = _trust(
        verification_level=3,
        works=10_000,
        close_collaborators=100_000,
        verified_collaborators=50,
        followers=10_000,
        has_orcid=True,
        has_institution=True,
    )

    assert [part.points for part in breakdown.parts] == [40, 20, 25, 10, 10]
    assert breakdown.score == 100
    assert breakdown.label == "Verified"


@pytest.mark.parametrize(
    ("level", "points", "label"),
    [(0, 0, "Unverified"), (1, 5, "Unverified"), (2, 25, "Claimed"), (3, 40, "Verified")],
)
def test_trust_verification_points_and_labels(level, points, label):
    """Each verification level has its published points and label."""
    breakdown = _trust(verification_level=level, works=0, close_collaborators=0)

    assert breakdown.parts[0].points == points
    assert breakdown.score == points
    assert breakdown.label == label


def test_trust_floor_not_round():
    """The score is the floor of the sum: 5 + 4 + log2(1 + 2) = 10.58 is shown as 10."""
    breakdown = _trust(works=1, close_collaborators=2)

    assert round(sum(part.points for part in breakdown.parts), 2) == 10.58
    assert breakdown.score == 10


def test_trust_identifiers_and_followers_count():
    """ORCID and a known institution give 5 each; 3 followers give 2·log2(4) = 4."""
    breakdown = _trust(
        works=0, close_collaborators=0, followers=3, has_orcid=True, has_institution=True
    )

    assert breakdown.parts[3].points == 4
    assert breakdown.parts[4].points == 10
    assert breakdown.score == 19
