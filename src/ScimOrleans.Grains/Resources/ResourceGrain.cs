using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Grains.Security;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Patching;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>
/// The shared life of a user or group grain: load the row once, serve reads from memory, and turn each mutation
/// into one version-checked store commit (row, edges, events). A lost version race (another silo's activation
/// during a membership change, or a side effect of another grain's commit) reloads and re-applies the request.
/// </summary>
public abstract class ResourceGrain : Grain, IResourceGrain
{
    private readonly ILogger logger;
    private readonly ScimGrainOptions options;
    private readonly PasswordHasher passwordHasher;
    private readonly ITenantSchemaProvider schemas;
    private readonly UserGroupsInvalidator groupsInvalidator;
    private ResourceRow? row;
    private JsonObject? attributes;
    private bool loaded;

    protected ResourceGrain(IScimStore store, ITenantSchemaProvider schemas, IOptions<ScimGrainOptions> options, UserGroupsInvalidator groupsInvalidator, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Store = store;
        this.schemas = schemas;
        this.groupsInvalidator = groupsInvalidator;
        this.options = options.Value;
        this.logger = logger;
        passwordHasher = new PasswordHasher(this.options.PasswordHashIterations);
    }

    protected IScimStore Store { get; }

    protected string TenantId { get; private set; } = "";

    protected string ResourceId { get; private set; } = "";

    protected abstract ResourceKind Kind { get; }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (TenantId, ResourceId) = ResourceKeys.Parse(this.GetPrimaryKeyString());
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<ResourceResult> Create(string body) => Guard(async () =>
    {
        // No read before a create: ids are fresh GUIDs, and should one exist after all, the store's primary key
        // refuses the insert (StoreConcurrencyException below). Saves a round trip on the bulk-provisioning path.
        if (loaded && row is not null)
        {
            return AlreadyExists();
        }

        // The tenant's schema: its registered extensions are validated like core attributes.
        var schema = await schemas.GetAsync(TenantId, Kind);
        var commit = ResourceCreation.Prepare(TenantId, Kind, ResourceId, schema, ScimJson.ParseObject(body), passwordHasher);
        var since = groupsInvalidator.BeforeCommit();
        var created = groupsInvalidator.BeforeCreate(TenantId, ResourceId);
        CommitResult result;
        try
        {
            result = await Store.CommitAsync(commit);
        }
        catch (StoreConcurrencyException)
        {
            Forget();
            return AlreadyExists();
        }

        // The new resource is in no group yet; a group created with members changed those members' groups.
        created.Created();
        await AfterCommitAsync(result, groupRenamedOrDeleted: false, commit.Row!, since);

        // Only the row is kept: most provisioned resources are never changed again, and the parsed tree costs several
        // times the text. A later change parses it once (CurrentAttributes).
        Remember(commit.Row!, null);
        return ResourceResult.Success(Snapshot(commit.Row!), true);
    });
    public Task<ResourceResult> Get() => Guard(async () =>
    {
        await EnsureLoadedAsync(forRead: true);
        return row is null ? NotFound() : ResourceResult.Success(Snapshot(row), false);
    });

    public Task<ResourceResult> Replace(string body, string? ifMatch)
    {
        var request = ScimJsonOrNull(body, out var parseError);
        return parseError is not null
            ? Task.FromResult(Failure(parseError))
            : Mutate(ifMatch, (schema, current) => ResourceWriter.PrepareReplace(schema, current, request!));
    }

    public Task<ResourceResult> Patch(string body, string? ifMatch)
    {
        var request = ScimJsonOrNull(body, out var parseError);
        return parseError is not null
            ? Task.FromResult(Failure(parseError))
            : Mutate(ifMatch, (schema, current) => PatchEngine.Apply(schema, current, request!));
    }

    public Task<ResourceResult> Delete(string? ifMatch) => Guard(async () =>
    {
        for (var attempt = 1; ; attempt++)
        {
            await EnsureLoadedAsync();
            if (row is null)
            {
                return NotFound();
            }

            if (!EntityTags.Matches(ifMatch, row.Version))
            {
                return PreconditionFailed(row);
            }

            var commit = new ResourceCommit(
                TenantId, Kind, ResourceId, CommitAction.Delete, row.Version, null, true, null, false,
                [new EventDraft($"{ResourceEvents.Prefix(Kind)}.deleted", Kind, ResourceId, null)]);
            var since = groupsInvalidator.BeforeCommit();
            CommitResult result;
            try
            {
                result = await Store.CommitAsync(commit);
            }
            catch (StoreConcurrencyException) when (attempt < options.MaxWriteAttempts)
            {
                Forget();
                continue;
            }

            Forget();
            loaded = true;
            await AfterCommitAsync(result, groupRenamedOrDeleted: Kind == ResourceKind.Group, null, since);
            DeactivateOnIdle();
            return ResourceResult.Deleted;
        }
    });

    public Task Invalidate()
    {
        Forget();
        return Task.CompletedTask;
    }

    /// <summary>Kind-specific consequences of an update (user lifecycle); the default has none.</summary>
    protected virtual ValueTask<LifecycleEffect> PlanLifecycleAsync(JsonObject current, JsonObject updated, ResourceRow updatedRow) =>
        ValueTask.FromResult(LifecycleEffect.None);

    protected static EventDraft Event(string action, ResourceRow eventRow) => ResourceEvents.For(action, eventRow);

    /// <summary>
    /// Reads this resource's row from the store (null when it does not exist): the grain's first read of it, for a read
    /// (<paramref name="forRead"/>) or a write.
    /// </summary>
    protected virtual Task<ResourceRow?> LoadAsync(bool forRead) => Store.GetAsync(TenantId, Kind, ResourceId);

    private Task<ResourceResult> Mutate(string? ifMatch, Func<ResourceSchema, JsonObject, WriteOutcome> prepare) => Guard(async () =>
    {
        for (var attempt = 1; ; attempt++)
        {
            await EnsureLoadedAsync();
            if (row is null)
            {
                return NotFound();
            }

            if (!EntityTags.Matches(ifMatch, row.Version))
            {
                return PreconditionFailed(row);
            }

            var current = CurrentAttributes();
            var outcome = prepare(await schemas.GetAsync(TenantId, Kind), current);
            LogIgnored(outcome.IgnoredAttributes);
            var passwordChanged = outcome.NewPassword is not null || outcome.PasswordCleared;
            var membership = await ResolveMembershipAsync(outcome.Members);
            if (!outcome.Changed && !passwordChanged && membership is null)
            {
                return ResourceResult.Success(Snapshot(row), false);
            }

            var updated = ResourceAttributes.WithId(outcome.Resource, ResourceId);
            var now = ResourceClock.Now();
            var rowChanged = outcome.Changed || passwordChanged;
            var newRow = new ResourceRow(TenantId, Kind, ResourceId, row.Version + 1, updated.ToJsonString(), row.Created, now, IndexedAttributeReader.Read(Kind, updated));
            var lifecycle = await PlanLifecycleAsync(current, updated, newRow);
            var events = new List<EventDraft>(2);
            if (rowChanged && lifecycle.AttributesOtherThanLifecycleChanged)
            {
                events.Add(Event("updated", newRow));
            }

            events.AddRange(lifecycle.Events);
            var commit = new ResourceCommit(
                TenantId, Kind, ResourceId, CommitAction.Update, row.Version, newRow, rowChanged, membership,
                lifecycle.RemoveFromAllGroups, events,
                PasswordHash: outcome.NewPassword is { } password ? passwordHasher.Hash(password) : null,
                ClearPassword: outcome.PasswordCleared);
            var since = groupsInvalidator.BeforeCommit();
            CommitResult result;
            try
            {
                result = await Store.CommitAsync(commit);
            }
            catch (StoreConcurrencyException) when (attempt < options.MaxWriteAttempts)
            {
                Forget();
                continue;
            }

            if (!result.Changed)
            {
                return ResourceResult.Success(Snapshot(row), false);
            }

            var committed = newRow with { Version = result.Version, LastModified = result.LastModified };
            var renamed = Kind == ResourceKind.Group && !string.Equals(row.Indexed.DisplayName, newRow.Indexed.DisplayName, StringComparison.Ordinal);
            Remember(committed, updated);
            await AfterCommitAsync(result, renamed, committed, since);
            return ResourceResult.Success(Snapshot(committed), true) with { InNoGroup = commit.RemoveFromAllGroups };
        }
    });

    /// <summary>
    /// Turns the request's member changes into edge edits. A full replacement (PUT, or PATCH replace of
    /// <c>members</c>) is diffed against the current edges so that only real changes become writes and events:
    /// Okta sends the whole member list on every group change.
    /// </summary>
    private async Task<MembershipEdit?> ResolveMembershipAsync(MemberChanges? changes)
    {
        if (changes is null || changes.IsEmpty)
        {
            return null;
        }

        var added = changes.Added.Select(m => m.Value).ToList();
        if (!changes.ClearExisting)
        {
            return new MembershipEdit(false, added, changes.Removed);
        }

        var current = await Store.GetMembersAsync(TenantId, ResourceId, int.MaxValue);
        var wanted = added.ToHashSet(StringComparer.Ordinal);
        var present = current.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var toRemove = present.Where(id => !wanted.Contains(id)).ToList();
        var toAdd = added.Where(id => !present.Contains(id)).ToList();
        return toRemove.Count == 0 && toAdd.Count == 0 ? null : new MembershipEdit(false, toAdd, toRemove);
    }

    private static async Task<ResourceResult> Guard(Func<Task<ResourceResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ScimException error)
        {
            return Failure(error);
        }
    }

    /// <param name="forRead">The load serves a read, which goes on to show what <see cref="LoadAsync"/> may bring along.</param>
    private async Task EnsureLoadedAsync(bool forRead = false)
    {
        if (loaded)
        {
            return;
        }

        var stored = await LoadAsync(forRead);
        if (stored is null)
        {
            Forget();
        }
        else
        {
            Remember(stored, null);
        }

        loaded = true;
    }

    /// <summary>The hot copy's attributes as a tree, parsed from the row on first need (reads need only the text).</summary>
    private JsonObject CurrentAttributes() => attributes ??= JsonNode.Parse(row!.Json)!.AsObject();

    private void Remember(ResourceRow newRow, JsonObject? newAttributes)
    {
        row = newRow;
        attributes = newAttributes;
        loaded = true;
    }

    private void Forget()
    {
        row = null;
        attributes = null;
        loaded = false;
    }

    /// <summary>
    /// What every acknowledged commit owes other grains and silos: groups whose edges it changed as a side effect reload
    /// on their next call, and the users whose <c>groups</c> it changed are updated or forgotten by every silo's cache.
    /// </summary>
    /// <param name="committedRow">The resource as committed; null after a delete.</param>
    /// <param name="since">The groups cache's ticket taken before the commit started.</param>
    private Task AfterCommitAsync(CommitResult result, bool groupRenamedOrDeleted, ResourceRow? committedRow, long since)
    {
        InvalidateGroups(result.TouchedGroups);
        return groupsInvalidator.AfterCommitAsync(
            TenantId, Kind, ResourceId, result, groupRenamedOrDeleted, committedRow?.Indexed.DisplayName, since);
    }

    private void InvalidateGroups(IReadOnlyList<string> groupIds)
    {
        foreach (var groupId in groupIds)
        {
            if (Kind == ResourceKind.Group && groupId == ResourceId)
            {
                continue;
            }

            // One-way: the group reloads on its next call; nothing here waits for it.
            _ = GrainFactory.GetGroupGrain(TenantId, groupId).Invalidate();
        }
    }

    /// <summary>
    /// Unknown attributes are dropped, not rejected; an operator should still learn which ones an IdP sends. Each
    /// (tenant, kind, attribute) is reported once per silo at Information, every occurrence at Debug.
    /// </summary>
    private void LogIgnored(IReadOnlyList<string> ignored)
    {
        foreach (var attribute in ignored)
        {
            if (logger.IsEnabled(LogLevel.Information) && IgnoredAttributeLog.FirstSighting(TenantId, Kind, attribute))
            {
                logger.LogInformation("Tenant {Tenant} sends attribute '{Attribute}' on {Kind}, which no schema defines; it is ignored (reported once).", TenantId, attribute, Kind);
            }
        }

        if (ignored.Count > 0 && logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Ignored unknown attributes on {Kind} {Id} of tenant {Tenant}: {Attributes}", Kind, ResourceId, TenantId, string.Join(", ", ignored));
        }
    }

    private static JsonObject? ScimJsonOrNull(string body, out ScimException? error)
    {
        try
        {
            error = null;
            return ScimJson.ParseObject(body);
        }
        catch (ScimException e)
        {
            error = e;
            return null;
        }
    }

    private static ResourceSnapshot Snapshot(ResourceRow stored) =>
        new(stored.Id, stored.Json, stored.Version, stored.Created, stored.LastModified);

    private ResourceResult AlreadyExists() =>
        Failure(ResourceCreation.IdTaken(Kind, ResourceId));

    private ResourceResult NotFound() =>
        ResourceResult.Failure(404, null, $"{ResourceRepresentation.ResourceTypeName(Kind)} '{ResourceId}' not found.");

    private static ResourceResult PreconditionFailed(ResourceRow current) =>
        ResourceResult.Failure(412, null, $"If-Match does not match the current version {EntityTags.ForVersion(current.Version)}.");

    private static ResourceResult Failure(ScimException error) => ResourceResult.Failure(error.Status, error.ScimType, error.Detail);
}
