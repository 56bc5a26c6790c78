"""search_index_state taken over by the catalog's branch (handed over by reference_0005, row kept)

Revision ID: catalog_0002
Down revision: 'catalog_0001'
"""

from alembic import op

revision = 'catalog_0002'
down_revision = 'catalog_0001'
branch_labels = None
depends_on = 'reference_0005'


def upgrade() -> None:
    op.rename_table('search_index_state_handover', 'search_index_state')


def downgrade() -> None:
    op.rename_table('search_index_state', 'search_index_state_handover')
