namespace ScimOrleans.Protocol.Schemas;

/// <summary>The built-in schemas and resource types: core User, Enterprise User, core Group (RFC 7643 §4, §8.7).</summary>
public static class ScimSchemas
{
    // Field order matters: static initialisers run top to bottom and the resources need the schemas.
    private static readonly SchemaDefinition s_user = BuildUser();
    private static readonly SchemaDefinition s_enterpriseUser = BuildEnterpriseUser();
    private static readonly SchemaDefinition s_group = BuildGroup();

    private static readonly ResourceTypeDefinition s_userResourceType = new(
        "User",
        "/Users",
        "User Account",
        ScimUris.User,
        [new SchemaExtensionReference(ScimUris.EnterpriseUser, Required: false)]);

    private static readonly ResourceTypeDefinition s_groupResourceType = new("Group", "/Groups", "Group", ScimUris.Group, []);

    private static readonly ResourceSchema s_userResource = new(s_userResourceType, s_user, [s_enterpriseUser]);
    private static readonly ResourceSchema s_groupResource = new(s_groupResourceType, s_group, []);

    /// <summary>Core User schema, including <c>password</c> (writeOnly, returned never) and <c>groups</c> (readOnly).</summary>
    public static SchemaDefinition User => s_user;

    /// <summary>Enterprise User extension: employeeNumber, costCenter, organization, division, department, manager.</summary>
    public static SchemaDefinition EnterpriseUser => s_enterpriseUser;

    /// <summary>Core Group schema: displayName (required) and members (value, $ref, type, display).</summary>
    public static SchemaDefinition Group => s_group;

    public static ResourceTypeDefinition UserResourceType => s_userResourceType;

    public static ResourceTypeDefinition GroupResourceType => s_groupResourceType;

    /// <summary>User with the enterprise extension.</summary>
    public static ResourceSchema UserResource => s_userResource;

    /// <summary>Group with no extensions.</summary>
    public static ResourceSchema GroupResource => s_groupResource;

    private static AttributeDefinition Text(string name, string description) => new() { Name = name, Description = description };

    private static AttributeDefinition Primary(string of) => new()
    {
        Name = "primary",
        Type = AttributeType.Boolean,
        Description = $"Whether this is the primary {of}; at most one value may be primary.",
    };

    private static AttributeDefinition TypeAttribute(string of, params string[] canonical) => new()
    {
        Name = "type",
        CanonicalValues = canonical,
        Description = $"A label indicating the {of}'s function.",
    };

    /// <summary>The value/display/type/primary shape shared by most multi-valued User attributes.</summary>
    private static AttributeDefinition MultiValued(
        string name,
        string description,
        AttributeDefinition value,
        params string[] canonicalTypes) => new()
        {
            Name = name,
            Type = AttributeType.Complex,
            MultiValued = true,
            Description = description,
            SubAttributes =
            [
                value,
                Text("display", "A human-readable name, primarily used for display purposes."),
                TypeAttribute(name.TrimEnd('s'), canonicalTypes),
                Primary(name.TrimEnd('s')),
            ],
        };

    private static SchemaDefinition BuildUser() => new(
        ScimUris.User,
        "User",
        "User Account",
        [
            new()
            {
                Name = "userName",
                Required = true,
                Uniqueness = Uniqueness.Server,
                Description = "Unique identifier for the User, typically used to sign in; case-insensitive.",
            },
            new()
            {
                Name = "name",
                Type = AttributeType.Complex,
                Description = "The components of the user's real name.",
                SubAttributes =
                [
                    Text("formatted", "The full name, formatted for display."),
                    Text("familyName", "The family name (last name)."),
                    Text("givenName", "The given name (first name)."),
                    Text("middleName", "The middle name(s)."),
                    Text("honorificPrefix", "The honorific prefix(es), e.g. 'Ms.'."),
                    Text("honorificSuffix", "The honorific suffix(es), e.g. 'III'."),
                ],
            },
            Text("displayName", "The name of the User, suitable for display to end-users."),
            Text("nickName", "The casual way to address the user."),
            new()
            {
                Name = "profileUrl",
                Type = AttributeType.Reference,
                ReferenceTypes = ["external"],
                Description = "A fully qualified URL pointing to the User's online profile.",
            },
            Text("title", "The user's title, such as 'Vice President'."),
            Text("userType", "The relationship between the organization and the user."),
            Text("preferredLanguage", "The user's preferred written or spoken language (RFC 7231 Accept-Language)."),
            Text("locale", "The user's default location for localization."),
            Text("timezone", "The user's time zone in IANA format, e.g. 'America/Los_Angeles'."),
            new() { Name = "active", Type = AttributeType.Boolean, Description = "The user's administrative status." },
            new()
            {
                Name = "password",
                Mutability = Mutability.WriteOnly,
                Returned = Returned.Never,
                Description = "The user's clear-text password; never returned.",
            },
            MultiValued(
                "emails",
                "Email addresses for the user.",
                Text("value", "Email address for the user."),
                "work", "home", "other"),
            MultiValued(
                "phoneNumbers",
                "Phone numbers for the user.",
                Text("value", "Phone number of the user."),
                "work", "home", "mobile", "fax", "pager", "other"),
            MultiValued(
                "ims",
                "Instant messaging addresses for the user.",
                Text("value", "Instant messaging address for the user."),
                "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"),
            MultiValued(
                "photos",
                "URLs of images of the user.",
                new()
                {
                    Name = "value",
                    Type = AttributeType.Reference,
                    ReferenceTypes = ["external"],
                    Description = "URL of a photo of the user.",
                },
                "photo", "thumbnail"),
            new()
            {
                Name = "addresses",
                Type = AttributeType.Complex,
                MultiValued = true,
                Description = "A physical mailing address for this user.",
                SubAttributes =
                [
                    Text("formatted", "The full mailing address, formatted for display."),
                    Text("streetAddress", "The full street address component."),
                    Text("locality", "The city or locality component."),
                    Text("region", "The state or region component."),
                    Text("postalCode", "The zip code or postal code component."),
                    Text("country", "The country name component."),
                    TypeAttribute("address", "work", "home", "other"),
                    Primary("address"),
                ],
            },
            new()
            {
                Name = "groups",
                Type = AttributeType.Complex,
                MultiValued = true,
                Mutability = Mutability.ReadOnly,
                Description = "The groups the user belongs to, directly or indirectly; changed through the Group resource.",
                SubAttributes =
                [
                    // caseExact like the id it holds (and like Group members.value), so "groups.value eq" is an exact id match.
                    new() { Name = "value", CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The identifier of the group." },
                    new()
                    {
                        Name = "$ref",
                        Type = AttributeType.Reference,
                        ReferenceTypes = ["User", "Group"],
                        Mutability = Mutability.ReadOnly,
                        Description = "The URI of the group.",
                    },
                    new() { Name = "display", Mutability = Mutability.ReadOnly, Description = "The display name of the group." },
                    new()
                    {
                        Name = "type",
                        CanonicalValues = ["direct", "indirect"],
                        Mutability = Mutability.ReadOnly,
                        Description = "Whether the membership is direct or through a nested group.",
                    },
                ],
            },
            MultiValued("entitlements", "A list of entitlements for the user.", Text("value", "The value of an entitlement.")),
            MultiValued("roles", "A list of roles for the user.", Text("value", "The value of a role.")),
            MultiValued(
                "x509Certificates",
                "A list of certificates issued to the user.",
                new() { Name = "value", Type = AttributeType.Binary, Description = "The DER-encoded X.509 certificate, base64." }),
        ]);

    private static SchemaDefinition BuildEnterpriseUser() => new(
        ScimUris.EnterpriseUser,
        "EnterpriseUser",
        "Enterprise User",
        [
            Text("employeeNumber", "Numeric or alphanumeric identifier assigned to a person by the organization."),
            Text("costCenter", "Identifies the name of a cost center."),
            Text("organization", "Identifies the name of an organization."),
            Text("division", "Identifies the name of a division."),
            Text("department", "Identifies the name of a department."),
            new()
            {
                Name = "manager",
                Type = AttributeType.Complex,
                Description = "The user's manager.",
                SubAttributes =
                [
                    Text("value", "The id of the SCIM resource representing the user's manager."),
                    new()
                    {
                        Name = "$ref",
                        Type = AttributeType.Reference,
                        ReferenceTypes = ["User"],
                        Description = "The URI of the SCIM resource representing the user's manager.",
                    },
                    new()
                    {
                        Name = "displayName",
                        Mutability = Mutability.ReadOnly,
                        Description = "The displayName of the user's manager.",
                    },
                ],
            },
        ]);

    private static SchemaDefinition BuildGroup() => new(
        ScimUris.Group,
        "Group",
        "Group",
        [
            new()
            {
                Name = "displayName",
                Required = true,
                Uniqueness = Uniqueness.Server,
                Description = "A human-readable name for the Group; unique within a tenant.",
            },
            new()
            {
                Name = "members",
                Type = AttributeType.Complex,
                MultiValued = true,
                Description = "A list of members of the Group.",
                SubAttributes =
                [
                    new()
                    {
                        Name = "value",
                        CaseExact = true,
                        Mutability = Mutability.Immutable,
                        Description = "Identifier of the member of this Group.",
                    },
                    new()
                    {
                        Name = "$ref",
                        Type = AttributeType.Reference,
                        ReferenceTypes = ["User", "Group"],
                        Mutability = Mutability.Immutable,
                        Description = "The URI of the member resource.",
                    },
                    new()
                    {
                        Name = "type",
                        CanonicalValues = ["User", "Group"],
                        Mutability = Mutability.Immutable,
                        Description = "The type of the member: User or Group.",
                    },
                    new()
                    {
                        Name = "display",
                        Mutability = Mutability.ReadOnly,
                        Description = "The display name of the member.",
                    },
                ],
            },
        ]);
}
