using System.Text.Json.Nodes;

namespace ScimOrleans.Storage.Sql;

/// <summary>Describes the attributes a filter names. Null means "unknown": the translator rejects the filter.</summary>
internal interface IFilterAttributeCatalog
{
    /// <summary>
    /// A top-level attribute; <paramref name="schemaUrn"/> is null for core attributes. <paramref name="literal"/> is the
    /// comparison value, if any, for catalogs that must infer the type of attributes they have no definition of.
    /// </summary>
    AttributeShape? Describe(string? schemaUrn, string attribute, JsonValue? literal);

    /// <summary>A sub-attribute of the complex attribute <paramref name="parent"/>.</summary>
    AttributeShape? DescribeSub(AttributeShape parent, string subAttribute, JsonValue? literal);
}
