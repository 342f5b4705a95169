namespace ScimOrleans.Silo.Admin;

/// <summary>A newly issued token; the clear text is shown only here.</summary>
public sealed record IssuedTokenResponse(string Id, string Token);
