using System.Text.Json;

namespace ScimOrleans.Silo.Http;

/// <summary>A response body that writes itself as JSON, in one pass, straight into the response.</summary>
public interface IJsonBody
{
    /// <summary>Writes the whole body as one JSON value.</summary>
    void WriteTo(Utf8JsonWriter writer);
}
