"""Database plumbing shared by the register and the hub, with no business in it: engines
(WAL + synchronous=FULL on SQLite, BEGIN IMMEDIATE for writes), the UTC column type and
constraint names, storage error codes, and the Alembic revision gate. Both the register's
adapters and the hub build on it; neither imports the other."""
