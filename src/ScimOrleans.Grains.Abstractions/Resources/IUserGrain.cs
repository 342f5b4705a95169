namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>A SCIM User. Applies the tenant's deactivation policy when <c>active</c> turns false.</summary>
public interface IUserGrain : IResourceGrain
{
}
