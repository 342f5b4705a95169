namespace ScimOrleans.Silo.Http;

/// <summary>Media types of the SCIM API.</summary>
public static class ScimMediaTypes
{
    public const string Scim = "application/scim+json";
    public const string ScimUtf8 = "application/scim+json; charset=utf-8";
}
