"""One fixture and the results every full-text engine must give on it: the PostgreSQL engine
(`make test-postgres`) and Elasticsearch/OpenSearch (`make test-opensearch`) read this same
table (tests/search/test_expected_results.py), so the two cannot drift apart.

A row is (reader, query, filters) → the titles found (their order is each engine's ranking,
not compared), the facet counts, or the suggestions for a prefix. Readers are audience sets as
visibility.policy.audiences_of gives them; staff (None) see everything."""

from dataclasses import dataclass, field

ANONYMOUS = frozenset({"public"})
AUTHOR = frozenset({"public", "user:42"})  # the owner of the private notebook
TRIBE_MEMBER = frozenset({"public", "user:43", "tribe:7", "tribe-any:7"})
STAFF = None

READERS = {"anonymous": ANONYMOUS, "author": AUTHOR, "tribe member": TRIBE_MEMBER, "staff": STAFF}

# (title, body, kind, terms, audiences): terms are (facet, value, label).
DOCUMENTS = [
    (
        "Pommes au four",
        "Des élèves ont gravé des pommes dans l'atelier bois.",
        "project",
        [("tag", "bois", "Bois"), ("status", "in_progress", "")],
        ["public"],
    ),
    (
        "Ruches connectées",
        "Des capteurs de poids pour la ruche du rucher école.",
        "project",
        [("tag", "electronique", "Électronique"), ("status", "finished", "")],
        ["public"],
    ),
    (
        "Électronique pour débutants",
        "Souder une première carte avec les élèves du collège.",
        "project",
        [("tag", "electronique", "Électronique"), ("status", "in_progress", "")],
        ["public"],
    ),
    (
        "Boîtier raté",
        "La découpe du contreplaqué a brûlé les bords : trop de puissance.",
        "journal_entry",
        [("entry_kind", "failure", ""), ("tag", "bois", "Bois")],
        ["public"],
    ),
    (
        "Imprimantes du fablab",
        "Réglages de l'imprimante résine.",
        "project",
        [("tag", "impression", "Impression 3D"), ("status", "finished", "")],
        ["public"],
    ),
    (
        "Carnet zorglub",
        "Pommes et ruches en secret.",
        "project",
        [("tag", "bois", "Bois"), ("status", "in_progress", "")],
        ["user:42"],
    ),
    (
        "Tribu Ocre",
        "L'atelier de la tribu : pommes, ruches et découpe.",
        "tribe",
        [],
        ["tribe:7"],
    ),
]


@dataclass(frozen=True)
class Expected:
    reader: str
    query: str
    titles: set[str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    # Facet values and their counts, for the facets named here (others are not compared).
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def __str__(self):
        filters = "".join(f" {name}={','.join(values)}" for name, values in self.filters.items())
        return f"{self.reader}: {self.query!r}{filters}"


SEARCHES = [
    # French stemming: singular and plural find each other.
    Expected("anonymous", "pomme", {"Pommes au four"}),
    Expected("anonymous", "pommes", {"Pommes au four"}),
    Expected("anonymous", "ruche", {"Ruches connectées"}),
    Expected("anonymous", "ruches", {"Ruches connectées"}),
    Expected("anonymous", "imprimante", {"Imprimantes du fablab"}),
    Expected("anonymous", "imprimantes", {"Imprimantes du fablab"}),
    # Accents folded, in the query and in the text.
    Expected("anonymous", "eleve", {"Pommes au four", "Électronique pour débutants"}),
    Expected("anonymous", "élèves", {"Pommes au four", "Électronique pour débutants"}),
    Expected("anonymous", "decoupe", {"Boîtier raté"}),
    Expected("anonymous", "electronique", {"Électronique pour débutants"}),
    # Elision: "l'atelier" is "atelier".
    Expected("anonymous", "l'atelier", {"Pommes au four"}),
    Expected("anonymous", "atelier", {"Pommes au four"}),
    # Every word must match, in the title or the body.
    Expected("anonymous", "pommes atelier", {"Pommes au four"}),
    Expected("anonymous", "pommes ruches", set()),
    Expected("anonymous", "zorglub", set()),
    # Audiences: what each reader may see, and nothing more.
    Expected("author", "zorglub", {"Carnet zorglub"}),
    Expected("author", "pomme", {"Pommes au four", "Carnet zorglub"}),
    Expected("tribe member", "pomme", {"Pommes au four", "Tribu Ocre"}),
    Expected("tribe member", "l'atelier", {"Pommes au four", "Tribu Ocre"}),
    Expected("staff", "pomme", {"Pommes au four", "Carnet zorglub", "Tribu Ocre"}),
    Expected("staff", "ruches pommes", {"Carnet zorglub", "Tribu Ocre"}),
    # Facets count only what the reader may see.
    Expected(
        "anonymous",
        "eleve",
        {"Pommes au four", "Électronique pour débutants"},
        facets={"tag": {"bois": 1, "electronique": 1}, "type": {"project": 2}},
    ),
    Expected(
        "author",
        "pomme",
        {"Pommes au four", "Carnet zorglub"},
        facets={"tag": {"bois": 2}, "status": {"in_progress": 2}},
    ),
    Expected(
        "staff",
        "pomme",
        {"Pommes au four", "Carnet zorglub", "Tribu Ocre"},
        facets={"type": {"project": 2, "tribe": 1}},
    ),
    # Filters: values of one facet are alternatives, facets add up; counts follow them.
    Expected(
        "anonymous",
        "eleve",
        {"Électronique pour débutants"},
        filters={"tag": ["electronique"]},
        facets={"tag": {"electronique": 1}, "status": {"in_progress": 1}},
    ),
    Expected(
        "author",
        "pomme",
        {"Pommes au four", "Carnet zorglub"},
        filters={"tag": ["bois", "electronique"], "status": ["in_progress"]},
    ),
    Expected("anonymous", "decoupe", set(), filters={"type": ["project"]}),
    Expected("anonymous", "decoupe", {"Boîtier raté"}, filters={"entry_kind": ["failure"]}),
]

# Suggestions under the search box: titles starting with what is typed, accents folded.
SUGGESTIONS = [
    ("anonymous", "elec", ["Électronique pour débutants"]),
    ("anonymous", "élec", ["Électronique pour débutants"]),
    ("anonymous", "ruch", ["Ruches connectées"]),
    ("anonymous", "imprimante", ["Imprimantes du fablab"]),
    ("anonymous", "carn", []),
    ("author", "carn", ["Carnet zorglub"]),
    ("tribe member", "tribu", ["Tribu Ocre"]),
    ("anonymous", "tribu", []),
]
