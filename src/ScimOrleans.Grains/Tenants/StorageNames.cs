namespace ScimOrleans.Grains.Tenants;

/// <summary>Names of the Orleans grain storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Tenant configuration and other Orleans-native state (AdoNet on SQLite or PostgreSQL).</summary>
    public const string Scim = "scim";
}
