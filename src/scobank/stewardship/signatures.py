"""A dataset's signatures by slug: the gate decides whether the reader may see the dataset, the catalog
gives its versions, the access area the party's signatures and public key."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access import signatures
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.refs import ref_by_slug, version_numbers


def dataset_signatures(session: Session, *, reader: Reader, slug: str, number: int | None = None) -> dict:
    """The publishing party's signatures of dataset `slug`'s versions (or of version `number`), with its
    public key. NotFound when the reader may not know the dataset or the version is not signed."""
    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.METADATA)
    return signatures.signatures_of(session, slug=slug, numbers=version_numbers(session, dataset.id, number=number),
                                    number=number)
