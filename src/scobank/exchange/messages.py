"""What the exchange says to people, as English templates (msgids of the portal's catalogs, marked
`N_` so the extractor finds them) with arguments: a `Note`. The API, the CLI and e-mails use the English
text (`str(note)`); the portal translates the template and fills in the arguments, showing the arguments
named in COUNTRY_ARGS (ISO3 codes) as country names and those in WORD_ARGS as translated words.

Notifications are stored as their English text; `read_message` recovers the template and arguments from
it, so a stored notification is shown in the reader's language too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COUNTRY_ARGS = ("party", "source")
WORD_ARGS = ("kind", "stage")


def N_(message: str) -> str:  # noqa: N802 - the extractor's keyword: "translate this where it is shown"
    return message


@dataclass(frozen=True)
class Note:
    template: str
    args: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % self.args if self.args else self.template


INTEREST = N_("An enterprise of %(party)s is interested in your listing %(listing)s")
ACCEPTED = N_("Your interest in listing %(listing)s was accepted: contacts are now visible")
WITHDRAWN = N_("The expression of interest %(interest)s on listing %(listing)s was withdrawn")
MATCHES_SEARCH = N_("New %(kind)s from %(party)s matches '%(search)s': %(title)s")
MESSAGE_POSTED = N_("New message from your counterpart in %(party)s about listing %(listing)s")
OUTCOME_ASKED = N_("Your counterpart confirmed a %(stage)s on listing %(listing)s; it counts once you confirm it too")
OUTCOME_CONFIRMED = N_("Both sides confirmed the %(stage)s on listing %(listing)s")
LISTING_REFUSED = N_("Your listing %(listing)s was not published: %(reason)s")
LISTING_WITHDRAWN = N_("Your listing %(listing)s was withdrawn by a moderator: %(reason)s")
NOTIFICATIONS = (INTEREST, ACCEPTED, WITHDRAWN, MATCHES_SEARCH, MESSAGE_POSTED, OUTCOME_ASKED, OUTCOME_CONFIRMED,
                 LISTING_REFUSED, LISTING_WITHDRAWN)
STAGE_WORDS = {"meeting": N_("meeting"), "agreement": N_("agreement")}
# E-mail: a subject per notification topic, and the lines every mail ends with.
SUBJECTS = {
    "interest": N_("SCO exchange: an enterprise is interested in your listing"),
    "mutual": N_("SCO exchange: your interest was accepted"),
    "withdrawn": N_("SCO exchange: an expression of interest was withdrawn"),
    "listing-matches-search": N_("SCO exchange: a new listing matches your saved search"),
    "message": N_("SCO exchange: a new message from your counterpart"),
    "outcome-asked": N_("SCO exchange: please confirm a meeting or an agreement"),
    "outcome-confirmed": N_("SCO exchange: confirmed by both sides"),
}
SUBJECT_OTHER = N_("SCO exchange: a notification")
MAIL_FOOTER = N_("You receive this e-mail because you use the SCO Data Bank's cooperation exchange.")
MAIL_UNSUBSCRIBE = N_("To stop these e-mails, open: %(url)s")
KIND_WORDS = {  # the kinds as a notification names them
    "capacity offer": N_("capacity offer"), "product offer": N_("product offer"),
    "product request": N_("product request"), "technology offer": N_("technology offer"),
    "technology request": N_("technology request"), "project": N_("project"),
    "capacity request": N_("capacity request"),
}


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", template)
    text = "".join(re.escape(p) if k % 2 == 0 else f"(?P<{p}>.+?)" for k, p in enumerate(parts))
    return re.compile(f"^{text}$", re.S)


_PATTERNS = [(t, _pattern(t)) for t in NOTIFICATIONS]


def read_message(text: str) -> Note | None:
    """The template and arguments of a stored notification text; None for a text none of them made."""
    for template, pattern in _PATTERNS:
        found = pattern.match(text or "")
        if found:
            return Note(template, found.groupdict())
    return None
