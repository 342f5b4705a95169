namespace ScimOrleans.Storage;

/// <summary>What a commit did.</summary>
/// <param name="Changed">False when nothing changed (no row written, no event appended).</param>
/// <param name="Version">The resource's version after the commit.</param>
/// <param name="LastModified">The resource's lastModified after the commit.</param>
/// <param name="TouchedGroups">Groups whose edges (and so version) changed as a side effect, e.g. on user deactivation or deletion.</param>
public sealed record CommitResult(bool Changed, long Version, DateTimeOffset LastModified, IReadOnlyList<string> TouchedGroups);
