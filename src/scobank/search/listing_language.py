"""Will the bank's search find a listing from its texts? A listing written in a member language the
search does not yet read (Kazakh, Uzbek, Tajik, Persian, Urdu, Hindi: `scobank.ai.language`) is found only
by its exact words, never from another language or by meaning; its author is told so, in the author's
language, before publishing (the portal's listing form, the API's listing creation). Nothing is refused."""

from __future__ import annotations

from pydantic import BaseModel, Field

from scobank.ai.language_notice import language_name, listing_notice, unsearched_languages
from scobank.exchange.schemas import ListingPublic


class SearchNotice(BaseModel):
    """What the author of a listing should know about how search reads it."""

    code: str = Field("language-not-supported", description="language-not-supported: some text is in a "
                      "language search does not yet read (see `languages`)")
    languages: list[str] = Field(description="ISO 639-1 codes of those languages, e.g. kk")
    names: list[str] = Field(description="their names in the reader's language, e.g. казахский")
    partly: bool = Field(description="the listing also has text in English, Russian or Chinese")
    message: str = Field(description="one paragraph for the author, in the reader's language")


class ListingCreated(ListingPublic):
    search_notice: SearchNotice | None = Field(None, description=(
        "set when search will not find the listing by meaning or from another language: its text is in a "
        "language search does not yet read; the listing is created all the same"))


def search_notice(*, title: dict[str, str], description: dict[str, str], lang: str) -> SearchNotice | None:
    """The notice for a listing of these texts (each language slot's title and description read together,
    as search embeds them), in the reader's language `lang`; None when search reads all of them."""
    slots = sorted(set(title) | set(description))
    codes, partly = unsearched_languages(" ".join(t for t in (title.get(s), description.get(s)) if t) for s in slots)
    if not codes:
        return None
    return SearchNotice(languages=codes, names=[language_name(c, lang) for c in codes], partly=partly,
                        message=listing_notice(codes, partly, lang))
