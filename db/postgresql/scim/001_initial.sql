-- SCIM store, PostgreSQL, version 1. Applied by PostgresMigrator (recorded in schema_version, under an advisory lock).
--
-- Every table leads with tenant_id: a tenant's rows are contiguous in every index, and the tables can later be
-- distributed by tenant_id (Citus) or a tenant moved to another database as a unit.
-- Text columns use the "C" collation: ids, keys and JSON values compare and sort by code point whatever locale the
-- database was created with, exactly like the SQLite store (and paging by id stays stable across servers).
-- Case-insensitive keys (*_key) are lower-cased by the application with ToLowerInvariant; filters fold JSON values
-- with lower(... COLLATE scim_fold), which uses the same simple Unicode case mapping.
-- Times are timestamptz: UTC with microsecond resolution, what StoreTime.Truncate produces.

-- The collation filters fold case with. Preference: PostgreSQL 17's builtin C.UTF-8 (simple case mapping, exactly
-- .NET's ToLowerInvariant), the C library's C.UTF-8 (simple case mapping per character, the same on glibc and musl),
-- ICU's root locale (full case mapping: differs only for final sigma and a few special letters).
DO $$
DECLARE
    source name;
BEGIN
    SELECT c.collname INTO source
    FROM pg_collation AS c
    WHERE c.collname IN ('pg_c_utf8', 'C.utf8', 'C.UTF-8', 'und-x-icu')
      AND c.collencoding IN (-1, pg_char_to_encoding('UTF8'))
    ORDER BY CASE c.collname WHEN 'pg_c_utf8' THEN 0 WHEN 'C.utf8' THEN 1 WHEN 'C.UTF-8' THEN 1 ELSE 2 END
    LIMIT 1;

    IF source IS NULL OR pg_char_to_encoding('UTF8') <> (SELECT encoding FROM pg_database WHERE datname = current_database()) THEN
        RAISE EXCEPTION 'The SCIM store needs a UTF-8 database with a C.UTF-8 or ICU collation to fold case.';
    END IF;

    EXECUTE format('CREATE COLLATION IF NOT EXISTS scim_fold FROM pg_catalog.%I', source);
END
$$;

CREATE TABLE tenants (
    tenant_id text COLLATE "C" NOT NULL,
    created   timestamptz NOT NULL,
    CONSTRAINT pk_tenants PRIMARY KEY (tenant_id)
);

CREATE TABLE resources (
    tenant_id        text COLLATE "C" NOT NULL,
    kind             integer NOT NULL,                 -- 1 = User, 2 = Group
    id               text COLLATE "C" NOT NULL,
    version          bigint NOT NULL,
    -- The resource exactly as the writer serialised it (attributes without meta/members/groups/password): returned
    -- byte for byte, so a cached copy and a reloaded one render the same. jsonb would reorder keys and respace it.
    json_text        text NOT NULL,
    -- The same document parsed once at write time, for filters (#>, jsonb_array_elements) and future GIN indexes.
    -- Generated, so it can never disagree with json_text.
    json             jsonb GENERATED ALWAYS AS (json_text::jsonb) STORED,
    created          timestamptz NOT NULL,
    last_modified    timestamptz NOT NULL,
    user_name        text COLLATE "C",                 -- users: userName as given
    user_name_key    text COLLATE "C",                 -- users: lower-cased userName (unique per tenant)
    external_id      text COLLATE "C",                 -- case-exact
    display_name     text COLLATE "C",                 -- displayName as given
    display_name_key text COLLATE "C",                 -- lower-cased displayName (unique per tenant for groups)
    active           boolean,                          -- users: NULL when absent
    work_email       text COLLATE "C",                 -- users: emails[type eq "work"].value as given
    work_email_key   text COLLATE "C",                 -- lower-cased work email
    password_hash    text,
    CONSTRAINT pk_resources PRIMARY KEY (tenant_id, kind, id)
);

-- Uniqueness is enforced by the database, so it holds across silos without any application lock; a violation is
-- SQLSTATE 23505 naming one of these indexes. Partial indexes: the store always states kind as a literal.
CREATE UNIQUE INDEX ux_resources_user_name ON resources (tenant_id, user_name_key) WHERE kind = 1;
CREATE UNIQUE INDEX ux_resources_group_display_name ON resources (tenant_id, display_name_key) WHERE kind = 2;
CREATE INDEX ix_resources_external_id ON resources (tenant_id, kind, external_id);
CREATE INDEX ix_resources_work_email ON resources (tenant_id, work_email_key) WHERE kind = 1;
-- Default list order (creation, then id) and meta filters page through this index instead of sorting the tenant.
CREATE INDEX ix_resources_created ON resources (tenant_id, kind, created, id);

-- Membership is one row per edge: adding or removing k members touches k rows whatever the group's size.
-- member_kind is copied from the member's row when the edge is created, so listing members needs no type probe.
CREATE TABLE memberships (
    tenant_id   text COLLATE "C" NOT NULL,
    group_id    text COLLATE "C" NOT NULL,
    member_id   text COLLATE "C" NOT NULL,
    member_kind integer NOT NULL,
    CONSTRAINT pk_memberships PRIMARY KEY (tenant_id, group_id, member_id)
);

-- "Which groups is X in?" (user deletion, deactivation, groups attribute, nested-group walk).
CREATE INDEX ix_memberships_member ON memberships (tenant_id, member_id);

-- The transactional outbox / event feed. Writers insert with position NULL and never lock anything shared; id is
-- only the insertion order, which is NOT the order in which commits become visible. ReadEventsAsync publishes:
-- under a per-tenant advisory lock it numbers the committed, unpublished events max(position)+1, +2, ... in id order.
-- A position, once given, never changes, and a reader can only ever see a prefix 1..n of them: the feed is gap-free.
CREATE TABLE events (
    tenant_id     text COLLATE "C" NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    position      bigint,
    type          text NOT NULL,
    resource_kind integer NOT NULL,
    resource_id   text COLLATE "C" NOT NULL,
    occurred_at   timestamptz NOT NULL,
    data          text,                                -- the payload exactly as written (a snapshot, not queried)
    CONSTRAINT pk_events PRIMARY KEY (tenant_id, id)
);

-- The feed read (position > cursor ORDER BY position) and max(position); NULLs are distinct, so unpublished rows
-- do not collide. Unique: a second publisher bug would fail loudly instead of handing one position out twice.
CREATE UNIQUE INDEX ux_events_position ON events (tenant_id, position);
-- The publisher's work list: small, since events are published as soon as anyone reads the feed.
CREATE INDEX ix_events_unpublished ON events (tenant_id, id) WHERE position IS NULL;
