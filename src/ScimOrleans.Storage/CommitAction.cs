namespace ScimOrleans.Storage;

/// <summary>What a <see cref="ResourceCommit"/> does to the resource row.</summary>
public enum CommitAction
{
    Create,
    Update,
    Delete,
}
