"""search_index_state goes to the catalog's branch: the reference branch hands it over

The stamp table of catalog search (scobank.catalog.facets; declared in catalog/models.py) was created
by reference_0003. Its owner is the catalog: this revision renames it aside and catalog_0002 takes it
back under its own name, so its row is kept and the reference branch no longer holds a catalog table.

Revision ID: reference_0005
Down revision: 'reference_0004'
"""

from alembic import op

revision = 'reference_0005'
down_revision = 'reference_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table('search_index_state', 'search_index_state_handover')


def downgrade() -> None:
    op.rename_table('search_index_state_handover', 'search_index_state')
