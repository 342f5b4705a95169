namespace ScimOrleans.Storage;

/// <summary>
/// One mutation of one resource, applied by <see cref="IScimStore.CommitAsync"/> as a single transaction that writes
/// the row, the membership edges it changes and the events it emits.
/// </summary>
/// <param name="ExpectedVersion">The version the writer's copy is at (0 for Create). A mismatch fails the commit with <see cref="StoreConcurrencyException"/>.</param>
/// <param name="Row">The new row for Create/Update, with Version = ExpectedVersion + 1; null for Delete.</param>
/// <param name="RowChanged">For Update: whether the attributes changed. The row is written when they did or when an edge changed.</param>
/// <param name="Membership">For groups: edge changes.</param>
/// <param name="RemoveFromAllGroups">For users (deactivation policy): drop every edge naming this resource as member.</param>
/// <param name="Events">Resource events to append when the commit changes something; the store adds one membership event per edge it actually adds or removes.</param>
/// <param name="PasswordHash">For users: the new password hash; <see cref="ClearPassword"/> removes it.</param>
public sealed record ResourceCommit(
    string TenantId,
    ResourceKind Kind,
    string Id,
    CommitAction Action,
    long ExpectedVersion,
    ResourceRow? Row,
    bool RowChanged,
    MembershipEdit? Membership,
    bool RemoveFromAllGroups,
    IReadOnlyList<EventDraft> Events,
    string? PasswordHash = null,
    bool ClearPassword = false);
