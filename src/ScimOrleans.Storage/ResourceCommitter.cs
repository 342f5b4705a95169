using System.Globalization;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage;

/// <summary>
/// What a <see cref="ResourceCommit"/> means, for every engine: which statements run in which order, when a commit
/// changed nothing and is rolled back, which groups are bumped and which events are appended (one per edge actually
/// added or removed). The engine runs it inside one transaction and supplies the statements (<see cref="ICommitSession"/>).
/// Throwing fails the commit; <see cref="CommitApplied.Keep"/> false asks the engine to roll back.
/// </summary>
internal static class ResourceCommitter
{
    public static Task<CommitApplied> ApplyAsync(ICommitSession session, ResourceCommit commit, CancellationToken cancellationToken) =>
        commit.Action switch
        {
            CommitAction.Create => CreateAsync(session, commit, cancellationToken),
            CommitAction.Update => UpdateAsync(session, commit, cancellationToken),
            CommitAction.Delete => DeleteAsync(session, commit, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(commit), commit.Action, "Unknown commit action."),
        };

    private static async Task<CommitApplied> CreateAsync(ICommitSession session, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);
        var insert = RowWrite.Insert(row, commit.PasswordHash);
        IReadOnlyList<EdgeChange> removed = [];
        IReadOnlyList<EdgeChange> added = [];
        if (commit.Membership is { IsEmpty: false } edit)
        {
            // The row goes first: a taken id or name fails the commit before any member is locked.
            await session.WriteAsync(new CommitWrites(commit.TenantId, insert, [], at, []), cancellationToken);
            (removed, added) = await session.ApplyMembershipAsync(commit.TenantId, commit.Id, edit, cancellationToken);
            insert = null;
        }

        // Without members, the row and its events are written together: one round trip where the engine batches.
        var events = Events(commit.Events, removed, added);
        await session.WriteAsync(new CommitWrites(commit.TenantId, insert, [], at, events, EndsCommit: true), cancellationToken);
        return new CommitApplied(new CommitResult(true, row.Version, at, []).WithMembership(removed, added), Keep: true);
    }

    private static async Task<CommitApplied> UpdateAsync(ICommitSession session, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);

        // Checked (and locked, where writers run in parallel) before anything is decided: a stale writer learns it even
        // when its change turns out to be a no-op. Engines may send the edge statements in the same round trip; if the
        // row is not at the expected version their work is rolled back with the failed commit.
        var start = await session.StartUpdateAsync(
            commit.TenantId, commit.Kind, commit.Id, commit.ExpectedVersion, commit.Membership, commit.RemoveFromAllGroups, cancellationToken);
        var stored = Verify(start.Stored, commit);
        var (removed, added, dropped) = (start.Removed, start.Added, start.Dropped);

        var password = commit.PasswordHash ?? (commit.ClearPassword ? null : stored.PasswordHash);
        var passwordChanged = !string.Equals(password, stored.PasswordHash, StringComparison.Ordinal);
        var edgesChanged = removed.Count > 0 || added.Count > 0 || dropped.Count > 0;
        if (!commit.RowChanged && !edgesChanged && !passwordChanged)
        {
            // Rolled back: edges cleared and re-added by the edit are restored exactly as they were.
            return new CommitApplied(new CommitResult(false, commit.ExpectedVersion, stored.LastModified, [], []), Keep: false);
        }

        var touched = GroupsOf(dropped);
        var events = Events(commit.RowChanged ? commit.Events : [], removed, added, dropped);
        var update = RowWrite.Update(row, password, commit.ExpectedVersion);
        if (!await session.WriteAsync(new CommitWrites(commit.TenantId, update, touched, at, events, EndsCommit: true), cancellationToken))
        {
            // Cannot happen while the row is checked (and locked) above; kept as the guard the contract promises.
            throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' is not at version {commit.ExpectedVersion}.");
        }

        return new CommitApplied(new CommitResult(true, row.Version, at, touched).WithMembership(removed, added, dropped), Keep: true);
    }

    private static async Task<CommitApplied> DeleteAsync(ICommitSession session, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var at = StoreTime.Truncate(commit.Row?.LastModified ?? DateTimeOffset.UtcNow);

        // The version test is part of the delete, so a row changed meanwhile by another writer is not deleted.
        if (!await session.DeleteRowAsync(commit.TenantId, commit.Kind, commit.Id, commit.ExpectedVersion, cancellationToken))
        {
            // Throws NotFound or a version mismatch.
            Verify(await session.LockCurrentAsync(commit.TenantId, commit.Kind, commit.Id, cancellationToken), commit);
            throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' could not be deleted.");
        }

        if (commit.Kind == ResourceKind.Group)
        {
            // The group's own edges go with it; its group.deleted event covers them.
            await session.DeleteGroupEdgesAsync(commit.TenantId, commit.Id, cancellationToken);
        }

        var dropped = await session.RemoveFromAllGroupsAsync(commit.TenantId, commit.Id, commit.Kind, cancellationToken);
        var touched = GroupsOf(dropped);
        var events = Events(commit.Events, dropped, []);
        await session.WriteAsync(new CommitWrites(commit.TenantId, null, touched, at, events, EndsCommit: true), cancellationToken);
        return new CommitApplied(new CommitResult(true, commit.ExpectedVersion, at, touched).WithMembershipDropped(dropped), Keep: true);
    }

    /// <summary>The stored row; 404 when it is missing, a concurrency failure when it is not at the expected version.</summary>
    private static StoredVersion Verify(StoredVersion? found, ResourceCommit commit)
    {
        var stored = found ?? throw ScimException.NotFound($"{commit.Kind} '{commit.Id}' not found.");
        if (stored.Version != commit.ExpectedVersion)
        {
            throw new StoreConcurrencyException(
                $"{commit.Kind} '{commit.Id}' is at version {stored.Version.ToString(CultureInfo.InvariantCulture)}, not {commit.ExpectedVersion.ToString(CultureInfo.InvariantCulture)}.");
        }

        return stored;
    }

    /// <summary>The distinct groups of <paramref name="edges"/>, in the edges' order: a commit's TouchedGroups.</summary>
    internal static List<string> GroupsOf(IReadOnlyList<EdgeChange> edges) =>
        edges.Select(e => e.GroupId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The commit's own events, then one per edge: the removed ones, the added ones, the dropped ones.</summary>
    private static List<EventDraft> Events(
        IReadOnlyList<EventDraft> own, IReadOnlyList<EdgeChange> removed, IReadOnlyList<EdgeChange> added, IReadOnlyList<EdgeChange>? dropped = null)
    {
        var events = new List<EventDraft>(own);
        events.AddRange(removed.Select(e => MembershipEvents.For(e.GroupId, e.MemberId, e.MemberKind, added: false)));
        events.AddRange(added.Select(e => MembershipEvents.For(e.GroupId, e.MemberId, e.MemberKind, added: true)));
        events.AddRange((dropped ?? []).Select(e => MembershipEvents.For(e.GroupId, e.MemberId, e.MemberKind, added: false)));
        return events;
    }
}
