-- A group's version and lastModified change when its members do, including as a side effect of another resource's
-- commit: a user deactivated (removed from every group) or deleted, a group deleted (removed from its parents).
-- Until now that commit updated the group's row. A group every user is in ("All employees") then became one row that
-- every deactivation of a wave updated and held locked until its COMMIT had flushed: the wave queued on that row
-- (measured: 10k-user cluster run, the bump statement averaged 6.9 ms of waiting, deactivations 791/s against
-- 1,328/s with the same users in small groups only).
--
-- Such a commit now appends one row here per group it changed instead, which locks nothing shared. A group's
-- effective version is its row's version plus its rows here, its effective lastModified the later of the row's and
-- theirs (group_resources below). The group's own writes, and its loads by its grain, fold its rows into its row (delete
-- them and add their count in one statement), so the effective version never moves backwards or skips a change.
CREATE TABLE group_bumps (
    tenant_id text COLLATE "C" NOT NULL,
    group_id  text COLLATE "C" NOT NULL,
    id        bigint GENERATED ALWAYS AS IDENTITY,
    bumped_at timestamptz NOT NULL,
    CONSTRAINT pk_group_bumps PRIMARY KEY (tenant_id, group_id, id)
);

-- Groups as readers see them: every read of a group's row (by id, list pages, filters and sorts on meta) goes through
-- this view. Tenant, kind and id conditions reach the base table's indexes; the bump count is one index probe per group.
CREATE VIEW group_resources AS
SELECT r.tenant_id, r.kind, r.id,
       r.version + b.bumps AS version,
       r.json_text, r.json, r.created,
       GREATEST(r.last_modified, b.last_bumped) AS last_modified,
       r.user_name, r.user_name_key, r.external_id, r.display_name, r.display_name_key, r.active,
       r.work_email, r.work_email_key, r.password_hash
FROM resources AS r
CROSS JOIN LATERAL (
    SELECT count(*) AS bumps, max(g.bumped_at) AS last_bumped
    FROM group_bumps AS g
    WHERE g.tenant_id = r.tenant_id AND g.group_id = r.id
) AS b
WHERE r.kind = 2;
