"""What of a lead the search index holds."""

from vorsprung.search.documents import document, reader


def lead_search_document(lead) -> str:
    value = reader(lead)
    return document(
        names=(value("first_name"), value("last_name")),
        text=(value("company"),),
        emails=(value("email"),),
        domains=(value("website"), value("domain")),
        phones=(value("phone"), value("mobile")),
    )
