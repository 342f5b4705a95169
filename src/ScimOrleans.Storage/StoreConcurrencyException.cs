namespace ScimOrleans.Storage;

/// <summary>The row's version was not the one the writer expected: another writer got there first. Reload and retry.</summary>
public sealed class StoreConcurrencyException : Exception
{
    public StoreConcurrencyException()
    {
    }

    public StoreConcurrencyException(string message)
        : base(message)
    {
    }

    public StoreConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
