"""What a search returns, whichever backend answered (the database or Elasticsearch): the
views and templates read only these."""

import dataclasses
import datetime

# The kinds of result a visitor can filter on, in the order the filters show them.
KINDS = ("page", "news", "award", "laureate", "need")


@dataclasses.dataclass
class Hit:
    kind: str  # one of KINDS
    title: str
    url: str
    excerpt: str = ""  # safe HTML: escaped text with the matched words in <mark>
    date: datetime.date | None = None
    year: int | None = None  # an award edition's or a news item's year
    territory: str = ""  # a board need's département code
    score: float = 0.0


@dataclasses.dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclasses.dataclass
class SearchResults:
    query: str
    hits: list[Hit]  # the requested page only
    total: int
    page: int = 1
    per_page: int = 10
    # By filter: "kind", "year", "territory".
    facets: dict[str, list[Facet]] = dataclasses.field(default_factory=dict)
    suggestions: list[str] = dataclasses.field(default_factory=list)  # when nothing is found
    backend: str = "database"  # or "elasticsearch"
    degraded: bool = False  # Elasticsearch failed and the database answered

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.per_page))


@dataclasses.dataclass
class SearchQuery:
    text: str
    kind: str = ""
    year: int | None = None
    territory: str = ""
    page: int = 1
    per_page: int = 10
    language: str = "fr"
