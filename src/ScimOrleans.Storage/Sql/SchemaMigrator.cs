using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Applies an engine's embedded scripts <c>&lt;prefix&gt;NNN_name.sql</c> in numeric order, skipping those
/// <c>schema_version</c> already records. Locking and transactions are the engine's (<see cref="IMigrationTarget"/>).
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(IMigrationTarget target, string resourcePrefix, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await target.PrepareAsync(cancellationToken);
        foreach (var (version, name) in Scripts(resourcePrefix))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await target.ApplyAsync(version, name, SqlScripts.Read(name), cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Applied SCIM store migration {Script}", name);
            }
        }
    }

    /// <summary>The embedded scripts directly under <paramref name="resourcePrefix"/> whose names start with a version number.</summary>
    public static List<(int Version, string Name)> Scripts(string resourcePrefix)
    {
        var scripts = new List<(int Version, string Name)>();
        foreach (var name in SqlScripts.Names)
        {
            if (!name.StartsWith(resourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[resourcePrefix.Length..];
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

    /// <summary>The versions a <c>SELECT version FROM schema_version</c> returns.</summary>
    public static async Task<IReadOnlySet<int>> ReadVersionsAsync(DbCommand select, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0));
        }

        return applied;
    }
}
