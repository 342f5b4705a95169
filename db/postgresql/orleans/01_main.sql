-- ScimOrleans: Orleans AdoNet providers on PostgreSQL (cluster mode) -- 1 of 4: the query registry.
--
-- Apply 01_main, 02_clustering, 03_persistence, 04_reminders in that order (OrleansPostgresSchema does, in one
-- transaction under an advisory lock). Every script is idempotent: objects are created only when missing and
-- query rows are upserted, so re-running a newer script set also rolls out changed query texts.
--
-- The AdoNet providers (Microsoft.Orleans.{Clustering,Persistence,Reminders}.AdoNet 10.x, invariant "Npgsql")
-- run "SELECT QueryKey, QueryText FROM OrleansQuery" when they start and from then on issue only those texts,
-- binding parameters by name (@DeploymentId, @GrainIdHash, ...) and reading result columns by name. The tables
-- behind the queries are ours; the query keys, parameter names and result column names are the contract.
-- Requires PostgreSQL 15 or newer (03_persistence uses a NULLS NOT DISTINCT unique index).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
