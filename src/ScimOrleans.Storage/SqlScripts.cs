using System.Reflection;

namespace ScimOrleans.Storage;

/// <summary>
/// Reads the SQL scripts that ship embedded in this assembly. Every file under the repository's <c>db/</c> folder is
/// embedded with the logical name <c>db/&lt;engine&gt;/&lt;area&gt;/&lt;file&gt;.sql</c>, for example
/// <c>db/sqlite/orleans/persistence.sql</c>.
/// </summary>
public static class SqlScripts
{
    private static readonly Assembly ResourceAssembly = typeof(SqlScripts).Assembly;

    /// <summary>The logical names of every embedded script, in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = ResourceAssembly
        .GetManifestResourceNames()
        .Where(static name => name.StartsWith("db/", StringComparison.Ordinal)
            && name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Returns the text of one embedded script.</summary>
    /// <param name="name">The logical name, e.g. <c>db/postgresql/orleans/01_main.sql</c>.</param>
    /// <exception cref="ArgumentException">No script with that name is embedded.</exception>
    public static string Read(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        using var stream = ResourceAssembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException(
                $"No embedded SQL script named '{name}'. Embedded scripts: {string.Join(", ", Names)}.",
                nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
