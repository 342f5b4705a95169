namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>A SCIM Group. Its members are edges in the store; membership changes cost O(members named).</summary>
public interface IGroupGrain : IResourceGrain
{
}
