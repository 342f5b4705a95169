namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>What happens to a user's group memberships when the IdP deactivates the user (active=false).</summary>
[GenerateSerializer]
public enum MembershipPolicy
{
    /// <summary>Remove the user from every group, atomically with the deactivation. Reactivation restores nothing.</summary>
    RemoveFromGroups = 0,

    /// <summary>Leave memberships as they are (Okta-style semantics).</summary>
    KeepMemberships = 1,
}
