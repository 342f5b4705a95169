namespace ScimOrleans.Storage;

/// <summary>
/// The resource row a commit writes: an insert, or (with <see cref="ExpectedVersion"/>) an update guarded by the
/// version the writer's copy is at.
/// </summary>
internal sealed record RowWrite(ResourceRow Row, string? PasswordHash, long? ExpectedVersion)
{
    public static RowWrite Insert(ResourceRow row, string? passwordHash) => new(row, passwordHash, null);

    public static RowWrite Update(ResourceRow row, string? passwordHash, long expectedVersion) => new(row, passwordHash, expectedVersion);

    /// <summary>
    /// Binds the write's parameters (names without prefix): the row's columns, <c>password</c> and, for an update,
    /// <c>expected</c>. Search keys are lower-cased here; user-only columns are null on a group.
    /// </summary>
    public void BindTo<TParameters>(TParameters parameters)
        where TParameters : IRowParameters
    {
        var indexed = Row.Indexed;
        var isUser = Row.Kind == ResourceKind.User;
        parameters.Text("tenant", Row.TenantId);
        parameters.Kind("kind", Row.Kind);
        parameters.Text("id", Row.Id);
        parameters.Number("version", Row.Version);
        parameters.Text("json", Row.Json);
        parameters.Time("created", Row.Created);
        parameters.Time("modified", Row.LastModified);
        parameters.Text("userName", isUser ? indexed.UserName : null);
        parameters.Text("userNameKey", isUser ? indexed.UserName?.ToLowerInvariant() : null);
        parameters.Text("externalId", indexed.ExternalId);
        parameters.Text("displayName", indexed.DisplayName);
        parameters.Text("displayNameKey", indexed.DisplayName?.ToLowerInvariant());
        parameters.Flag("active", indexed.Active);
        parameters.Text("workEmail", isUser ? indexed.WorkEmail : null);
        parameters.Text("workEmailKey", isUser ? indexed.WorkEmail?.ToLowerInvariant() : null);
        parameters.Text("password", PasswordHash);
        if (ExpectedVersion is { } expected)
        {
            parameters.Number("expected", expected);
        }
    }
}
