"""Helpers for tests of server-rendered pages."""

import re


def page_text(response) -> str:
    """The visible text of a page: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def seen_field(response) -> str:
    """The ``seen`` hidden field of an edit form on the page: what the user saw of the
    record's fields, as the form will send it back."""
    match = re.search(r'name="seen" value="([^"]+)"', response.content.decode())
    assert match, "the page has no edit form carrying what the user saw"
    return match.group(1)
