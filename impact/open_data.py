"""The network's figures as open data: the same numbers as the page « L'impact du réseau »
(impact/aggregates.py), one row per indicator, year and slice, with the data dictionary, under
the Licence Ouverte Etalab 2.0. Unpublished slices (fewer than MIN_ORGANISATIONS organisations)
are listed with their count and no figure."""

import csv
import io

from home.spreadsheet import spreadsheet_safe

from .aggregates import MIN_ORGANISATIONS

LICENCE = {
    "nom": "Licence Ouverte / Open Licence version 2.0 (Etalab)",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

COLUMNS = [
    ("indicateur", "Code stable de l’indicateur (voir le dictionnaire des indicateurs)."),
    ("intitule", "Intitulé de l’indicateur."),
    ("dimension", "Dimension de l’utilité sociale."),
    ("type", "nombre, montant, pourcentage, echelle ou oui_non."),
    ("unite", "Unité des valeurs (personnes, €, heures…), vide pour un pourcentage."),
    ("annee", "Année mesurée."),
    ("tranche", "reseau (tout le réseau), departement ou secteur."),
    ("valeur_tranche", "Le département ou le secteur ; vide pour tout le réseau."),
    ("organisations", "Nombre d’organisations dont la réponse relue entre dans le chiffre."),
    ("publie", f"oui si au moins {MIN_ORGANISATIONS} organisations ; sinon, aucun chiffre."),
    ("total", "Somme des valeurs ; pour un pourcentage, somme des numérateurs sur somme des "
              "dénominateurs × 100."),
    ("mediane", "Médiane des valeurs des organisations (de leurs pourcentages, pour un "
                "pourcentage)."),
    ("part_oui", "Pour une question oui / non : part des « oui », en %."),
] + [
    (f"echelle_{score}", f"Pour une échelle de 1 à 5 : nombre d’organisations ayant répondu "
                         f"{score}.")
    for score in range(1, 6)
]  # fmt: skip

KIND_CODES = {
    "count": "nombre",
    "amount": "montant",
    "percentage": "pourcentage",
    "scale": "echelle",
    "yes_no": "oui_non",
}


def rows(figures):
    """Every (indicator, year, slice) row, as dicts keyed by COLUMNS' names."""
    for item in figures["indicators"]:
        indicator = item["indicator"]
        common = {
            "indicateur": indicator.code,
            "intitule": indicator.name,
            "dimension": indicator.dimension.name,
            "type": KIND_CODES[indicator.kind],
            "unite": "" if indicator.kind == "percentage" else indicator.unit,
        }
        for year in figures["years"]:
            slices = [("reseau", "", item["by_year"][year])]
            slices += [("departement", k, f) for k, f in item["by_departement"][year].items()]
            slices += [("secteur", k, f) for k, f in item["by_sector"][year].items()]
            for kind, value, figure in slices:
                data = figure.as_dict()
                yield {
                    **common,
                    "annee": year,
                    "tranche": kind,
                    "valeur_tranche": value,
                    # An unpublished slice's count is itself a figure for fewer than 5.
                    "organisations": data["organisations"] if data["publie"] else None,
                    "publie": "oui" if data["publie"] else "non",
                    "total": data["total"],
                    "mediane": data["mediane"],
                    "part_oui": data["part_oui"],
                    **{
                        f"echelle_{score}": (data["repartition"] or {}).get(str(score))
                        for score in range(1, 6)
                    },
                }


def as_csv(figures):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    for row in rows(figures):
        writer.writerow({k: "" if v is None else spreadsheet_safe(v) for k, v in row.items()})
    return buffer.getvalue()


def as_json(figures, source_url=""):
    return {
        "titre": "Utilité sociale des adhérents du réseau",
        "licence": LICENCE,
        "source": source_url,
        "seuil_organisations": MIN_ORGANISATIONS,
        "dictionnaire": [{"colonne": n, "description": d} for n, d in COLUMNS],
        "indicateurs": [
            {
                "code": item["indicator"].code,
                "intitule": item["indicator"].name,
                "definition": item["indicator"].definition,
                "dimension": item["indicator"].dimension.name,
                "type": KIND_CODES[item["indicator"].kind],
                "unite": item["indicator"].unit,
            }
            for item in figures["indicators"]
        ],
        "donnees": list(rows(figures)),
    }


def dictionary_csv(figures):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["colonne", "description"])
    writer.writerows(COLUMNS)
    writer.writerow([])
    writer.writerow(["indicateur", "intitule", "definition", "dimension", "type", "unite"])
    for entry in as_json(figures)["indicateurs"]:
        writer.writerow([spreadsheet_safe(v) for v in entry.values()])
    return buffer.getvalue()
