using System.Text.Json.Nodes;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>A validated create: the commit to apply and the new resource's attributes.</summary>
internal sealed record PreparedCreate(ResourceCommit Commit, JsonObject Attributes)
{
    public ResourceRow Row => Commit.Row!;
}
