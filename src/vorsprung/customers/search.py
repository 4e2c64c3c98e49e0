"""What of an organization and of a contact the search index holds."""

from vorsprung.search.documents import document, reader


def organization_search_document(organization) -> str:
    value = reader(organization)
    return document(
        text=(value("name"),),
        domains=(value("website"), value("domain")),
        phones=(value("phone"),),
    )


def contact_search_document(contact) -> str:
    value = reader(contact)
    return document(
        names=(value("first_name"), value("last_name")),
        emails=(value("email"),),
        phones=(value("phone"), value("mobile")),
    )
