-- Planner statistics for a large tenant. Without sqlite_stat1 SQLite assumes every index narrows a search equally,
-- so for "work email = x ORDER BY created LIMIT n" it walks the creation-order index through the whole tenant
-- instead of looking the email up. These figures describe the shape the store is built for (many rows per tenant,
-- keys near-unique, groups of ~100 members) and only steer index choice; a later ANALYZE or PRAGMA optimize
-- replaces them with measured values.
-- Format of stat: rows in the index, then the average number of rows sharing each left prefix of its columns.

ANALYZE sqlite_schema;

DELETE FROM sqlite_stat1 WHERE tbl IN ('resources', 'memberships', 'events');

INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('resources', 'sqlite_autoindex_resources_1', '1000000 100000 50000 1'),
    ('resources', 'ix_resources_created', '1000000 100000 50000 1 1'),
    ('resources', 'ux_resources_user_name', '500000 50000 1'),
    ('resources', 'ux_resources_group_display_name', '50000 5000 1'),
    ('resources', 'ix_resources_external_id', '1000000 100000 50000 1'),
    ('resources', 'ix_resources_work_email', '500000 50000 1'),
    ('memberships', 'memberships', '1000000 100000 100 1'),
    ('memberships', 'ix_memberships_member', '1000000 100000 10'),
    ('events', 'ix_events_tenant_seq', '1000000 100000 1');

-- Makes this connection reload the statistics; other connections reload them with the changed schema.
ANALYZE sqlite_schema;
