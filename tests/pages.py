"""Helpers for tests of server-rendered pages."""

import re


def page_text(response) -> str:
    """The visible text of a page: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
