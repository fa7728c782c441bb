"""How fast is /search/ on PostgreSQL with a big lab's worth of content? Not a test: it prints
figures.

    scripts/with-postgres.sh sh -c '.venv/bin/python bench/search.py --database-url "$DATABASE_URL"'

(`make bench-search` runs exactly that.) It migrates the EMPTY PostgreSQL database it is given
(test settings, so `carnet_french` is the search configuration), then writes 10,000 projects
and 200,000 journal entries as search documents, in bulk: the rows `manage.py reindex` writes
(documents, their facet and audience terms, and the search columns of search/migrations/0003,
through search.services.search_documents_index), with the terms loaded by COPY rather than one
Python indexer per document. Pages are not created: the search view reads only documents and
terms. The text is generated French fab-lab prose (machines, materials, techniques, failures,
accents), with words as unevenly common as in a real journal; most projects are public, some
tribe-only or private, with realistic facets (type, entry kind, tag, tribe, machine, status,
licence).

Then it GETs 50 representative French queries (single words, two words, with and without
accents, plurals) through the search view with Django's test client, anonymously and as a
logged-in member of three tribes, after a warm-up pass, and times each request: as served
(at most search.postgres.MATCH_LIMIT matches ranked and counted) and with every match counted
(the limit lifted). Carnet caches no search response: every figure is cold. For comparison it
times the bare PostgreSQL full-text query over the same column: the same `to_tsquery` on
`search_vector`, the count of matches and the 20 best by `ts_rank`, with no permission filter,
no facets and no page to render. Targets: view p95 at most 50 ms, and at most twice the raw
query's p95. Last, it times saving one journal entry's document again (an edit).
"""

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50.0
TARGET_RATIO = 2.0
BATCH = 2000

# 50 searches members type: single words with and without accents, plurals, two words; common
# lab words (the slow ones), everyday ones, rare ones and one that matches nothing.
QUERIES = [
    # one word, with accents
    "découpe", "élèves", "contreplaqué", "soudure", "fraiseuse", "brodeuse", "étagère",
    "réglages", "plexiglas", "prothèse",
    # the same without accents, as typed on a phone
    "decoupe", "eleves", "contreplaque", "etagere", "reglage", "brulure", "thermoformage",
    # common in a lab
    "laser", "imprimante", "filament", "arduino", "calibrage", "gravure", "PLA", "warping",
    # plurals and singulars
    "imprimantes", "lampes", "boîtiers", "engrenages", "fissure", "buses", "courroies",
    "moteurs", "capteurs",
    # two words
    "découpe laser", "buse bouchée", "bords brulés", "soudure froide", "fraise cassée",
    "filament humide", "station météo", "robot suiveur", "mauvaise focale",
    "courroie détendue", "lampe chevet", "porte-clés", "collage raté",
    # rare, and absent
    "vitrail", "théremine", "zeppelin",
]  # fmt: skip

# Vocabularies, most common first: picks follow Zipf's law, as words do in real journals.
OBJECTS = [
    "lampe de chevet", "boîtier", "support de téléphone", "robot", "horloge murale", "enceinte",
    "porte-clés", "station météo", "étagère", "jeu de société", "tabouret", "veilleuse",
    "drone", "manette", "cadre photo", "maquette", "robot suiveur de ligne", "mangeoire",
    "bras robotique", "clavier mécanique", "serre connectée", "trophée", "pièce de rechange",
    "engrenage", "moule", "tampon encreur", "sac à dos", "coussin brodé", "prothèse de main",
    "distributeur de croquettes", "panneau d'affichage", "boîte à musique", "lampe frontale",
    "table basse", "nichoir", "carillon", "kaléidoscope", "cerf-volant", "marionnette",
    "plateau de jeu", "vitrail", "théremine", "ukulélé", "cajón", "longboard", "sextant",
    "métier à tisser", "rouet", "astrolabe", "zootrope",
]  # fmt: skip
MACHINES = [
    ("laser-trotec", "Découpeuse laser Trotec"), ("prusa-mk4", "Imprimante 3D Prusa MK4"),
    ("ultimaker", "Imprimante 3D Ultimaker"), ("fer-a-souder", "Station de soudure"),
    ("shapeoko", "Fraiseuse CNC Shapeoko"), ("plotter", "Plotter de découpe vinyle"),
    ("brodeuse", "Brodeuse numérique"), ("perceuse", "Perceuse à colonne"),
    ("scie-a-ruban", "Scie à ruban"), ("presse", "Presse à chaud"),
    ("thermoformeuse", "Thermoformeuse"), ("tour-a-bois", "Tour à bois"),
    ("resine", "Imprimante résine Formlabs"), ("machine-a-coudre", "Machine à coudre"),
    ("scanner", "Scanner 3D"), ("oscilloscope", "Oscilloscope"),
]  # fmt: skip
MATERIALS = [
    "contreplaqué peuplier", "PLA", "MDF", "PETG", "plexiglas", "carton", "ABS", "feutre",
    "hêtre", "TPU", "aluminium", "cuir", "tissu", "acier", "vinyle", "liège", "silicone",
    "résine", "mousse", "laiton", "bambou", "chêne", "polycarbonate", "cuivre", "jersey",
    "papier kraft", "néoprène", "polystyrène", "ardoise", "verre", "béton", "argile",
    "fil de nylon", "lin", "osier", "noyer", "zinc", "caoutchouc", "paracorde", "étain",
]  # fmt: skip
ACTIONS = [
    "découpe", "impression", "gravure", "soudure", "assemblage", "collage", "ponçage",
    "fraisage", "perçage", "calibrage", "modélisation", "programmation", "câblage", "pliage",
    "peinture", "vernissage", "brodage", "couture", "moulage", "thermoformage", "tournage",
    "rivetage", "sérigraphie", "marquetterie", "teinture", "polissage", "ébavurage",
    "taraudage", "sertissage", "cintrage",
]  # fmt: skip
PROBLEMS = [
    "bords brûlés", "pièce décollée du plateau", "warping aux angles", "buse bouchée",
    "fissures entre les couches", "courroie détendue", "mauvaise focale", "filament humide",
    "axe désaligné", "trop de puissance", "collage raté", "soudure froide", "fumée jaune",
    "fraise cassée", "vitesse trop lente", "surchauffe du moteur", "court-circuit",
    "LED grillée", "vis foirée", "brûlure sur le bois", "premières couches écrasées",
    "fils qui pendent", "sous-extrusion", "plateau mal nivelé", "carte qui redémarre",
    "batterie gonflée", "bois qui gondole", "aiguille cassée", "tissu froissé",
    "résine collante", "pièce trop petite", "trous mal placés", "servo qui vibre",
    "capteur qui ment", "écran noir", "odeur de plastique", "copeaux partout",
    "colle qui bave", "peinture qui coule", "jeu dans l'assemblage",
]  # fmt: skip
PARTS = [
    "un Arduino", "un ruban LED", "un ESP32", "un servomoteur", "un capteur de température",
    "un écran OLED", "une batterie", "des aimants", "des moteurs pas à pas",
    "des capteurs de distance", "des roulements", "des engrenages imprimés", "un haut-parleur",
    "un Raspberry Pi", "un buzzer", "un relais", "un potentiomètre", "un accéléromètre",
    "une cellule solaire", "un module GPS", "un lecteur RFID", "un ventilateur",
    "des boutons d'arcade", "un micro", "un encodeur rotatif", "des électrovannes",
]  # fmt: skip
PEOPLE = [
    "les élèves", "les bénévoles", "les collégiens", "les enfants de l'atelier",
    "le club robotique", "les étudiants", "les retraités", "l'équipe du jeudi",
    "les voisins", "la classe de CM2", "les stagiaires", "les habitués du samedi",
]  # fmt: skip
ADJECTIVES = [
    "solide", "précis", "léger", "fragile", "propre", "réussi", "raté", "rapide", "lent",
    "bruyant", "lisse", "tordu", "élégant", "robuste", "discret", "coloré", "étanche",
    "démontable", "réparable", "silencieux",
]  # fmt: skip
TAGS = [
    "laser", "impression 3D", "bois", "électronique", "Arduino", "pédagogie", "textile",
    "recyclage", "robotique", "éclairage", "mobilier", "jeux", "réparation", "domotique",
    "musique", "jardin", "vinyle", "métal", "cuir", "accessibilité", "low-tech", "énergie",
    "sciences", "art", "cuisine", "vélo", "santé", "mode", "architecture", "photo",
]  # fmt: skip
STATUSES = ["idea", "in_progress", "prototype_works", "finished", "abandoned"]
LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "CERN-OHL-S-2.0", "MIT",
            "GPL-3.0-or-later", "all-rights-reserved"]  # fmt: skip
ENTRY_KINDS = [("trial", 30), ("failure", 20), ("success", 12), ("note", 15), ("lesson", 8),
               ("research", 8), ("choice", 7)]  # fmt: skip
ENTRY_KIND_LABELS = {"research": "Recherche", "choice": "Choix", "trial": "Essai",
                     "failure": "Échec", "success": "Réussite", "lesson": "Leçon",
                     "note": "Note"}  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        required=True,
        help="an EMPTY throwaway PostgreSQL database: scripts/with-postgres.sh sh -c "
        "'.venv/bin/python bench/search.py --database-url \"$DATABASE_URL\"'",
    )
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on a database that an earlier run filled (to try an index…)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of every SQL query the view runs for the slowest search",
    )
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "docs_platform.settings.test"
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(BASE_DIR))

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    django.setup()
    if connection.vendor != "postgresql":
        raise SystemExit(f"bench/search.py needs PostgreSQL, not {connection.vendor}")
    # Let the test client's host in. Not setup_test_environment(): its instrumented template
    # rendering (for response.context) would add to every request's time.
    override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]).enable()
    print("Migrating…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)


# Generated content ---------------------------------------------------------------------------


class Writer:
    """French fab-lab prose. Each project has a theme (its techniques, materials, machines,
    usual failures) that its journal mostly speaks about; across the lab, words follow Zipf's
    law: a few very common ("découpe", "PLA"), most of them rare ("théremine")."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.theme: dict[str, list] = {}
        self.weights: dict[int, list[float]] = {}

    def pick(self, words: list):
        if len(words) not in self.weights:
            self.weights[len(words)] = [1 / (rank + 1) for rank in range(len(words))]
        return self.rng.choices(words, weights=self.weights[len(words)])[0]

    def new_theme(self) -> None:
        self.theme = {
            name: [self.pick(words) for _ in range(2)]
            for name, words in [("action", ACTIONS), ("material", MATERIALS),
                                ("machine", MACHINES), ("problem", PROBLEMS),
                                ("object", OBJECTS), ("part", PARTS)]
        }  # fmt: skip

    def word(self, name: str, words: list):
        """Mostly the project's own words, sometimes any word of the lab."""
        if self.theme and self.rng.random() < 0.8:
            return self.rng.choice(self.theme[name])
        return self.pick(words)

    def sentence(self) -> str:
        word, pick, rng = self.word, self.pick, self.rng
        templates = [
            lambda: (
                f"{word('action', ACTIONS).capitalize()} du {word('material', MATERIALS)} "
                f"sur la {word('machine', MACHINES)[1].lower()}."
            ),
            lambda: f"Premier essai : {word('problem', PROBLEMS)}.",
            lambda: (
                f"On a réglé la puissance à {rng.randrange(10, 100)} % et la vitesse à "
                f"{rng.randrange(5, 400)} mm/s."
            ),
            lambda: f"Avec {pick(PEOPLE)}, nous avons avancé sur le {word('object', OBJECTS)}.",
            lambda: (
                f"Problème : {word('problem', PROBLEMS)}, il faudra reprendre le "
                f"{word('action', ACTIONS)}."
            ),
            lambda: (
                f"Le {word('material', MATERIALS)} est plus {pick(ADJECTIVES)} pour le "
                f"{word('object', OBJECTS)}."
            ),
            lambda: f"Temps passé : {rng.randrange(1, 20)} h {rng.randrange(60)} min.",
            lambda: f"Résultat {pick(ADJECTIVES)}, à refaire en {word('material', MATERIALS)}.",
            lambda: f"Idée : ajouter {word('part', PARTS)} au {word('object', OBJECTS)}.",
            lambda: "Les paramètres sont notés dans le fichier, avec une photo du résultat.",
            lambda: "Merci à tout le monde pour l'aide et les conseils de la semaine.",
            lambda: f"Prochaine séance : {rng.choice(['lundi', 'mercredi', 'samedi'])} soir.",
            lambda: "Il reste à documenter les étapes et à ranger l'atelier.",
            lambda: f"On a commandé {word('part', PARTS)} chez le fournisseur habituel.",
        ]
        return rng.choice(templates)()

    def paragraph(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))


def audience_for_project(rng: random.Random, project_id: int, tribes, member_id: int):
    """(audience tokens, tribes): mostly public; some tribe-only, some private."""
    in_tribes = rng.sample(tribes, rng.choice([1, 1, 2])) if rng.random() < 0.3 else []
    draw = rng.random()
    if draw < 0.85:
        return ["public"], in_tribes
    owner = member_id if project_id % 150 == 0 else 100_000 + project_id % 3000
    if draw < 0.93 and in_tribes:
        return [f"user:{owner}"] + [f"tribe:{pk}" for pk, _ in in_tribes], in_tribes
    return [f"user:{owner}"], in_tribes


def generate_documents(rng, *, projects: int, entries: int, tribes, member_id: int):
    """DocumentData for every project, then every journal entry, as manage.py reindex makes
    them (search.documents): same kinds, facets, audiences and "project" term."""
    from django.utils import timezone
    from django.utils.text import slugify

    from search.documents import DocumentData

    writer = Writer(rng)
    now = timezone.now()
    projects_data = {}  # id -> (title, slug, theme, facets shared with entries, audiences)
    for pk in range(1, projects + 1):
        writer.new_theme()
        title = f"{writer.theme['object'][0].capitalize()} en {writer.theme['material'][0]}"
        if rng.random() < 0.3:
            title += f" {writer.pick(ADJECTIVES)}"
        slug = f"{slugify(title)[:40]}-{pk}"
        audiences, in_tribes = audience_for_project(rng, pk, tribes, member_id)
        tags = {writer.pick(TAGS) for _ in range(rng.randint(1, 4))}
        machines = set(writer.theme["machine"])
        shared = [("status", rng.choice(STATUSES), ""), ("licence", writer.pick(LICENCES), "")]
        shared += [("tag", slugify(tag), tag) for tag in sorted(tags)]
        shared += [("tribe", str(tribe_pk), name) for tribe_pk, name in in_tribes]
        audience_terms = [("audience", token, "") for token in audiences]
        projects_data[pk] = (title, slug, writer.theme, shared, audience_terms)
        body = "\n".join(
            [writer.paragraph(2, 4), writer.paragraph(3, 8), writer.paragraph(2, 6)]
            + [name for _slug, name in sorted(machines)]
            + sorted(tags)
        )
        yield DocumentData(
            kind="project",
            source_id=pk,
            title=title,
            body=body,
            url=f"/projets/{slug}/",
            updated_at=now - timedelta(days=rng.randrange(1500)),
            terms=[
                ("type", "project", ""),
                *shared,
                *[("machine", m_slug, name) for m_slug, name in sorted(machines)],
                *audience_terms,
            ],  # fmt: skip
        )
    kinds, weights = zip(*ENTRY_KINDS, strict=True)
    for pk in range(1, entries + 1):
        project_id = rng.randint(1, projects)
        project_title, slug, writer.theme, shared, audience_terms = projects_data[project_id]
        kind = rng.choices(kinds, weights)[0]
        if kind == "failure":
            title = f"Échec : {writer.word('problem', PROBLEMS)}"
        elif kind == "trial":
            title = f"Essai de {writer.word('action', ACTIONS)} du "
            title += writer.word("material", MATERIALS)
        elif rng.random() < 0.3:
            title = f"Réglages de la {writer.word('machine', MACHINES)[1].lower()}"
        else:
            title = f"{ENTRY_KIND_LABELS[kind]} — {project_title}"
        terms = [("type", "journal_entry", ""), ("entry_kind", kind, ""), *shared]
        if rng.random() < 0.6:
            m_slug, name = writer.word("machine", MACHINES)
            terms.append(("machine", m_slug, name))
        yield DocumentData(
            kind="journal_entry",
            source_id=pk,
            title=title,
            body=writer.paragraph(2, 6),
            url=f"/projets/{slug}/journal/{pk}/",
            updated_at=now - timedelta(minutes=rng.randrange(1500 * 24 * 60)),
            terms=[*terms, *audience_terms, ("project", str(project_id), "")],
        )


def write_batch(batch) -> None:
    """One batch of documents and their terms (COPY), then their search columns as
    search.services writes them (search_documents_index), in one transaction."""
    from django.db import connection, transaction

    from search.models import SearchDocument, SearchTerm
    from search.services import document_fields, search_documents_index

    with transaction.atomic():
        documents = SearchDocument.objects.bulk_create(
            SearchDocument(kind=data.kind, source_id=data.source_id, **document_fields(data))
            for data in batch
        )
        table = SearchTerm._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} (document_id, name, value, label) FROM STDIN"  # noqa: S608
            ) as copy,
        ):
            for document, data in zip(documents, batch, strict=True):
                for name, value, label in dict.fromkeys(data.terms):
                    copy.write_row((document.pk, name, value[:120], label[:200]))
        search_documents_index(documents=documents)


def build(rng, *, projects: int, entries: int):
    """The logged-in reader, the tribes, then every document in bulk, with a progress bar."""
    from django.db import connection
    from tqdm import tqdm

    from search.models import SearchDocument
    from search.services import batched
    from tribes.services import tribe_create
    from users.services import user_create

    if SearchDocument.objects.filter(kind__in=["project", "journal_entry"]).exists():
        raise SystemExit("The database already holds projects: give an EMPTY database.")
    member = user_create(
        username="camille", email="camille@example.org", password=secrets.token_urlsafe()
    )
    host = user_create(
        username="dominique", email="dominique@example.org", password=secrets.token_urlsafe()
    )
    tribes = []
    for number, name in enumerate(["Fablab du collège", "Repair café", "Atelier textile",
                                   "Club robotique", "Makers du jeudi", "Lab de l'IUT",
                                   "Bois et métal", "Électronique libre"]):  # fmt: skip
        creator = member if number < 3 else host  # the reader is an active member of three
        tribes.append((tribe_create(creator=creator, title=name).pk, name))

    documents = generate_documents(
        rng, projects=projects, entries=entries, tribes=tribes, member_id=member.pk
    )
    started = time.perf_counter()
    with tqdm(total=projects + entries, unit=" documents", desc="Search documents") as bar:
        for batch in batched(documents, BATCH):
            write_batch(batch)
            bar.update(len(batch))
    print(f"Written in {time.perf_counter() - started:.0f} s. Analysing the tables…", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    return member


# Measurements --------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(fraction * (len(ordered) - 1))), len(ordered) - 1)]


def time_view(client, query: str) -> float:
    started = time.perf_counter()
    response = client.get("/search/", {"q": query})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"/search/?q={query} answered {response.status_code}")
    return elapsed


def matches(query: str, reader) -> int:
    """How many documents `reader` may see for `query`: every one, not capped."""
    from search.engine import SearchRequest, clean_query
    from search.postgres import PostgresSearchEngine
    from visibility.policy import audiences_of

    request = SearchRequest(clean_query(query))
    return PostgresSearchEngine(exact=True).search(request, audiences=audiences_of(reader)).total


def raw_sql():
    """The bare full-text query over the column the engine searches: the count of matches and
    the 20 best by ts_rank; no permission filter, no facets, no page to render."""
    from search.models import SearchDocument
    from search.postgres import CONFIG

    table = SearchDocument._meta.db_table
    source = f"{table}, to_tsquery('{CONFIG}', %s) AS q WHERE search_vector @@ q"
    count = f"SELECT count(*) FROM {source}"  # noqa: S608 - our own constants
    top = (
        f"SELECT id, ts_rank(search_vector, q) AS rank FROM {source}"  # noqa: S608
        " ORDER BY rank DESC, id DESC LIMIT 20"
    )
    return count, top


def time_raw(cursor, sql, query: str) -> tuple[float, int]:
    from search.engine import clean_query
    from search.postgres import tsquery_text

    count_sql, top_sql = sql
    tsquery = tsquery_text(clean_query(query))
    started = time.perf_counter()
    cursor.execute(count_sql, [tsquery])
    total = cursor.fetchone()[0]
    cursor.execute(top_sql, [tsquery])
    cursor.fetchall()
    return (time.perf_counter() - started) * 1000, total


def time_indexing(samples: int = 30) -> list[float]:
    """Milliseconds to save one journal entry's document again through search.services, as
    on every edit (document, terms, search columns), each in its own committed transaction."""
    from search.documents import DocumentData
    from search.models import SearchDocument
    from search.services import search_document_save

    documents = SearchDocument.objects.filter(kind="journal_entry").order_by("?")[:samples]
    timings = []
    for document in documents.prefetch_related("terms"):
        data = DocumentData(
            kind=document.kind,
            source_id=document.source_id,
            title=document.title,
            body=document.body + " Relu.",
            url=document.url,
            updated_at=document.updated_at,
            terms=[(term.name, term.value, term.label) for term in document.terms.all()],
        )
        started = time.perf_counter()
        search_document_save(data)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def profile(client, query: str, *, explain: bool) -> None:
    """The SQL queries of one search through the view, slowest first; EXPLAIN ANALYZE them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", {"q": query})
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    print(f"\nSQL of /search/?q={query} ({len(queries)} queries), slowest first:")
    for captured_query in queries:
        sql = captured_query["sql"]
        print(f"  {float(captured_query['time']) * 1000:7.1f} ms  {describe(sql)}")
    if explain:
        with connection.cursor() as cursor:
            for captured_query in queries:
                if not captured_query["sql"].startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured_query["sql"])
                print(f"\n--- {describe(captured_query['sql'])}\n{captured_query['sql']}\n")
                print("\n".join(row[0] for row in cursor.fetchall()))


def describe(sql: str) -> str:
    if sql.lstrip().startswith("WITH"):
        return "search statement (count, ranked page, facets)"
    tables = dict.fromkeys(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))
    what = "COUNT" if "COUNT(" in sql.upper()[:60] else sql.split(None, 1)[0].upper()
    if "GROUP BY" in sql:
        what = "GROUP BY (facets)"
    elif "LIMIT" in sql and "ts_rank" in sql:
        what = "ranked page"
    return f"{what}: {', '.join(tables)}"


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)
    setup_django(args.database_url)
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from search.models import SearchDocument
    from search.postgres import MATCH_LIMIT

    if args.reuse:
        from users.models import User

        member = User.objects.get(username="camille")
    else:
        member = build(rng, projects=args.projects, entries=args.entries)
    visitors = {"anonymous": Client(), "member": Client()}
    visitors["member"].force_login(member)
    sql = raw_sql()

    print(f"Warming up ({len(QUERIES)} queries × {len(visitors)} visitors)…", flush=True)
    readers = {"anonymous": AnonymousUser(), "member": member}
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for name, client in visitors.items():
        for query in QUERIES:
            time_view(client, query)
            totals[name][query] = matches(query, readers[name])
    with connection.cursor() as cursor:
        for query in QUERIES:
            totals["raw"][query] = time_raw(cursor, sql, query)[1]

    print(f"Timing {args.rounds} rounds…", flush=True)
    timings: dict[str, list[float]] = defaultdict(list)
    per_query: dict[str, list[float]] = defaultdict(list)
    with connection.cursor() as cursor:
        for _round in range(args.rounds):
            for query in QUERIES:
                for name, client in visitors.items():
                    elapsed = time_view(client, query)
                    timings[name].append(elapsed)
                    per_query[query].append(elapsed)
                timings["raw"].append(time_raw(cursor, sql, query)[0])
    # Then the same requests with every match counted and ranked (no MATCH_LIMIT), apart: they
    # read much more of the table, and would slow the requests above if interleaved.
    with mock.patch("search.postgres.MATCH_LIMIT", None):
        for _round in range(args.rounds):
            for query in QUERIES:
                for name, client in visitors.items():
                    timings[f"{name}, exact"].append(time_view(client, query))
    for suffix in ("", ", exact"):
        timings[f"both{suffix}"] = timings[f"anonymous{suffix}"] + timings[f"member{suffix}"]
    indexing = time_indexing()

    kinds = dict(SearchDocument.objects.values_list("kind").annotate(count=Count("pk")).order_by())
    print(
        f"\n/search/ on PostgreSQL {connection.pg_version // 10000}, "
        f"{sum(kinds.values()):,} documents ({kinds.get('project', 0):,} projects, "
        f"{kinds.get('journal_entry', 0):,} journal entries), {len(QUERIES)} queries × "
        f"{args.rounds} rounds, milliseconds per request. Every figure is cold: Carnet caches no "
        "search response, each request runs its SQL (PostgreSQL's own buffers are warm).\n"
    )
    print(f"{'':<48}{'p50':>8}{'p95':>8}{'max':>8}")
    rows = [
        (f"view, anonymous (at most {MATCH_LIMIT:,} matches)", "anonymous"),
        (f"view, logged-in member (at most {MATCH_LIMIT:,})", "member"),
        (f"view, both (at most {MATCH_LIMIT:,})", "both"),
        ("view, both, exact (every match counted)", "both, exact"),
        ("raw to_tsquery (count + top 20)", "raw"),
    ]
    for label, key in rows:
        values = timings[key]
        print(
            f"{label:<48}{statistics.median(values):>8.1f}{percentile(values, 0.95):>8.1f}"
            f"{max(values):>8.1f}"
        )
    for label, key in [("the view as served", "both"), ("exact counts", "both, exact")]:
        view_p95 = percentile(timings[key], 0.95)
        raw_p95 = percentile(timings["raw"], 0.95)
        ratio = view_p95 / raw_p95 if raw_p95 else float("inf")
        print(
            f"\n{label}: p95 {view_p95:.1f} ms, "
            f"{'within' if view_p95 <= TARGET_P95_MS else 'OVER'} the target of "
            f"{TARGET_P95_MS:.0f} ms; {ratio:.2f}× raw p95, "
            f"{'within' if ratio <= TARGET_RATIO else 'OVER'} the target of {TARGET_RATIO:.0f}×"
        )
    capped = sum(totals["anonymous"][query] > MATCH_LIMIT for query in QUERIES)
    print(
        f"{capped} of {len(QUERIES)} queries match more than {MATCH_LIMIT:,} documents for an "
        f'anonymous reader: their page says "more than {MATCH_LIMIT:,} results".'
    )
    print(
        f"\nIndexing one journal entry again (search_document_save, {len(indexing)} samples): "
        f"p50 {statistics.median(indexing):.1f} ms, max {max(indexing):.1f} ms"
    )

    print(
        "\nSlowest queries as served (median over visitors and rounds; every match, "
        "as anonymous / member):"
    )
    slowest = sorted(per_query, key=lambda q: -statistics.median(per_query[q]))
    for query in slowest[:10]:
        print(
            f"  {statistics.median(per_query[query]):7.1f} ms  {query!r:<24} "
            f"{totals['anonymous'][query]:>7,} / {totals['member'][query]:>7,} "
            f"(raw, unfiltered: {totals['raw'][query]:,})"
        )
    profile(visitors["member"], slowest[0], explain=args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
