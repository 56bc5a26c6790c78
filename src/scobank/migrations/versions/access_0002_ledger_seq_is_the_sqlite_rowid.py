"""ledger seq is the SQLite rowid

On SQLite a primary key declared exactly INTEGER is the table's rowid: an append then writes one
B-tree (plus the two secondary indexes) instead of the table and a separate key index, and `ledger
verify` reads the table in key order directly. PostgreSQL keeps BIGINT: nothing changes there.
The table is rebuilt with its rows (batch mode); hashes do not cover `seq`, so the chain is unchanged.

Revision ID: access_0002
Down revision: 'access_0001'
"""

import sqlalchemy as sa
from alembic import op

revision = 'access_0002'
down_revision = 'access_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('ledger_entries', schema=None, recreate='always') as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BIGINT(), type_=sa.Integer(), existing_nullable=False,
                              autoincrement=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('ledger_entries', schema=None, recreate='always') as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), type_=sa.BIGINT(), existing_nullable=False,
                              autoincrement=False)
