namespace ScimOrleans.Protocol.Schemas;

/// <summary>The built-in schemas and resource types: core User, Enterprise User, core Group (RFC 7643 §4, §8.7).</summary>
public static class ScimSchemas
{
    /// <summary>Core User schema, including <c>password</c> (writeOnly, returned never) and <c>groups</c> (readOnly).</summary>
    public static SchemaDefinition User => throw new NotImplementedException();

    /// <summary>Enterprise User extension: employeeNumber, costCenter, organization, division, department, manager.</summary>
    public static SchemaDefinition EnterpriseUser => throw new NotImplementedException();

    /// <summary>Core Group schema: displayName (required) and members (value, $ref, type, display).</summary>
    public static SchemaDefinition Group => throw new NotImplementedException();

    public static ResourceTypeDefinition UserResourceType => throw new NotImplementedException();

    public static ResourceTypeDefinition GroupResourceType => throw new NotImplementedException();

    /// <summary>User with the enterprise extension.</summary>
    public static ResourceSchema UserResource => throw new NotImplementedException();

    /// <summary>Group with no extensions.</summary>
    public static ResourceSchema GroupResource => throw new NotImplementedException();
}
