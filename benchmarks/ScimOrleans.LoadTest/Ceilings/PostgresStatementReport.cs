using System.Globalization;
using System.Text;
using Npgsql;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>
/// What a PostgreSQL server was asked to do and what it cost there, read from <c>pg_stat_statements</c> (loaded by
/// <see cref="PostgresInstance"/> when <c>SCIM_LOAD_PG_STATEMENTS</c> is set): the 25 busiest statements with their
/// calls, execution and planning time and how often each was planned; the busiest database's tables with inserts,
/// updates (HOT) and size; the WAL written.
/// </summary>
internal static class PostgresStatementReport
{
    /// <summary>Appends the report of the server at <paramref name="connectionString"/> (labelled <paramref name="server"/>) to <paramref name="path"/>.</summary>
    public static async Task AppendAsync(string connectionString, string server, string path)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT d.datname, s.calls, s.total_exec_time, s.mean_exec_time, s.rows, s.plans, s.total_plan_time, s.query " +
            "FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid ORDER BY s.total_exec_time DESC LIMIT 25;",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"== pg_stat_statements of the server on {server} ({DateTimeOffset.UtcNow:u}) ==");
        report.AppendLine("db        calls      total ms   mean ms       rows     plans  plan ms  query");
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(7).ReplaceLineEndings(" ");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"{reader.GetString(0),-8} {reader.GetInt64(1),7} {reader.GetDouble(2),12:F0} {reader.GetDouble(3),9:F3} {reader.GetInt64(4),10} {reader.GetInt64(5),9} {reader.GetDouble(6),8:F0}  {(query.Length > 400 ? query[..400] + "…" : query)}");
        }

        await reader.CloseAsync();

        // Per table of the busiest database: how many updates were HOT (no index entries written) and how much WAL.
        await using var busiestQuery = new NpgsqlCommand(
            "SELECT d.datname FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid GROUP BY d.datname ORDER BY sum(s.calls) DESC LIMIT 1;",
            connection);
        var busiest = await busiestQuery.ExecuteScalarAsync() as string;
        if (busiest is not null)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = busiest };
            await using var tables = new NpgsqlConnection(builder.ConnectionString);
            await tables.OpenAsync();
            await using var stats = new NpgsqlCommand(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, pg_total_relation_size(relid) FROM pg_stat_user_tables ORDER BY n_tup_upd + n_tup_ins DESC;",
                tables);
            await using var rows = await stats.ExecuteReaderAsync();
            report.AppendLine(CultureInfo.InvariantCulture, $"-- tables of {busiest}: inserts, updates (HOT), deletes, size");
            while (await rows.ReadAsync())
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"{rows.GetString(0),-24} ins {rows.GetInt64(1),9} upd {rows.GetInt64(2),9} (hot {rows.GetInt64(3),9}) del {rows.GetInt64(4),9} {rows.GetInt64(5) / 1048576.0,8:F1} MiB");
            }
        }

        await using var wal = new NpgsqlCommand("SELECT wal_records, wal_bytes, wal_sync FROM pg_stat_wal;", connection);
        await using (var walRow = await wal.ExecuteReaderAsync())
        {
            if (await walRow.ReadAsync())
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"-- WAL: {walRow.GetInt64(0)} records, {walRow.GetDecimal(1) / 1048576m:F1} MiB, {walRow.GetInt64(2)} syncs");
            }
        }

        await File.AppendAllTextAsync(path, report.ToString());
    }
}
