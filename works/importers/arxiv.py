"""The arXiv metadata snapshot (Kaggle's arxiv-metadata-oai-snapshot.json, one object a line).

arXiv has no author identifiers: authors come from `authors_parsed` ([last, first, suffix,
affiliation…]) and are matched on `works.names.name_key`. Every arXiv work is a "preprint" in
the venue "arXiv"; its categories become topics in the `arxiv` scheme.
"""

from datetime import datetime

from ..models import Topic, Work
from ..names import join_name_parts
from .base import (
    AuthorData,
    AuthorshipData,
    FieldError,
    Obj,
    TopicData,
    VenueData,
    WorkData,
    collapse_spaces,
    normalise_doi,
)

# Readable names for common categories (https://arxiv.org/category_taxonomy); others keep the code.
ARXIV_CATEGORIES = {
    "astro-ph": "Astrophysics",
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    "cs.AI": "Artificial Intelligence",
    "cs.CC": "Computational Complexity",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "econ.EM": "Econometrics",
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.IT": "Information Theory",
    "math.MP": "Mathematical Physics",
    "math.NA": "Numerical Analysis",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.ST": "Statistics Theory",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "physics.chem-ph": "Chemical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.soc-ph": "Physics and Society",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "quant-ph": "Quantum Physics",
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning",
    "stat.TH": "Statistics Theory",
}


def arxiv_category_name(code: str) -> str:
    """ "cs.LG" → "Machine Learning (cs.LG)"; an unknown code names itself."""
    name = ARXIV_CATEGORIES.get(code)
    return f"{name} ({code})" if name else code


def arxiv_category_topic(code: str) -> TopicData:
    return TopicData(scheme=Topic.Scheme.ARXIV, external_id=code, name=arxiv_category_name(code))


def _first_version_date(record: Obj):
    for version in record.objs("versions"):
        created = version.text("created")
        if created:
            try:
                return datetime.strptime(created, "%a, %d %b %Y %H:%M:%S %Z").date()
            except ValueError:
                raise FieldError(
                    f"{version.path}.created", f'expected an RFC 2822 date, got "{created}"'
                ) from None
    return None


def _authors(record: Obj) -> list[AuthorshipData]:
    authorships = []
    for index, parts in enumerate(record.items("authors_parsed")):
        path = f"authors_parsed[{index}]"
        if not isinstance(parts, list) or not parts:
            raise FieldError(path, "expected a list [last, first, suffix]")
        if not all(isinstance(part, str) for part in parts):
            raise FieldError(path, "expected a list of strings [last, first, suffix]")
        last, first, suffix = (list(parts[:3]) + ["", ""])[:3]
        name = join_name_parts(last, first, suffix)
        if not name:
            continue
        authorships.append(
            AuthorshipData(
                author=AuthorData(display_name=name, name_variants=[name]), raw_name=name
            )
        )
    return authorships


def parse_arxiv_record(record: Obj) -> WorkData:
    """One arXiv snapshot record → WorkData (raises FieldError)."""
    arxiv_id = record.text("id", required=True).strip()
    if not record.has("authors_parsed"):
        raise record.missing("authors_parsed")
    published = _first_version_date(record)
    if published is None and record.text("update_date"):
        published = record.date("update_date")
    categories = record.text("categories").split()
    return WorkData(
        title=collapse_spaces(record.text("title", required=True)),
        arxiv_id=arxiv_id,
        # A few records list several DOIs separated by spaces: the first is the work's.
        doi=normalise_doi((record.text("doi").split() or [""])[0]),
        abstract=collapse_spaces(record.text("abstract")),
        type=Work.Type.PREPRINT,
        publication_year=published.year if published else None,
        publication_date=published,
        venue=VenueData(name="arXiv", type="repository"),
        authorships=_authors(record),
        topics=[(arxiv_category_topic(code), 1.0) for code in dict.fromkeys(categories)],
    )
