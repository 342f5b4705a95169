namespace ScimOrleans.Storage;

/// <summary>The checks every store makes on a <see cref="ResourceCommit"/> before writing anything.</summary>
internal static class CommitRules
{
    /// <summary>Checks the parts of a commit that are the caller's bugs, not the client's, before anything is written.</summary>
    public static void Validate(ResourceCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Action != CommitAction.Delete)
        {
            if (commit.Row is null)
            {
                throw new ArgumentException($"{commit.Action} needs a Row.", nameof(commit));
            }

            if (commit.Row.TenantId != commit.TenantId || commit.Row.Kind != commit.Kind || commit.Row.Id != commit.Id)
            {
                throw new ArgumentException("The Row's tenant, kind and id must match the commit's.", nameof(commit));
            }

            if (commit.Row.Version != commit.ExpectedVersion + 1)
            {
                throw new ArgumentException(
                    $"The Row's version must be ExpectedVersion + 1 ({commit.ExpectedVersion + 1}), not {commit.Row.Version}.", nameof(commit));
            }
        }

        if (commit.Action == CommitAction.Create && commit.ExpectedVersion != 0)
        {
            throw new ArgumentException("A Create expects version 0.", nameof(commit));
        }

        if (commit.Membership is { IsEmpty: false } && commit.Kind != ResourceKind.Group)
        {
            throw new ArgumentException("Only groups have membership edits.", nameof(commit));
        }
    }

    /// <summary><see cref="Validate"/> for a commit that <see cref="IScimStore.CreateManyAsync"/> accepts: a Create.</summary>
    public static void ValidateCreate(ResourceCommit commit)
    {
        Validate(commit);
        if (commit.Action != CommitAction.Create)
        {
            throw new ArgumentException($"CreateManyAsync takes creates only, not {commit.Action}.", nameof(commit));
        }
    }
}
