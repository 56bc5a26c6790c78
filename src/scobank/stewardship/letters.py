"""E-mail of access requests, through the bank's mail (`scobank.mail`): each new request to the owning
party's stewards, each decision (with the steward's reason) to the requester, in every recipient's own
language. A recipient who unsubscribed from the stream "access-requests" gets the in-app notice only.

The texts are msgids of the portal's catalogs, marked N_ for the extractor (`web/messages.py`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access.models import AccessRequest, User
from scobank.access.users import UserPublic
from scobank.config import get_settings
from scobank.mail import preferences as mail_preferences
from scobank.mail.outbox import enqueue
from scobank.mail.texts import Letter, N_

STREAM = "access-requests"
UNSUBSCRIBE_PATH = "/data-use/unsubscribe"
FOOTER = N_("You receive this e-mail because you take part in access requests of the SCO Data Bank.")
SUBJECT_FILED = N_("SCO Data Bank: a request for access to %(dataset)s")
SUBJECT_DECIDED = N_("SCO Data Bank: your request for access to %(dataset)s was decided")
FILED = N_("%(who)s asks for access to %(dataset)s for %(purpose)s until %(until)s. Decide on the data use "
           "page: %(url)s")
FILED_WITH_MESSAGE = N_("%(who)s asks for access to %(dataset)s for %(purpose)s until %(until)s, writing: "
                        "\"%(message)s\". Decide on the data use page: %(url)s")
DECIDED = {
    ("approved", False): N_("Your request for access to %(dataset)s was approved until %(until)s. Your "
                            "requests: %(url)s"),
    ("approved", True): N_("Your request for access to %(dataset)s was approved until %(until)s. The steward's "
                           "note: %(note)s. Your requests: %(url)s"),
    ("narrowed", False): N_("Your request for access to %(dataset)s was approved with narrower terms, until "
                            "%(until)s. Your requests: %(url)s"),
    ("narrowed", True): N_("Your request for access to %(dataset)s was approved with narrower terms, until "
                           "%(until)s. The steward's reason: %(note)s. Your requests: %(url)s"),
    ("refused", False): N_("Your request for access to %(dataset)s was refused; the steward gave no reason. "
                           "Your requests: %(url)s"),
    ("refused", True): N_("Your request for access to %(dataset)s was refused. The steward's reason: %(note)s. "
                          "Your requests: %(url)s"),
}
PURPOSE_WORDS = {"statistics": N_("official statistics"), "matching": N_("matching enterprises"),
                 "research": N_("research"), "commercial": N_("commercial use")}


def _letter(subject: str, template: str, args: dict[str, str]) -> Letter:
    url = get_settings().public_url.rstrip("/") + "/data-use"
    return Letter(stream=STREAM, subject=subject, template=template, footer=FOOTER,
                  unsubscribe_path=UNSUBSCRIBE_PATH, args={**args, "url": url}, word_args=("purpose",))


def mail_filed(session: Session, request: AccessRequest, *, slug: str, stewards: list[UserPublic]) -> int:
    """A mail to each steward (with an address) of a new request; how many were queued."""
    requester = session.get(User, request.user_id)
    args = {"who": requester.email if requester else "?", "dataset": slug,
            "purpose": PURPOSE_WORDS.get(request.purpose, request.purpose), "until": request.valid_until.isoformat()}
    if request.message:
        args["message"] = request.message
    letter = _letter(SUBJECT_FILED, FILED_WITH_MESSAGE if request.message else FILED, args)
    for steward in stewards:
        enqueue(session, to=steward.email, user_id=steward.id, letter=letter)
    return len(stewards)


def mail_decided(session: Session, request: AccessRequest, *, slug: str, until: str) -> None:
    """A mail to the requester of the decision on `request`, with the steward's reason when given."""
    requester = session.get(User, request.user_id)
    if requester is None or request.status not in ("approved", "narrowed", "refused"):
        return
    note = (request.decision_note or "").strip()
    args = {"dataset": slug, "until": until, **({"note": note} if note else {})}
    letter = _letter(SUBJECT_DECIDED, DECIDED[(request.status, bool(note))], args)
    enqueue(session, to=requester.email, user_id=requester.id, letter=letter)


def unsubscribe(session: Session, *, token: str) -> None:
    """The link in every access-request mail: no sign-in, the secret names the user. NotFound if unknown."""
    mail_preferences.unsubscribe(session, token=token, stream=STREAM)
