namespace ScimOrleans.Storage.Sql;

/// <summary>Where a sort key is read from.</summary>
internal enum SortSource
{
    /// <summary>One of the row's own columns (<see cref="SortTarget.Column"/>).</summary>
    Column,

    /// <summary>A scalar inside the JSON document at <see cref="SortTarget.Path"/>.</summary>
    JsonScalar,

    /// <summary>
    /// The primary value of a multi-valued attribute (RFC 7644 §3.4.2.3): of the array at <see cref="SortTarget.Path"/>,
    /// the first object whose <c>primary</c> is true, else the first object, and its <see cref="SortTarget.SubAttribute"/>;
    /// for a simple multi-valued attribute (no sub-attribute), its first value.
    /// </summary>
    PrimaryElement,
}
