-- SCIM store, SQLite, version 1.
-- Every table leads with tenant_id so that a tenant's rows are contiguous in every index and a tenant can later be
-- moved or sharded as a unit. Times are INTEGER unix microseconds (UTC): they sort and compare correctly in SQL and
-- match PostgreSQL's timestamptz precision, so both stores report identical meta.created/lastModified values.
-- Case-insensitive keys (*_key) are lower-cased by the application with ToLowerInvariant: SQLite's NOCASE and
-- lower() only fold ASCII.

CREATE TABLE tenants (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    created   INTEGER NOT NULL
);

CREATE TABLE resources (
    tenant_id        TEXT NOT NULL,
    kind             INTEGER NOT NULL,             -- 1 = User, 2 = Group
    id               TEXT NOT NULL,
    version          INTEGER NOT NULL,
    json             TEXT NOT NULL,                -- attributes without meta/members/groups/password
    created          INTEGER NOT NULL,
    last_modified    INTEGER NOT NULL,
    user_name        TEXT,                         -- users: userName as given
    user_name_key    TEXT,                         -- users: lower-cased userName (unique per tenant)
    external_id      TEXT,                         -- case-exact
    display_name     TEXT,                         -- displayName as given
    display_name_key TEXT,                         -- lower-cased displayName (unique per tenant for groups)
    active           INTEGER,                      -- users: 1/0, NULL when absent
    work_email       TEXT,                         -- users: emails[type eq "work"].value as given
    work_email_key   TEXT,                         -- lower-cased work email
    password_hash    TEXT,
    PRIMARY KEY (tenant_id, kind, id)
);

-- Uniqueness is enforced by the database, so it holds across processes and silos without any application lock.
-- Partial indexes: the planner uses them only when the query states kind as a literal, which the store does.
CREATE UNIQUE INDEX ux_resources_user_name ON resources (tenant_id, user_name_key) WHERE kind = 1;
CREATE UNIQUE INDEX ux_resources_group_display_name ON resources (tenant_id, display_name_key) WHERE kind = 2;
CREATE INDEX ix_resources_external_id ON resources (tenant_id, kind, external_id);
CREATE INDEX ix_resources_work_email ON resources (tenant_id, work_email_key) WHERE kind = 1;
-- Default list order (creation, then id) and meta filters page through this index instead of sorting the tenant.
CREATE INDEX ix_resources_created ON resources (tenant_id, kind, created, id);

-- Membership is one row per edge: adding or removing k members touches k rows whatever the group's size.
-- member_kind is copied from the member's row when the edge is created, so listing members needs no type probe.
CREATE TABLE memberships (
    tenant_id   TEXT NOT NULL,
    group_id    TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    member_kind INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, group_id, member_id)
) WITHOUT ROWID;

-- "Which groups is X in?" (user deletion, deactivation, groups attribute, nested-group walk).
CREATE INDEX ix_memberships_member ON memberships (tenant_id, member_id);

-- The transactional outbox / event feed. AUTOINCREMENT: sequence numbers are never reused, even after the newest
-- events of a deleted tenant are removed, so a consumer's cursor can never point at a recycled number.
CREATE TABLE events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     TEXT NOT NULL,
    type          TEXT NOT NULL,
    resource_kind INTEGER NOT NULL,
    resource_id   TEXT NOT NULL,
    occurred_at   INTEGER NOT NULL,
    data          TEXT
);

CREATE INDEX ix_events_tenant_seq ON events (tenant_id, seq);
