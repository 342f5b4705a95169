using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Walks the result sets of a batch one row-returning statement at a time, in batch order; statements without a
/// result set (BEGIN, SET, COMMIT) are passed over.
/// </summary>
internal sealed class PostgresBatchResults(NpgsqlDataReader? reader)
{
    private bool started;

    /// <summary>The results of a batch that was not sent, having no statements.</summary>
    public static PostgresBatchResults None { get; } = new(null);

    /// <summary>The reader, on the next statement's result set.</summary>
    public async Task<NpgsqlDataReader> NextAsync(CancellationToken cancellationToken)
    {
        if (reader is null || (started && !await reader.NextResultAsync(cancellationToken)))
        {
            throw MissingResults();
        }

        started = true;
        while (reader.FieldCount == 0)
        {
            if (!await reader.NextResultAsync(cancellationToken))
            {
                throw MissingResults();
            }
        }

        return reader;
    }

    private static InvalidOperationException MissingResults() =>
        new("The batch returned fewer result sets than it has statements that return rows.");
}
