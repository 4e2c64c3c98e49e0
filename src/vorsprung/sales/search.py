"""What of an opportunity the search index holds."""

from vorsprung.search.documents import document, reader


def opportunity_search_document(opportunity) -> str:
    return document(text=(reader(opportunity)("name"),))
