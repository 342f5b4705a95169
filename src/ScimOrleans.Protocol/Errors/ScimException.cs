using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Errors;

/// <summary>
/// A failure that maps to one SCIM error response (RFC 7644 §3.12). Everything the protocol layer rejects is
/// thrown as this type, so the HTTP layer can answer with the right status and <c>scimType</c> and never a 500.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(int status, string? scimType, string detail)
        : base(detail)
    {
        Status = status;
        ScimType = scimType;
        Detail = detail;
    }

    public ScimException()
        : this(500, null, "Internal error.")
    {
    }

    public ScimException(string message)
        : this(400, null, message)
    {
    }

    public ScimException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Detail = message;
    }

    /// <summary>HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The SCIM error keyword, or null where RFC 7644 defines none for the status.</summary>
    public string? ScimType { get; }

    /// <summary>Human-readable explanation, safe to show to the client.</summary>
    public string Detail { get; }

    public static ScimException InvalidValue(string detail) => new(400, ScimTypes.InvalidValue, detail);
    public static ScimException InvalidSyntax(string detail) => new(400, ScimTypes.InvalidSyntax, detail);
    public static ScimException InvalidPath(string detail) => new(400, ScimTypes.InvalidPath, detail);
    public static ScimException InvalidFilter(string detail) => new(400, ScimTypes.InvalidFilter, detail);
    public static ScimException NoTarget(string detail) => new(400, ScimTypes.NoTarget, detail);
    public static ScimException MutabilityViolation(string detail) => new(400, ScimTypes.Mutability, detail);
    public static ScimException TooMany(string detail) => new(400, ScimTypes.TooMany, detail);
    public static ScimException Uniqueness(string detail) => new(409, ScimTypes.Uniqueness, detail);
    public static ScimException NotFound(string detail) => new(404, null, detail);
    public static ScimException PreconditionFailed(string detail) => new(412, null, detail);
    public static ScimException Unauthorized(string detail) => new(401, null, detail);

    /// <summary>The error body: <c>status</c> is a string, as RFC 7644 §3.12 requires.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.Error),
            ["status"] = Status.ToString(CultureInfo.InvariantCulture),
        };
        if (ScimType is not null)
        {
            body["scimType"] = ScimType;
        }

        body["detail"] = Detail;
        return body;
    }
}
