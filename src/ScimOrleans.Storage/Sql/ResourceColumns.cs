namespace ScimOrleans.Storage.Sql;

/// <summary>Names shared by the SQL of both stores: the resource row alias and the columns a row is read from.</summary>
internal static class ResourceColumns
{
    /// <summary>The alias every generated predicate uses for the resource row.</summary>
    public const string Alias = "r";

    /// <summary>The columns a <see cref="ResourceRow"/> is built from, in reading order.</summary>
    public const string SelectList =
        "r.tenant_id, r.kind, r.id, r.version, r.json, r.created, r.last_modified, r.user_name, r.external_id, r.display_name, r.active, r.work_email";
}
