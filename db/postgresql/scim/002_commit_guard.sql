-- An update's row write can travel in the same round trip as its COMMIT. The row was read and locked at its expected
-- version earlier in the transaction, so the guarded UPDATE always finds it; should it ever not (a row changed by hand,
-- a future code path that skips the lock), the write must fail the whole transaction instead of letting the events
-- and group bumps batched with it commit alone. scim_require_row raises serialization_failure (40001): the store
-- retries such a commit from the start, and the retry reports the row's real state (missing, or at another version).
CREATE FUNCTION scim_require_row(row_written boolean) RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT row_written THEN
        RAISE EXCEPTION 'the row to update is not at its expected version'
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN true;
END
$$;
