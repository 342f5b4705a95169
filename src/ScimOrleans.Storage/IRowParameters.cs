namespace ScimOrleans.Storage;

/// <summary>
/// Where an engine binds a row write's values: <see cref="RowWrite.BindTo{TParameters}"/> names each column's
/// parameter once for every engine, and each engine decides how a value of each kind is sent.
/// </summary>
internal interface IRowParameters
{
    void Text(string name, string? value);

    void Number(string name, long value);

    void Kind(string name, ResourceKind kind);

    void Time(string name, DateTimeOffset value);

    void Flag(string name, bool? value);
}
