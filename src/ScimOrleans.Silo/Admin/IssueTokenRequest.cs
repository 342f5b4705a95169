namespace ScimOrleans.Silo.Admin;

/// <summary>Body of <c>POST /admin/v1/tenants/{id}/tokens</c> (optional).</summary>
public sealed record IssueTokenRequest(string? Description);
