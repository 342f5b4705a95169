-- ScimOrleans: Orleans AdoNet providers on PostgreSQL -- 2 of 4: cluster membership.
--
-- One version row per cluster (DeploymentId = ClusterOptions.ClusterId) and one row per silo incarnation.
-- Every membership change must bump the version row in the same statement, conditionally on the version the
-- silo last read (optimistic concurrency on the whole table). Each query below is a single statement, hence
-- atomic: when the version check fails nothing changes and the query answers 0.
--
-- Query contract (parameters in, result columns out):
--   InsertMembershipVersionKey      @DeploymentId                                  -> one count (>0 = inserted)
--   InsertMembershipKey             @DeploymentId @Address @Port @Generation @SiloName @HostName @Status
--                                   @ProxyPort @StartTime @IAmAliveTime @Version   -> one count (>0 = success)
--   UpdateMembershipKey             @DeploymentId @Address @Port @Generation @Status @SuspectTimes
--                                   @IAmAliveTime @Version                         -> one count (>0 = success)
--   UpdateIAmAlivetimeKey           @DeploymentId @Address @Port @Generation @IAmAliveTime
--   MembershipReadRowKey            @DeploymentId @Address @Port @Generation      -> membership columns + Version
--   MembershipReadAllKey            @DeploymentId                                  -> membership columns + Version
--   GatewaysQueryKey                @DeploymentId @Status                          -> Address ProxyPort Generation
--   DeleteMembershipTableEntriesKey @DeploymentId
--   CleanupDefunctSiloEntriesKey    @DeploymentId @IAmAliveTime
-- The read queries always return the version row (a LEFT JOIN), with NULL silo columns when there is no silo.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,  -- IPv4 or IPv6 text
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,  -- Orleans.Runtime.SiloStatus (3 = Active)
    ProxyPort    integer      NOT NULL,  -- gateway port, 0 when the silo is no gateway
    SuspectTimes text         NULL,      -- "silo,time|silo,time", written and parsed by Orleans
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM created;
$sql$),

('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        Timestamp = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND NOT EXISTS (
            SELECT 1
            FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId
              AND Address = @Address
              AND Port = @Port
              AND Generation = @Generation)
    RETURNING DeploymentId
), inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1
)
SELECT count(*) FROM inserted;
$sql$),

('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        Timestamp = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND EXISTS (
            SELECT 1
            FROM OrleansMembershipTable
            WHERE DeploymentId = @DeploymentId
              AND Address = @Address
              AND Port = @Port
              AND Generation = @Generation)
    RETURNING DeploymentId
), updated AS (
    UPDATE OrleansMembershipTable AS silo
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM bumped
    WHERE silo.DeploymentId = bumped.DeploymentId
      AND silo.Address = @Address
      AND silo.Port = @Port
      AND silo.Generation = @Generation
    RETURNING 1
)
SELECT count(*) FROM updated;
$sql$),

-- Liveness heartbeat: deliberately does not touch the version row.
('UpdateIAmAlivetimeKey', $sql$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$sql$),

('MembershipReadRowKey', $sql$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.DeploymentId,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime,
       v.Version
FROM OrleansMembershipVersionTable AS v
LEFT JOIN OrleansMembershipTable AS m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$sql$),

('GatewaysQueryKey', $sql$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$sql$),

('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$sql$),

-- Forgets silos that are not Active (3) and have not reported for longer than the provider's cut-off.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND IAmAliveTime < @IAmAliveTime
  AND Status <> 3;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
