-- ScimOrleans: Orleans grain state on SQLite (embedded mode).
--
-- Consumed by Microsoft.Orleans.Persistence.AdoNet 10.x, registered with the ADO.NET invariant
-- "System.Data.SQLite" and served by the Microsoft.Data.Sqlite driver. At start-up the provider runs
--     SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey = ...
-- and from then on issues only the query texts stored below. What the provider relies on:
--   * rows ReadFromStorageKey, WriteToStorageKey, ClearStorageKey (required) and DeleteStorageKey
--     (used only with DeleteStateOnClear = true);
--   * parameters @GrainIdHash, @GrainTypeHash (int), @GrainIdN0, @GrainIdN1 (long), @GrainTypeString,
--     @GrainIdExtensionString (may be null), @ServiceId (text), @GrainStateVersion (int, null before the first
--     write), @PayloadBinary (blob, write only);
--   * result columns PayloadBinary and Version (read), NewGrainStateVersion (write, clear, delete).
--     A write or clear that loses the optimistic-concurrency check returns no row; the provider turns that
--     into an InconsistentStateException.
-- Note: "GrainTypeString" carries the grain *state name*, not the grain class, so two grain classes that use
-- the same key and the same state name share a row. See docs/adr/0001-orleans-adonet-schemas.md.
--
-- Idempotent: tables and indexes are created only when missing and the query rows are upserted, so running
-- this script again (every silo start does) also rolls out changed query texts.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,  -- hash of the grain key (and extension)
    GrainIdN0              INTEGER NOT NULL,  -- numeric/guid keys: high part, else 0
    GrainIdN1              INTEGER NOT NULL,  -- numeric/guid keys: low part, else 0
    GrainTypeHash          INTEGER NOT NULL,  -- hash of GrainTypeString
    GrainTypeString        TEXT    NOT NULL,  -- the state name
    GrainIdExtensionString TEXT    NULL,      -- string keys, or the extension of a compound key
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,      -- serialized state; NULL once cleared
    ModifiedOn             TEXT    NOT NULL,  -- UTC, informational only
    Version                INTEGER NULL       -- the ETag; bumped by every write and clear
);

-- SQLite serialises writers, and the insert below only happens when no row exists, so a narrow lookup index is
-- enough here; the collision-resolving columns are compared in the queries.
CREATE INDEX IF NOT EXISTS IX_OrleansStorage_Lookup
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
ORDER BY Version DESC
LIMIT 1;
'),
-- Two statements, exactly one of which can apply: with a known version the row is updated in place (and only
-- if nobody else bumped it meanwhile); without one a first row is inserted (and only if none exists yet).
('WriteToStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND @GrainStateVersion IS NOT NULL
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;

INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
     ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
       @ServiceId, @PayloadBinary, CURRENT_TIMESTAMP, 1
WHERE @GrainStateVersion IS NULL
  AND NOT EXISTS (
        SELECT 1
        FROM OrleansStorage
        WHERE GrainIdHash = @GrainIdHash
          AND GrainTypeHash = @GrainTypeHash
          AND ServiceId = @ServiceId
          AND GrainTypeString = @GrainTypeString
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND GrainIdExtensionString IS @GrainIdExtensionString)
RETURNING Version AS NewGrainStateVersion;
'),
-- Clearing keeps the row (payload NULL) and bumps the version, so a stale activation cannot resurrect it.
('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = CURRENT_TIMESTAMP,
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
'),
-- DeleteStateOnClear = true: the row goes away. The provider expects a value different from the version it sent.
('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
