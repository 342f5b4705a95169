-- ScimOrleans: Orleans AdoNet providers on PostgreSQL -- 4 of 4: reminders.
--
-- One row per (service, grain, reminder name). GrainHash is the grain's uniform hash stored as a signed int; each
-- silo reads the reminders of its slice of the hash ring: ReadRangeRows1Key when the slice does not wrap
-- (BeginHash < EndHash as signed ints), ReadRangeRows2Key when it does. Version is the reminder's ETag.
--
-- Query contract:
--   UpsertReminderRowKey  @ServiceId @GrainId @ReminderName @StartTime @Period (ms) @GrainHash -> Version
--   ReadReminderRowsKey   @ServiceId @GrainId                  -> GrainId ReminderName StartTime Period Version
--   ReadReminderRowKey    @ServiceId @GrainId @ReminderName    -> the same columns, at most one row
--   ReadRangeRows1Key     @ServiceId @BeginHash @EndHash       -> the same columns
--   ReadRangeRows2Key     @ServiceId @BeginHash @EndHash       -> the same columns
--   DeleteReminderRowKey  @ServiceId @GrainId @ReminderName @Version -> one count (>0 = deleted)
--   DeleteReminderRowsKey @ServiceId

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(512) NOT NULL,
    ReminderName varchar(256) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_Ring
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $sql$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = r.Version + 1
RETURNING r.Version AS Version;
$sql$),

('ReadReminderRowsKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
$sql$),

('ReadReminderRowKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
$sql$),

('ReadRangeRows1Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$sql$),

('ReadRangeRows2Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$sql$),

('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*) FROM deleted;
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
