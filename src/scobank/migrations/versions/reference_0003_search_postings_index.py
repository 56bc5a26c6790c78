"""catalog search: a covering postings index on dataset_search_terms, and the index-state stamp

Both belong to catalog search (scobank.catalog.search, the reference engineer's), whose tables are
declared in catalog/models.py; their migration lives in this branch.

Revision ID: reference_0003
Down revision: reference_0002
"""

import sqlalchemy as sa
from alembic import op

revision = 'reference_0003'
down_revision = 'reference_0002'
branch_labels = None
depends_on = 'catalog_0001'


def upgrade() -> None:
    with op.batch_alter_table('dataset_search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_dataset_search_terms_postings', ['term', 'dataset_id', 'weight'], unique=False)
    op.create_table('search_index_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_state'))
    )


def downgrade() -> None:
    op.drop_table('search_index_state')
    with op.batch_alter_table('dataset_search_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_dataset_search_terms_postings')
