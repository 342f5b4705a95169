using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Applies the embedded scripts <c>db/sqlite/scim/NNN_name.sql</c> in numeric order, each recorded in
/// <c>schema_version</c>. Everything runs in one <c>BEGIN IMMEDIATE</c> transaction, so concurrent migrators (other
/// processes on the same file) queue on the write lock and the second one finds the work done.
/// </summary>
internal static class SqliteMigrator
{
    private const string ResourcePrefix = "db/sqlite/scim/";

    public static Task MigrateAsync(SqliteWriter writer, ILogger logger, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(async (context, ct) =>
        {
            await using (var create = context.Command(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL);"))
            {
                await create.ExecuteNonQueryAsync(ct);
            }

            var applied = new HashSet<int>();
            await using (var select = context.Command("SELECT version FROM schema_version;"))
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var (version, name) in Scripts())
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using (var script = context.Command(await ReadScriptAsync(name, ct)))
                {
                    await script.ExecuteNonQueryAsync(ct);
                }

                await using (var record = context.Command("INSERT INTO schema_version (version, name, applied) VALUES (@v, @n, @a);"))
                {
                    record.Parameters.AddWithValue("@v", version);
                    record.Parameters.AddWithValue("@n", name);
                    record.Parameters.AddWithValue("@a", StoreTime.ToUnixMicroseconds(DateTimeOffset.UtcNow));
                    await record.ExecuteNonQueryAsync(ct);
                }

                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Applied SCIM store migration {Script}", name);
                }
            }

            return new UnitOutcome<bool>(true, Keep: true);
        }, cancellationToken);

    private static List<(int Version, string Name)> Scripts()
    {
        var scripts = new List<(int Version, string Name)>();
        foreach (var name in typeof(SqliteMigrator).Assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[ResourcePrefix.Length..];
            var digits = file.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || file.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            scripts.Add((int.Parse(file[..digits], NumberStyles.None, CultureInfo.InvariantCulture), name));
        }

        scripts.Sort();
        return scripts;
    }

    private static async Task<string> ReadScriptAsync(string name, CancellationToken cancellationToken)
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        await using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
